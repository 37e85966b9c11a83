/* The libcurl table (dl_curl.h). The SONAME and the package are CMake's,
 * read from the libcurl.so pkg-config found and from dpkg. */
#define PT_DL_CURL_TABLE
#include "dl_curl.h"

typedef struct pt_dl_curl_fns pt_dlib_fns_t;
PT_DLIB_DEFINE(pt_dl_curl, PT_DL_CURL_FUNCTIONS, PT_DL_CURL_SONAME,
               PT_DL_CURL_DEBPKG, pt_dl_curl_load)
