/* Decrypting a Chrome "v10" password, for the tests' round trip only
 * (honey_int.h). Its own file so that nothing on a run's path links the
 * libcrypto loader: the static front (runner/CMakeLists.txt) must not
 * contain dlopen. */
#define _GNU_SOURCE
#include "honey_int.h"

#include <stdlib.h>
#include <string.h>

/* libcrypto, loaded on first use. */
#include "dl_crypto.h"

/* Chrome's Linux key without a keyring: PBKDF2-HMAC-SHA1("peanuts",
 * "saltysalt", 1 iteration, 16 bytes). */
static int chrome_key(unsigned char key[16]) {
  return PKCS5_PBKDF2_HMAC_SHA1("peanuts", 7, (const unsigned char *)"saltysalt",
                                9, 1, 16, key) == 1
             ? 0
             : -1;
}

int honey_chrome_v10_decrypt(const unsigned char *in, size_t len, char **out) {
  unsigned char key[16], iv[16];
  memset(iv, ' ', sizeof(iv));
  if (pt_dl_crypto_load(NULL) < 0 || len < 3 + 16 ||
      memcmp(in, "v10", 3) != 0 || chrome_key(key) < 0)
    return -1;
  char *buf = malloc(len + 1);
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int n1 = 0, n2 = 0;
  if (buf == NULL || c == NULL ||
      EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, key, iv) != 1 ||
      EVP_DecryptUpdate(c, (unsigned char *)buf, &n1, in + 3, (int)len - 3) !=
          1 ||
      EVP_DecryptFinal_ex(c, (unsigned char *)buf + n1, &n2) != 1) {
    EVP_CIPHER_CTX_free(c);
    free(buf);
    return -1;
  }
  EVP_CIPHER_CTX_free(c);
  buf[n1 + n2] = '\0';
  *out = buf;
  return 0;
}
