# `cmake --install` into a scratch prefix, and the installed copy used.
find_program(UNSHARE unshare REQUIRED)
add_test(NAME install_tree
  COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/install/install_test.sh)
set_tests_properties(install_tree PROPERTIES
  ENVIRONMENT "BUILD=${CMAKE_BINARY_DIR};SRC=${CMAKE_SOURCE_DIR};FRONT=$<TARGET_EXISTS:pkgtrap-full>;TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp"
  TIMEOUT 120 LABELS integration)
