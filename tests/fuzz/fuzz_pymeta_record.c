/* libFuzzer target: RECORD (CSV) and top_level.txt parsers (pymeta). The
 * first byte picks the parser so one corpus serves both. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pymeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  bool top_level = data[0] == 'T';
  pt_pymeta_strlist l;
  pt_err *err = NULL;
  int rc = top_level
               ? pt_pymeta_parse_top_level((const char *)data + 1, size - 1,
                                           &l, &err)
               : pt_pymeta_parse_record((const char *)data + 1, size - 1, &l,
                                        &err);
  if (rc == 0) {
    size_t sum = 0;
    for (size_t i = 0; i < l.len; i++) {
      if (l.items[i][0] == '\0')
        __builtin_trap(); /* empty paths and names are never returned */
      sum += strlen(l.items[i]);
    }
    (void)sum;
    pt_pymeta_strlist_free(&l);
  } else if (err == NULL || err->msg == NULL) {
    __builtin_trap();
  }
  pt_err_free(err);
  return 0;
}
