# Tests of runner/dlib.c and the dlopen tables (dl_archive, dl_curl,
# dl_crypto). Linked like pkgtrap: none of the three libraries.
pkgtrap_unit_test(test_dlib
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_dlib.c
  LIBS pkgtrap_dlib)
target_compile_definitions(test_dlib PRIVATE
  PT_TEST_ARCHIVE_SONAME="${PKGTRAP_ARCHIVE_SONAME}"
  PT_TEST_CRYPTO_SONAME="${PKGTRAP_CRYPTO_SONAME}")
