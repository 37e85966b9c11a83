/* libFuzzer target: entry_points.txt parser (pymeta). */
#include <stddef.h>
#include <stdint.h>

#include "pymeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pt_pymeta_entry_points eps;
  pt_err *err = NULL;
  if (pt_pymeta_parse_entry_points((const char *)data, size, &eps, &err) == 0) {
    /* Touch every field so a bad pointer shows up under ASan. */
    size_t sum = 0;
    for (size_t i = 0; i < eps.len; i++)
      sum += eps.items[i].group[0] + eps.items[i].name[0] +
             eps.items[i].value[0] + eps.items[i].module[0] +
             (eps.items[i].attr ? eps.items[i].attr[0] : 0) +
             (eps.items[i].extras ? eps.items[i].extras[0] : 0);
    (void)sum;
    pt_pymeta_entry_points_free(&eps);
  } else if (err == NULL || err->msg == NULL) {
    __builtin_trap(); /* every failure must say why */
  }
  pt_err_free(err);
  return 0;
}
