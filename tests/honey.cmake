# Honeytoken generator: formats, modes, uniqueness, manifest errors.
pkgtrap_unit_test(test_honey
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_honey.c
  LIBS pkgtrap_honey PkgConfig::CRYPTO) # EVP_*: the reference base64 codec
target_compile_definitions(test_honey PRIVATE
  PKGTRAP_PROFILES_DIR="${PKGTRAP_PROFILES_DIR}")
