/* libFuzzer target: package.json (npmmeta over jansson). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "npmmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pt_npmmeta m;
  pt_err *err = NULL;
  if (pt_npmmeta_parse((const char *)data, size, &m, &err) == 0) {
    if (m.name != NULL && !pt_npmmeta_valid_name(m.name))
      __builtin_trap();
    if (m.version != NULL && !pt_npmmeta_valid_version(m.version))
      __builtin_trap();
    size_t sum = 0;
    const pt_npmmeta_map *maps[] = {&m.scripts, &m.bin, &m.dependencies,
                                    &m.optional_dependencies};
    for (size_t k = 0; k < 4; k++)
      for (size_t i = 0; i < maps[k]->len; i++)
        sum += strlen(maps[k]->items[i].key) + strlen(maps[k]->items[i].value);
    for (size_t i = 0; i < m.n_bundle_dependencies; i++)
      sum += strlen(m.bundle_dependencies[i]);
    (void)pt_npmmeta_script(&m, "postinstall");
    (void)sum;
    pt_npmmeta_free(&m);
  } else if (err == NULL || err->msg == NULL) {
    __builtin_trap();
  }
  pt_err_free(err);
  return 0;
}
