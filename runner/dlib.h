/* Optional shared libraries loaded with dlopen(3) on first use instead of
 * being linked (the way systemd loads its optional libraries).
 *
 * Why by hand, when the dynamic loader would do it: start-up. Linked,
 * libcurl and libarchive bring ~40 more libraries (libxml2, libicu, gnutls,
 * krb5, ldap, ...) that ld.so maps and relocates before main() of every
 * `pkgtrap run`, which needs none of them: a do-nothing program starts in
 * 0.5 ms, 2.6 ms linked with -larchive, 5.4 ms with -lcurl, and
 * `pkgtrap --version` went from 9.0 ms (50 libraries) to 2.3 ms (11)
 * when they stopped being linked (hyperfine, 2 vCPU VM). Only the
 * artifact unpacker (triage, scan, sweep) needs libarchive and only the
 * registry client (sweep) libcurl, and those verbs run for seconds.
 * libcrypto alone still cost ~1 ms of every start (an empty program: 0.8
 * ms, 1.7 ms linked with -lcrypto; perf stat): it is loaded the same way,
 * for the digests of triage, scan and sweep and for the Chrome passwords
 * of the honeytoken HOME, which `pkgtrap run` encrypts while the jail is
 * built, not before (dl_crypto.h).
 *
 * Each library has a small table module (dl_archive.c, dl_curl.c,
 * dl_crypto.c): a struct of function pointers typed from the library's
 * own header, filled once (pthread_once) by pt_dlib_open(). The SONAME
 * comes from CMake, read from the library pkg-config found, never
 * guessed; so does the package a missing library's error names (dpkg's
 * owner of that file). The libraries every run needs (libseccomp,
 * libcap, libnl, jansson, sqlite3) are linked, from their static archives
 * by default (PKGTRAP_STATIC_LIBS in CMakeLists.txt): no ld.so work for
 * them either. */
#ifndef PT_DLIB_H
#define PT_DLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "pt_err.h"

/* A symbol and where its address goes in the table. */
typedef struct pt_dlib_sym {
  const char *name;
  size_t offset;
} pt_dlib_sym;

/* The table's member for function f, typed from f's own prototype. */
#define PT_DLIB_MEMBER(f) __typeof__(f) *f;

typedef struct pt_dlib {
  const char *soname; /* "libarchive.so.13" */
  const char *debpkg; /* the Debian package that ships it: "libarchive13" */
  const pt_dlib_sym *syms;
  size_t n_syms;
  void *table; /* gets every symbol at its offset; zeroed on failure */
  size_t table_size;
  bool loaded;
  char error[512]; /* why loading failed */
} pt_dlib;

/* dlopen lib->soname and resolve every symbol into lib->table. Call it
 * once per library (from pthread_once): it is not reentrant. */
void pt_dlib_open(pt_dlib *lib);

/* After pt_dlib_open: 0, or -1 with err (may be NULL) saying which
 * library failed, why, and which package to install. */
int pt_dlib_result(const pt_dlib *lib, pt_err **err);

/* The whole of a dl_*.c: the table `tbl` (declared extern by its
 * header), its symbol list from FUNCTIONS (the header's X-macro list), the
 * library (soname_, debpkg_: CMake's), and `int load(pt_err **err)`,
 * which opens it once (thread-safe) and says how that went. The file
 * first names the table's type: `typedef struct ... pt_dlib_fns_t;`. */
#define PT_DLIB_SYM(f) {#f, offsetof(pt_dlib_fns_t, f)},
#define PT_DLIB_DEFINE(tbl, FUNCTIONS, soname_, debpkg_, load)               \
  pt_dlib_fns_t tbl;                                                        \
  static const pt_dlib_sym pt_dlib_syms_[] = {FUNCTIONS(PT_DLIB_SYM)};       \
  static pt_dlib pt_dlib_lib_ = {                                             \
      .soname = soname_,                                                      \
      .debpkg = debpkg_,                                                      \
      .syms = pt_dlib_syms_,                                                  \
      .n_syms = sizeof(pt_dlib_syms_) / sizeof(pt_dlib_syms_[0]),             \
      .table = &tbl,                                                          \
      .table_size = sizeof(tbl),                                            \
  };                                                                          \
  static pthread_once_t pt_dlib_once_ = PTHREAD_ONCE_INIT;                    \
  static void pt_dlib_load_once_(void) { pt_dlib_open(&pt_dlib_lib_); }       \
  int load(pt_err **err) {                                                    \
    pthread_once(&pt_dlib_once_, pt_dlib_load_once_);                         \
    return pt_dlib_result(&pt_dlib_lib_, err);                                \
  }

#endif
