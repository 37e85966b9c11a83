# Honeytokens: per-run identity and a fake HOME full of credentials
# (templates are data in profiles/honeytokens/).
add_library(pkgtrap_honey STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/honey.c
  ${CMAKE_CURRENT_SOURCE_DIR}/honey_gen.c
  ${CMAKE_CURRENT_SOURCE_DIR}/honey_pack.c
  ${CMAKE_CURRENT_SOURCE_DIR}/aes128.c
)
target_include_directories(pkgtrap_honey PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# libcrypto (the Chrome passwords' AES) through pkgtrap_dlib: loaded when
# the HOME is written, not linked.
target_link_libraries(pkgtrap_honey PUBLIC
  pkgtrap_sandbox pkgtrap_dlib PkgConfig::JANSSON PkgConfig::SQLITE)
