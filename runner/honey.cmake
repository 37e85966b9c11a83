# Honeytokens: per-run identity and a fake HOME full of credentials
# (templates are data in profiles/honeytokens/).
# The bundled SQL templates run through SQLite once, at build time
# (honey_sqlite_prebuild.c, honey_sqlite_image.h): a run then makes each
# database from that image, ~1 ms of SQLite less on its start-up, while
# the template is byte for byte the same. As with the seccomp image, the
# tool runs on the build machine: a cross build gets no images.
file(GLOB PKGTRAP_SQL_TEMPLATES CONFIGURE_DEPENDS
  ${PKGTRAP_PROFILES_SRC}/honeytokens/templates/*.sql)
list(SORT PKGTRAP_SQL_TEMPLATES)
set(PKGTRAP_SQLITE_IMAGES ${CMAKE_CURRENT_BINARY_DIR}/honey_sqlite_images.c)
if(CMAKE_CROSSCOMPILING)
  file(WRITE ${PKGTRAP_SQLITE_IMAGES}.in
    "#include \"honey_sqlite_image.h\"\n"
    "const struct honey_sqlite_image *const pt_honey_sqlite_images[] = {NULL};\n"
    "const size_t pt_honey_sqlite_images_n = 0;\n")
  configure_file(${PKGTRAP_SQLITE_IMAGES}.in ${PKGTRAP_SQLITE_IMAGES} COPYONLY)
else()
  add_executable(pkgtrap_honey_sqlite_prebuild
    ${CMAKE_CURRENT_SOURCE_DIR}/honey_sqlite_prebuild.c)
  target_include_directories(pkgtrap_honey_sqlite_prebuild PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(pkgtrap_honey_sqlite_prebuild PRIVATE PkgConfig::SQLITE)
  add_custom_command(OUTPUT ${PKGTRAP_SQLITE_IMAGES}
    COMMAND pkgtrap_honey_sqlite_prebuild ${PKGTRAP_SQLITE_IMAGES}
            pt_honey_sqlite_images ${PKGTRAP_SQL_TEMPLATES}
    DEPENDS pkgtrap_honey_sqlite_prebuild ${PKGTRAP_SQL_TEMPLATES}
    COMMENT "Making the honeytoken SQLite templates' images"
    VERBATIM)
endif()

pkgtrap_json_image(PKGTRAP_HONEY_MANIFEST_IMAGE pt_honey_manifest_image
  ${PKGTRAP_PROFILES_SRC}/honeytokens/manifest.json)

add_library(pkgtrap_honey STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/honey.c
  ${CMAKE_CURRENT_SOURCE_DIR}/honey_gen.c
  ${CMAKE_CURRENT_SOURCE_DIR}/honey_chrome_decrypt.c
  ${CMAKE_CURRENT_SOURCE_DIR}/honey_sqlite_image.c
  ${PKGTRAP_SQLITE_IMAGES}
  ${PKGTRAP_HONEY_MANIFEST_IMAGE}
  ${CMAKE_CURRENT_SOURCE_DIR}/aes128.c
)
target_include_directories(pkgtrap_honey PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# libcrypto (the Chrome passwords' AES) through pkgtrap_dlib: loaded when
# the HOME is written, not linked.
target_link_libraries(pkgtrap_honey PUBLIC
  pkgtrap_sandbox pkgtrap_dlib PkgConfig::JANSSON PkgConfig::SQLITE)
