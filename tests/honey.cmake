# Honeytoken generator: formats, modes, uniqueness, manifest errors.
pkgtrap_unit_test(test_honey
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_honey.c
  LIBS pkgtrap_honey PkgConfig::CRYPTO) # EVP_*: the reference base64 codec
target_compile_definitions(test_honey PRIVATE
  PKGTRAP_PROFILES_DIR="${PKGTRAP_PROFILES_SRC}")

# SQLite databases made from the build's images, against SQLite's own.
pkgtrap_unit_test(test_honey_sqlite
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_honey_sqlite.c
  LIBS pkgtrap_honey)
target_compile_definitions(test_honey_sqlite PRIVATE
  PKGTRAP_PROFILES_DIR="${PKGTRAP_PROFILES_SRC}")
# ... and of a template made for it (tests/unit/data/honey_sqlite_test.sql).
if(TARGET pkgtrap_honey_sqlite_prebuild)
  set(PKGTRAP_TEST_SQLITE_IMAGES ${CMAKE_CURRENT_BINARY_DIR}/test_sqlite_images.c)
  add_custom_command(OUTPUT ${PKGTRAP_TEST_SQLITE_IMAGES}
    COMMAND pkgtrap_honey_sqlite_prebuild ${PKGTRAP_TEST_SQLITE_IMAGES}
            test_sqlite_images ${CMAKE_CURRENT_SOURCE_DIR}/unit/data/honey_sqlite_test.sql
    DEPENDS pkgtrap_honey_sqlite_prebuild ${CMAKE_CURRENT_SOURCE_DIR}/unit/data/honey_sqlite_test.sql
    VERBATIM)
  target_sources(test_honey_sqlite PRIVATE ${PKGTRAP_TEST_SQLITE_IMAGES})
  target_compile_definitions(test_honey_sqlite PRIVATE
    PKGTRAP_TEST_SQL="${CMAKE_CURRENT_SOURCE_DIR}/unit/data/honey_sqlite_test.sql")
endif()
