# Batch verbs: the SQLite result store, the scan driver (fork per artifact,
# single writer), the registry clients and the sweep, `pkgtrap report`.
# Triage is reached through a function pointer (scan.h: pt_scan_triage),
# so this library does not depend on it.
add_library(pkgtrap_batch STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/store.c
  ${CMAKE_CURRENT_SOURCE_DIR}/scan.c
  ${CMAKE_CURRENT_SOURCE_DIR}/scan_progress.c
  ${CMAKE_CURRENT_SOURCE_DIR}/cmd_scan.c
  ${CMAKE_CURRENT_SOURCE_DIR}/cmd_report.c
  ${CMAKE_CURRENT_SOURCE_DIR}/registry.c
  ${CMAKE_CURRENT_SOURCE_DIR}/registry_npm.c
  ${CMAKE_CURRENT_SOURCE_DIR}/registry_pypi.c
  ${CMAKE_CURRENT_SOURCE_DIR}/cmd_sweep.c
)
target_include_directories(pkgtrap_batch PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# libcurl and libcrypto (digests) through pkgtrap_dlib: loaded on first
# use, not linked.
target_link_libraries(pkgtrap_batch PUBLIC
  pkgtrap_sandbox pkgtrap_dlib PkgConfig::JANSSON PkgConfig::SQLITE)
