/* The libssl table (dl_ssl.h). */
#define PT_DL_SSL_TABLE
#include "dl_ssl.h"

#include <pthread.h>

struct pt_dl_ssl_fns pt_dl_ssl;

#define SYM(f) {#f, offsetof(struct pt_dl_ssl_fns, f)},
static const pt_dlib_sym syms[] = {PT_DL_SSL_FUNCTIONS(SYM)};

/* The SONAME and the package are CMake's, read from the libssl.so
 * pkg-config found and from dpkg. */
static pt_dlib lib = {
    .soname = PT_DL_SSL_SONAME,
    .debpkg = PT_DL_SSL_DEBPKG,
    .syms = syms,
    .n_syms = sizeof(syms) / sizeof(syms[0]),
    .table = &pt_dl_ssl,
    .table_size = sizeof(pt_dl_ssl),
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void load_once(void) { pt_dlib_open(&lib); }

int pt_dl_ssl_load(pt_err **err) {
  pthread_once(&once, load_once);
  return pt_dlib_result(&lib, err);
}
