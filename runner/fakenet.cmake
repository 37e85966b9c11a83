# The fake network the supervisor runs inside the jail's netns: sinkhole
# DNS, TCP listeners and UDP receivers on the ports the recorder prepares,
# events for every connection (runner/fakenet.h).
add_library(pkgtrap_fakenet STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/fakenet.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fakenet_dns.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fakenet_tcp.c
  ${CMAKE_CURRENT_SOURCE_DIR}/tlsmitm.c
)
target_include_directories(pkgtrap_fakenet PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# libssl (TLS interception, tlsmitm.c) through pkgtrap_dlib: loaded when a
# session intercepts, never by `pkgtrap run`.
target_link_libraries(pkgtrap_fakenet PUBLIC pkgtrap_sandbox pkgtrap_proto pkgtrap_dlib PkgConfig::JANSSON)
