# Tests of runner/dlib.c and the dlopen tables (dl_archive, dl_curl).
pkgtrap_unit_test(test_dlib
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_dlib.c
  LIBS pkgtrap_dlib)
