/* libcrypto (OpenSSL), loaded with dlopen on first use (dlib.h says why:
 * linked, it alone cost ~1 ms of every start, `pkgtrap run` included).
 *
 * Include this instead of <openssl/evp.h> and <openssl/aes.h>, and no
 * other OpenSSL header after it: after the real headers it redirects every
 * libcrypto function pkgtrap calls to the table, so the callers read as
 * plain OpenSSL code. Call pt_dl_crypto_load() before the first of them;
 * a function missing from the list below is a link error (pkgtrap does
 * not link libcrypto), never a silent direct call.
 *
 * Users: the sha256/sha512/sha1 digests of artifacts and registry
 * downloads (triage, scan, sweep), and the Chrome "v10" password blobs of
 * the honeytoken HOME (runner/honey_gen.c), encrypted when the HOME is
 * written: in `pkgtrap run` that is the window where the supervisor fills
 * HOME while init builds the root, never before the clone. base64 is
 * pt_base64 (pt_util.h), not EVP_EncodeBlock, for the same reason.
 *
 * AES_set_encrypt_key/AES_cbc_encrypt are OpenSSL 3's deprecated
 * low-level API (honey_gen.c says why it is used); their prototypes type
 * the table, hence OPENSSL_SUPPRESS_DEPRECATED here. Where OpenSSL was
 * built without the deprecated API they are left out and honey_gen.c
 * uses EVP. */
#ifndef PT_DL_CRYPTO_H
#define PT_DL_CRYPTO_H

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/aes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dlib.h"

#ifndef OPENSSL_NO_DEPRECATED_3_0
#define PT_DL_CRYPTO_AES(X)                                                    \
  X(AES_set_encrypt_key)                                                       \
  X(AES_cbc_encrypt)
#else
#define PT_DL_CRYPTO_AES(X)
#endif

#define PT_DL_CRYPTO_FUNCTIONS(X)                                              \
  X(EVP_MD_CTX_new)                                                            \
  X(EVP_MD_CTX_free)                                                           \
  X(EVP_DigestInit_ex)                                                         \
  X(EVP_DigestUpdate)                                                          \
  X(EVP_DigestFinal_ex)                                                        \
  X(EVP_sha1)                                                                  \
  X(EVP_sha256)                                                                \
  X(EVP_sha512)                                                                \
  X(EVP_CIPHER_CTX_new)                                                        \
  X(EVP_CIPHER_CTX_free)                                                       \
  X(EVP_aes_128_cbc)                                                           \
  X(EVP_EncryptInit_ex)                                                        \
  X(EVP_EncryptUpdate)                                                         \
  X(EVP_EncryptFinal_ex)                                                       \
  X(EVP_DecryptInit_ex)                                                        \
  X(EVP_DecryptUpdate)                                                         \
  X(EVP_DecryptFinal_ex)                                                       \
  X(PKCS5_PBKDF2_HMAC_SHA1)                                                    \
  X(OPENSSL_cleanse)                                                           \
  PT_DL_CRYPTO_AES(X)

struct pt_dl_crypto_fns {
  PT_DL_CRYPTO_FUNCTIONS(PT_DLIB_MEMBER)
};
extern struct pt_dl_crypto_fns pt_dl_crypto;

/* Loads libcrypto once (thread-safe); 0, or -1 with err (may be NULL)
 * naming the library and the Debian package. Cheap after the first
 * call. */
int pt_dl_crypto_load(pt_err **err);

#ifndef PT_DL_CRYPTO_TABLE /* dl_crypto.c needs the real names */
#define EVP_MD_CTX_new (*pt_dl_crypto.EVP_MD_CTX_new)
#define EVP_MD_CTX_free (*pt_dl_crypto.EVP_MD_CTX_free)
#define EVP_DigestInit_ex (*pt_dl_crypto.EVP_DigestInit_ex)
#define EVP_DigestUpdate (*pt_dl_crypto.EVP_DigestUpdate)
#define EVP_DigestFinal_ex (*pt_dl_crypto.EVP_DigestFinal_ex)
#define EVP_sha1 (*pt_dl_crypto.EVP_sha1)
#define EVP_sha256 (*pt_dl_crypto.EVP_sha256)
#define EVP_sha512 (*pt_dl_crypto.EVP_sha512)
#define EVP_CIPHER_CTX_new (*pt_dl_crypto.EVP_CIPHER_CTX_new)
#define EVP_CIPHER_CTX_free (*pt_dl_crypto.EVP_CIPHER_CTX_free)
#define EVP_aes_128_cbc (*pt_dl_crypto.EVP_aes_128_cbc)
#define EVP_EncryptInit_ex (*pt_dl_crypto.EVP_EncryptInit_ex)
#define EVP_EncryptUpdate (*pt_dl_crypto.EVP_EncryptUpdate)
#define EVP_EncryptFinal_ex (*pt_dl_crypto.EVP_EncryptFinal_ex)
#define EVP_DecryptInit_ex (*pt_dl_crypto.EVP_DecryptInit_ex)
#define EVP_DecryptUpdate (*pt_dl_crypto.EVP_DecryptUpdate)
#define EVP_DecryptFinal_ex (*pt_dl_crypto.EVP_DecryptFinal_ex)
#define PKCS5_PBKDF2_HMAC_SHA1 (*pt_dl_crypto.PKCS5_PBKDF2_HMAC_SHA1)
#define OPENSSL_cleanse (*pt_dl_crypto.OPENSSL_cleanse)
#ifndef OPENSSL_NO_DEPRECATED_3_0
#define AES_set_encrypt_key (*pt_dl_crypto.AES_set_encrypt_key)
#define AES_cbc_encrypt (*pt_dl_crypto.AES_cbc_encrypt)
#endif
#endif

#endif
