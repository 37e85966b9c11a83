# Batch verbs (scan, sweep, report) and the store, with a stub triage (the
# verdict comes from the file name), inside an outer `unshare --net` with
# only loopback: the registry tests start their servers on 127.0.0.1.
add_executable(pkgtrap-batch-test
  ${CMAKE_CURRENT_SOURCE_DIR}/batch/batch_cli.c
  ${CMAKE_CURRENT_SOURCE_DIR}/batch/stub_triage.c)
target_link_libraries(pkgtrap-batch-test PRIVATE pkgtrap_batch)
target_compile_definitions(pkgtrap-batch-test PRIVATE HAVE_SWEEP=1)

pkgtrap_unit_test(test_store
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_store.c
  LIBS pkgtrap_batch)

pkgtrap_unit_test(test_registry
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_registry.c
  LIBS pkgtrap_batch)

find_program(UNSHARE unshare REQUIRED)
# Where verdaccio is installed (the `verdaccio` target); a second build
# configuration can point at the first one's instead of installing again.
set(PKGTRAP_VERDACCIO_DIR ${CMAKE_BINARY_DIR}/verdaccio CACHE PATH "verdaccio install dir")
set(PKGTRAP_BATCH_TEST_ENV
  "PKGTRAP_BATCH=$<TARGET_FILE:pkgtrap-batch-test>"
  "TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp"
  "BATCH_TESTS=${CMAKE_CURRENT_SOURCE_DIR}/batch"
  "VERDACCIO_DIR=${PKGTRAP_VERDACCIO_DIR}")

# verdaccio (the npm registry server) for batch_sweep_npm, installed into
# the build tree from the npm registry: needs the network, so it is a
# target of its own, not part of `all`; the test skips (77) without it.
# node-fetch is pinned because verdaccio-audit asks for a dist-tag (`cjs`)
# the registry no longer has.
find_program(NPM npm)
if(NPM)
  file(WRITE ${PKGTRAP_VERDACCIO_DIR}/package.json
    "{ \"name\": \"pkgtrap-test-verdaccio\", \"private\": true,\n"
    "  \"dependencies\": { \"verdaccio\": \"^6\" },\n"
    "  \"overrides\": { \"node-fetch\": \"2.7.0\" } }\n")
  add_custom_target(verdaccio
    COMMAND ${NPM} install --no-audit --no-fund
    WORKING_DIRECTORY ${PKGTRAP_VERDACCIO_DIR}
    COMMENT "npm install verdaccio into the build tree")
endif()

# name -> script in tests/batch/. A pid namespace of its own too, so the
# servers a test starts die with it whatever happens.
foreach(t scan sweep_pypi sweep_npm sweep_liar)
  add_test(NAME batch_${t}
    COMMAND ${UNSHARE} --net --pid --fork --mount-proc --kill-child -- bash -c "ip link set lo up && exec bash ${CMAKE_CURRENT_SOURCE_DIR}/batch/${t}.sh"
    )
  set_tests_properties(batch_${t} PROPERTIES
    ENVIRONMENT "${PKGTRAP_BATCH_TEST_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS "batch;integration")
endforeach()
