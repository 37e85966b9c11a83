# Artifact module: hardened unpacking (libarchive), ecosystem
# identification, and the bounded metadata parsers (pymeta, npmmeta, and
# semver for the version ranges package.json gives).
add_library(pkgtrap_artifact STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/artifact.c
  ${CMAKE_CURRENT_SOURCE_DIR}/artifact_scan.c
  ${CMAKE_CURRENT_SOURCE_DIR}/artifact_identify.c
  ${CMAKE_CURRENT_SOURCE_DIR}/pymeta.c
  ${CMAKE_CURRENT_SOURCE_DIR}/npmmeta.c
  ${CMAKE_CURRENT_SOURCE_DIR}/semver.c
)
target_include_directories(pkgtrap_artifact PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# libarchive and libcrypto (sha256) through pkgtrap_dlib: loaded on first
# use, not linked.
target_link_libraries(pkgtrap_artifact PUBLIC
  pkgtrap_sandbox pkgtrap_dlib PkgConfig::JANSSON)
