/* The libcurl table (dl_curl.h). */
#define PT_DL_CURL_TABLE
#include "dl_curl.h"

#include <pthread.h>

struct pt_dl_curl_fns pt_dl_curl;

#define SYM(f) {#f, offsetof(struct pt_dl_curl_fns, f)},
static const pt_dlib_sym syms[] = {PT_DL_CURL_FUNCTIONS(SYM)};

/* The SONAME and the package are CMake's, read from the libcurl.so
 * pkg-config found and from dpkg. */
static pt_dlib lib = {
    .soname = PT_DL_CURL_SONAME,
    .debpkg = PT_DL_CURL_DEBPKG,
    .syms = syms,
    .n_syms = sizeof(syms) / sizeof(syms[0]),
    .table = &pt_dl_curl,
    .table_size = sizeof(pt_dl_curl),
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void load_once(void) { pt_dlib_open(&lib); }

int pt_dl_curl_load(pt_err **err) {
  pthread_once(&once, load_once);
  return pt_dlib_result(&lib, err);
}
