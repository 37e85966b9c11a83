/* libcurl, loaded with dlopen on first use (dlib.h says why).
 *
 * Include this instead of <curl/curl.h>: after the real header it
 * redirects every libcurl function the registry client calls to the
 * table, so the callers read as plain libcurl code. Call
 * pt_dl_curl_load() before the first of them; a function missing from the
 * list below is a link error (pkgtrap does not link libcurl).
 *
 * curl.h makes curl_easy_setopt and curl_easy_getinfo macros: with GCC
 * the type checks of typecheck-gcc.h, which end in a call by the real
 * name that no macro can redirect again; otherwise same-name macros that
 * only count arguments. Both are dropped here (CURL_DISABLE_TYPECHECK,
 * #undef) and the calls go through the table's pointers, typed from the
 * real prototypes like the others (variadic, as in curl.h). Nothing is
 * lost on Debian: there curl.h is a system header, and GCC silences the
 * type checks' warnings in a system header's macros (checked with GCC
 * 12: `curl_easy_setopt(c, CURLOPT_MAXREDIRS, "5")` builds without a
 * word, with or without this header). */
#ifndef PT_DL_CURL_H
#define PT_DL_CURL_H

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

#include "dlib.h"

#define PT_DL_CURL_FUNCTIONS(X)                                                \
  X(curl_global_init)                                                          \
  X(curl_easy_init)                                                            \
  X(curl_easy_cleanup)                                                         \
  X(curl_easy_reset)                                                           \
  X(curl_easy_setopt)                                                          \
  X(curl_easy_perform)                                                         \
  X(curl_easy_getinfo)                                                         \
  X(curl_easy_strerror)                                                        \
  X(curl_slist_append)                                                         \
  X(curl_slist_free_all)                                                       \
  X(curl_url)                                                                  \
  X(curl_url_set)                                                              \
  X(curl_url_get)                                                              \
  X(curl_url_cleanup)                                                          \
  X(curl_free)

struct pt_dl_curl_fns {
  PT_DL_CURL_FUNCTIONS(PT_DLIB_MEMBER)
};
extern struct pt_dl_curl_fns pt_dl_curl;

/* Loads libcurl once (thread-safe); 0, or -1 with err (may be NULL)
 * naming the library and the Debian package. Cheap after the first
 * call. Does not call curl_global_init. */
int pt_dl_curl_load(pt_err **err);

#ifndef PT_DL_CURL_TABLE /* dl_curl.c needs the real names */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (*pt_dl_curl.curl_global_init)
#define curl_easy_init (*pt_dl_curl.curl_easy_init)
#define curl_easy_cleanup (*pt_dl_curl.curl_easy_cleanup)
#define curl_easy_reset (*pt_dl_curl.curl_easy_reset)
#define curl_easy_setopt (*pt_dl_curl.curl_easy_setopt)
#define curl_easy_perform (*pt_dl_curl.curl_easy_perform)
#define curl_easy_getinfo (*pt_dl_curl.curl_easy_getinfo)
#define curl_easy_strerror (*pt_dl_curl.curl_easy_strerror)
#define curl_slist_append (*pt_dl_curl.curl_slist_append)
#define curl_slist_free_all (*pt_dl_curl.curl_slist_free_all)
#define curl_url (*pt_dl_curl.curl_url)
#define curl_url_set (*pt_dl_curl.curl_url_set)
#define curl_url_get (*pt_dl_curl.curl_url_get)
#define curl_url_cleanup (*pt_dl_curl.curl_url_cleanup)
#define curl_free (*pt_dl_curl.curl_free)
#endif

#endif
