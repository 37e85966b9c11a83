/* libFuzzer target: METADATA / PKG-INFO parser (pymeta). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pymeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pt_pymeta_metadata md;
  pt_err *err = NULL;
  if (pt_pymeta_parse_metadata((const char *)data, size, &md, &err) == 0) {
    /* What the parser promises about validated fields. */
    if (md.name != NULL && !pt_pymeta_valid_name(md.name))
      __builtin_trap();
    if (md.version != NULL && !pt_pymeta_valid_version(md.version))
      __builtin_trap();
    size_t sum = md.summary ? strlen(md.summary) : 0;
    for (size_t i = 0; i < md.requires_dist.len; i++)
      sum += strlen(md.requires_dist.items[i]);
    (void)sum;
    pt_pymeta_metadata_free(&md);
  } else if (err == NULL || err->msg == NULL) {
    __builtin_trap();
  }
  pt_err_free(err);
  return 0;
}
