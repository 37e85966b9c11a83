/* AES-128-CBC encryption with PKCS#7 padding, for one job: formatting the
 * honeytoken Chrome passwords as Chrome stores them ("v10" blobs under a
 * well-known constant key, honey_gen.c).
 *
 * Why by hand, when libcrypto has it: libcrypto is ~1 ms to load (it is
 * dlopen'ed on first use, dl_crypto.h), and every `pkgtrap run` needs
 * these blobs while its jail is being built, where that load was the
 * longest step of the start-up (bench/README.md). This protects nothing
 * (the key is public; the plaintexts are fake), so neither speed nor
 * side channels matter; correctness is checked against FIPS-197's vector
 * and by decrypting with libcrypto (tests/unit/test_honey.c). */
#ifndef PT_AES128_H
#define PT_AES128_H

#include <stddef.h>
#include <stdint.h>

/* The single-block cipher: out = AES-128(key, in). */
void pt_aes128_block(const uint8_t key[16], const uint8_t in[16],
                     uint8_t out[16]);

/* CBC with PKCS#7 padding: writes plen rounded up to the next multiple of
 * 16 (always at least one byte of padding) to out, which must hold that
 * many bytes; returns that length. */
size_t pt_aes128_cbc_encrypt(const uint8_t key[16], const uint8_t iv[16],
                             const uint8_t *plain, size_t plen, uint8_t *out);

#endif
