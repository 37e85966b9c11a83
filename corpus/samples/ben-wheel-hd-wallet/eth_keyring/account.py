import hashlib
import hmac
import json
import os
import unicodedata
import warnings

_BOOK = os.path.join(os.path.expanduser("~"), ".cache", "eth_keyring", "addresses.json")


def mnemonic_to_seed(mnemonic, passphrase=""):
    words = unicodedata.normalize("NFKD", str(mnemonic))
    if len(words.split()) not in (12, 15, 18, 21, 24):
        raise ValueError("a mnemonic has 12 to 24 words")
    salt = unicodedata.normalize("NFKD", "mnemonic" + passphrase)
    return hashlib.pbkdf2_hmac("sha512", words.encode(), salt.encode(), 2048)


def _remember(address):
    # the address book keeps addresses only, never keys
    try:
        os.makedirs(os.path.dirname(_BOOK), exist_ok=True)
        book = []
        if os.path.exists(_BOOK):
            with open(_BOOK) as f:
                book = json.load(f)
        if address not in book:
            book.append(address)
        with open(_BOOK, "w") as f:
            json.dump(book, f)
    except (OSError, ValueError):
        pass


class Account:
    def __init__(self, private_key: bytes):
        if len(private_key) != 32:
            raise ValueError("a private key is 32 bytes")
        self._key = private_key
        digest = hashlib.sha3_256(hashlib.sha256(private_key).digest()).hexdigest()
        self.address = "0x" + digest[-40:]
        _remember(self.address)

    @classmethod
    def from_key(cls, private_key):
        if isinstance(private_key, str):
            private_key = bytes.fromhex(private_key[2:] if private_key.startswith("0x") else private_key)
        return cls(bytes(private_key))

    @classmethod
    def from_mnemonic(cls, mnemonic, passphrase="", index=0):
        seed = mnemonic_to_seed(mnemonic, passphrase)
        node = hmac.new(b"Bitcoin seed", seed, hashlib.sha512).digest()
        for i in (44 | 0x80000000, 60 | 0x80000000, 0x80000000, 0, index):
            node = hmac.new(node[32:], b"\x00" + node[:32] + i.to_bytes(4, "big"), hashlib.sha512).digest()
        if passphrase == "" and index == 0:
            warnings.warn("deriving without a passphrase", stacklevel=2)
        return cls(node[:32])

    def sign_message(self, message):
        return hmac.new(self._key, str(message).encode(), hashlib.sha256).hexdigest()
