# The corpus confusion matrix: every labelled corpus sample triaged by the
# real pkgtrap in the real jail (inside an outer `unshare --net`); every
# malicious sample must come out `malicious`, every benign one `clean`.
find_program(UNSHARE unshare REQUIRED)
add_test(NAME corpus_confusion_matrix
  COMMAND ${UNSHARE} --net -- python3 ${CMAKE_CURRENT_SOURCE_DIR}/verdict/confusion.py
          $<TARGET_FILE:pkgtrap> ${CMAKE_SOURCE_DIR}/corpus/labels.json
          ${PKGTRAP_CORPUS_ARTIFACTS} ${CMAKE_BINARY_DIR}/test-tmp/confusion -j 2)
set_tests_properties(corpus_confusion_matrix PROPERTIES
  ENVIRONMENT "PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;TMPDIR=/tmp"
  TIMEOUT 600 LABELS "integration;verdict")

# scan/report/resume with the real triage on real corpus artifacts.
add_test(NAME batch_scan_real
  COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/batch_real/scan_real.sh)
set_tests_properties(batch_scan_real PROPERTIES
  ENVIRONMENT "PKGTRAP=$<TARGET_FILE:pkgtrap>;ART=${PKGTRAP_CORPUS_ARTIFACTS};TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp;PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;TMPDIR=/tmp"
  TIMEOUT 300 LABELS "integration;batch")

# sweep with the real triage against a real npm registry (verdaccio) on
# 127.0.0.1; skips (77) only when verdaccio is not installed.
add_test(NAME batch_sweep_real_npm
  COMMAND ${UNSHARE} --net --pid --fork --mount-proc --kill-child -- bash -c "ip link set lo up && exec bash ${CMAKE_CURRENT_SOURCE_DIR}/batch_real/sweep_real.sh")
set_tests_properties(batch_sweep_real_npm PROPERTIES
  ENVIRONMENT "PKGTRAP=$<TARGET_FILE:pkgtrap>;ART=${PKGTRAP_CORPUS_ARTIFACTS};TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp;PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;BATCH_TESTS=${CMAKE_CURRENT_SOURCE_DIR}/batch;VERDACCIO_DIR=${PKGTRAP_VERDACCIO_DIR}"
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "integration;batch")
