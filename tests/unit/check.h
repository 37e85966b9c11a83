/* The unit tests' one assertion: CHECK(cond, fmt, ...) counts a failure in
 * `failures` and says where and why, and the test goes on (a table-driven
 * test reports every bad case, not the first). main returns failures != 0. */
#ifndef PKGTRAP_TESTS_UNIT_CHECK_H
#define PKGTRAP_TESTS_UNIT_CHECK_H

#include <stdio.h>

static int failures;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      failures++;                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

#endif
