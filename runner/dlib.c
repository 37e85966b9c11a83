/* dlopen + dlsym into a table of function pointers; see dlib.h for why. */
#define _GNU_SOURCE
#include "dlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* dlsym returns void *; POSIX guarantees it converts to a function
 * pointer, which the table members are. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "function pointers are not the size of void *");

void pt_dlib_open(pt_dlib *lib) {
  /* RTLD_NOW: a library missing something it needs fails here, with a
   * message, not at some later call. RTLD_LOCAL: its symbols do not
   * interpose on libraries loaded after it. Once loaded it is never
   * closed: the table points into it. */
  memset(lib->table, 0, lib->table_size);
  void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    const char *why = dlerror();
    snprintf(lib->error, sizeof(lib->error),
             "load `%s`: %s (apt-get install %s)", lib->soname,
             why ? why : "unknown error", lib->debpkg);
    return;
  }
  for (size_t i = 0; i < lib->n_syms; i++) {
    dlerror();
    void *p = dlsym(h, lib->syms[i].name);
    if (p == NULL) { /* no function lives at NULL */
      const char *why = dlerror();
      snprintf(lib->error, sizeof(lib->error),
               "load `%s`: no function `%s`: %s (apt-get install %s, a "
               "version as new as the headers pkgtrap was built with)",
               lib->soname, lib->syms[i].name, why ? why : "NULL", lib->debpkg);
      memset(lib->table, 0, lib->table_size);
      dlclose(h);
      return;
    }
    memcpy((char *)lib->table + lib->syms[i].offset, &p, sizeof(p));
  }
  lib->loaded = true;
}

int pt_dlib_result(const pt_dlib *lib, pt_err **err) {
  if (lib->loaded)
    return 0;
  return pt_err_make(err, 0, "%s",
                     lib->error[0] ? lib->error : "library not loaded");
}
