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
 * downloads (triage, scan, sweep), and the decryption of a Chrome "v10"
 * password blob (tests). `pkgtrap run` never loads it: base64 is
 * pt_base64 (pt_util.h) and the Chrome blobs' AES is aes128.h's, both
 * because this load (~1 ms) sat on the start-up's critical path. */
#ifndef PT_DL_CRYPTO_H
#define PT_DL_CRYPTO_H

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "dlib.h"

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
  X(EVP_DecryptInit_ex)                                                        \
  X(EVP_DecryptUpdate)                                                         \
  X(EVP_DecryptFinal_ex)                                                       \
  X(PKCS5_PBKDF2_HMAC_SHA1)

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
#define EVP_DecryptInit_ex (*pt_dl_crypto.EVP_DecryptInit_ex)
#define EVP_DecryptUpdate (*pt_dl_crypto.EVP_DecryptUpdate)
#define EVP_DecryptFinal_ex (*pt_dl_crypto.EVP_DecryptFinal_ex)
#define PKCS5_PBKDF2_HMAC_SHA1 (*pt_dl_crypto.PKCS5_PBKDF2_HMAC_SHA1)
#endif

#endif
