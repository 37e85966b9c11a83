# The fake network in a real jail (runner/fakenet.h): a python3 sample
# resolves, POSTs, sends raw TCP/UDP, starts TLS over IPv6 and smuggles a
# token through DNS; every event is checked. Inside an outer `unshare --net`
# (loopback only) as a safety belt, like every jail test.
add_executable(test_fakenet_jail
  ${CMAKE_CURRENT_SOURCE_DIR}/fakenet/test_fakenet_jail.c
  ${CMAKE_SOURCE_DIR}/runner/events.c)
target_include_directories(test_fakenet_jail PRIVATE ${CMAKE_SOURCE_DIR}/tests)
target_compile_definitions(test_fakenet_jail PRIVATE PKGTRAP_PROFILES_DIR="${PKGTRAP_PROFILES_SRC}")
target_link_libraries(test_fakenet_jail PRIVATE pkgtrap_fakenet)

find_program(UNSHARE unshare REQUIRED)
add_test(NAME fakenet_jail
  COMMAND ${UNSHARE} --net -- $<TARGET_FILE:test_fakenet_jail>)
set_tests_properties(fakenet_jail PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "integration"
  # Jail tests check that nothing of pkgtrap is left on the machine; a
  # concurrent jail would falsify that.
  RESOURCE_LOCK host_state)

# The same rootless (as nobody): the netns broker joins the jail's user
# namespace, and privileged ports (53, 443) are still ours to bind.
find_program(RUNUSER runuser)
if(RUNUSER)
  add_test(NAME fakenet_jail_rootless
    COMMAND ${UNSHARE} --net -- sh -c
      "[ \"$(id -u)\" = 0 ] || exit 77; exec ${RUNUSER} -u nobody -- \"$0\""
      $<TARGET_FILE:test_fakenet_jail>)
  set_tests_properties(fakenet_jail_rootless PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 120 LABELS "integration"
    RESOURCE_LOCK host_state)
endif()
