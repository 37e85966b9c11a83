/* The harnesses' invariant check: abort(), which libFuzzer reports as a
 * crash with the input that broke it (assert() vanishes under NDEBUG). */
#ifndef PT_FUZZ_ASSERT_H
#define PT_FUZZ_ASSERT_H

#include <stdlib.h>

#define ASSERT(c)                                                              \
  do {                                                                         \
    if (!(c))                                                                  \
      abort();                                                                 \
  } while (0)

#endif
