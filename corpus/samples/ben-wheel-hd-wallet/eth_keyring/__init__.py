"""Offline key handling for Ethereum-style accounts: derive from a
mnemonic or load a raw private key, sign messages, keep an address book."""
from .account import Account, mnemonic_to_seed
from .provider import JsonRpcProvider

__all__ = ["Account", "JsonRpcProvider", "mnemonic_to_seed"]
__version__ = "0.6.1"
