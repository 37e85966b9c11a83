# The jail, end to end: the real binary runs the probe in the real jail,
# inside an outer `unshare --net` (loopback only) as a safety belt; once as
# root and once rootless (as nobody, through runuser).
add_executable(probe jail/probe.c jail/probe_rec.c)
target_link_libraries(probe PRIVATE pthread)
# The probe runs inside the jail and tries what a sample would; it is not
# under test itself, so it is built without sanitizers even in the ASan
# configuration (their runtimes ptrace and map memory the jail refuses).
target_compile_options(probe PRIVATE -Wno-unused-result -fno-sanitize=all)
target_link_options(probe PRIVATE -fno-sanitize=all)

find_program(UNSHARE unshare REQUIRED)
find_program(RUNUSER runuser)

set(PKGTRAP_TEST_ENV
  "PKGTRAP=$<TARGET_FILE:pkgtrap>"
  "PROBE=$<TARGET_FILE:probe>"
  "PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles"
  "TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp"
  "PKGTRAP_SANITIZED=${PKGTRAP_SANITIZE}")

foreach(mode root rootless)
  add_test(NAME jail_${mode}
    COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/jail/jail_test.sh ${mode})
  set_tests_properties(jail_${mode} PROPERTIES
    ENVIRONMENT "${PKGTRAP_TEST_ENV}"
    SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "jail;integration")
endforeach()

# The recorder: a golden trace, and a multi-threaded stress that must lose
# nothing (both as root and rootless: the fake network's broker differs);
# and the golden run on a noatime mount, where token-file reads are seen
# by inotify instead of atime.
foreach(mode root rootless)
  set(whats golden stress)
  if(mode STREQUAL "root")
    list(APPEND whats golden-noatime)
  endif()
  foreach(what ${whats})
    add_test(NAME recorder_${what}_${mode}
      COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/recorder/recorder_test.sh ${mode} ${what})
    set_tests_properties(recorder_${what}_${mode} PROPERTIES
      ENVIRONMENT "${PKGTRAP_TEST_ENV}"
      SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "recorder;integration")
  endforeach()
endforeach()

# Node's timers shortened in the jail by profiles/ecosystems/node-timers.cjs
# (npm triage preloads it into every node process), each one an event.
add_test(NAME recorder_node_timers
  COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/recorder/node_timers_test.sh)
set_tests_properties(recorder_node_timers PROPERTIES
  ENVIRONMENT "${PKGTRAP_TEST_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "recorder;integration")

# Python's waits that are no sleep syscall, shortened in the jail by
# profiles/ecosystems/python-site (PyPI triage puts it on PYTHONPATH).
add_test(NAME recorder_python_waits
  COMMAND ${UNSHARE} --net -- bash ${CMAKE_CURRENT_SOURCE_DIR}/recorder/python_waits_test.sh)
set_tests_properties(recorder_python_waits PROPERTIES
  ENVIRONMENT "${PKGTRAP_TEST_ENV}"
  SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "recorder;integration")

# The seccomp filter compiled at build time equals a run's own compile, and
# is used for no other policy or rules (sandbox/jail_filter_image.c).
pkgtrap_unit_test(test_seccomp_image
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_seccomp_image.c
  LIBS pkgtrap_runner)
target_compile_definitions(test_seccomp_image PRIVATE
  PT_TEST_PROFILES_DIR="${CMAKE_SOURCE_DIR}/profiles")

# CMD's launch key: execve and clone go through the installed filter
# without a stop with exactly the run's key, and stop for any other value.
pkgtrap_unit_test(test_launch_key
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_launch_key.c
  LIBS pkgtrap_runner)
target_compile_definitions(test_launch_key PRIVATE
  PT_TEST_PROFILES_DIR="${CMAKE_SOURCE_DIR}/profiles")

# Build-time JSON images (runner/json_prebuild.c) against jansson's parse.
pkgtrap_json_image(PKGTRAP_TEST_JSON_IMAGE test_json_image
  ${CMAKE_CURRENT_SOURCE_DIR}/unit/data/json_image_test.json)
pkgtrap_unit_test(test_json_image
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_json_image.c
          ${PKGTRAP_TEST_JSON_IMAGE}
  LIBS pkgtrap_runner pkgtrap_honey)
target_compile_definitions(test_json_image PRIVATE
  PKGTRAP_PROFILES_DIR="${PKGTRAP_PROFILES_SRC}"
  PKGTRAP_TEST_JSON="${CMAKE_CURRENT_SOURCE_DIR}/unit/data/json_image_test.json")
