# Tests of the artifact module (runner/artifact*, pymeta, npmmeta, semver).
# The test writes its archives with libarchive itself (linked); the module
# under test still loads it with dlopen.
pkgtrap_unit_test(test_artifact
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_artifact.c
  LIBS pkgtrap_artifact PkgConfig::ARCHIVE)
pkgtrap_unit_test(test_pymeta
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_pymeta.c
  LIBS pkgtrap_artifact)
pkgtrap_unit_test(test_npmmeta
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_npmmeta.c
  LIBS pkgtrap_artifact)
pkgtrap_unit_test(test_semver
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_semver.c
  LIBS pkgtrap_artifact)

set(_seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds)
foreach(t artifact pymeta_entry_points pymeta_metadata pymeta_record npmmeta semver)
  pkgtrap_fuzz_target(${t}
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${t}.c
    LIBS pkgtrap_artifact
    SEEDS ${_seeds}/${t})
endforeach()
