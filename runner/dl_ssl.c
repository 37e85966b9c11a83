/* The libssl table (dl_ssl.h). The SONAME and the package are CMake's,
 * read from the libssl.so pkg-config found and from dpkg. */
#define PT_DL_SSL_TABLE
#include "dl_ssl.h"

typedef struct pt_dl_ssl_fns pt_dlib_fns_t;
PT_DLIB_DEFINE(pt_dl_ssl, PT_DL_SSL_FUNCTIONS, PT_DL_SSL_SONAME,
               PT_DL_SSL_DEBPKG, pt_dl_ssl_load)
