/* The libcrypto table (dl_crypto.h). The SONAME and the package are CMake's,
 * read from the libcrypto.so pkg-config found and from dpkg. */
#define PT_DL_CRYPTO_TABLE
#include "dl_crypto.h"

typedef struct pt_dl_crypto_fns pt_dlib_fns_t;
PT_DLIB_DEFINE(pt_dl_crypto, PT_DL_CRYPTO_FUNCTIONS, PT_DL_CRYPTO_SONAME,
               PT_DL_CRYPTO_DEBPKG, pt_dl_crypto_load)
