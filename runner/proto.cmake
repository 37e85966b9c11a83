# Fake-network protocol code: pure parsers and builders over byte buffers
# (DNS, DNS over HTTPS, HTTP/1.x, a git push over HTTP, IRC registration, SMTP submission, FTP upload, TLS ClientHello, WebSocket frames) and honeytoken matching. No sockets.
# base64/base32/hex are written by hand in tokscan.c (a few lines each)
# rather than pulling libcrypto into a library the fuzzers link.
add_library(pkgtrap_proto STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/dnsmsg.c
  ${CMAKE_CURRENT_SOURCE_DIR}/doh.c
  ${CMAKE_CURRENT_SOURCE_DIR}/ftp.c
  ${CMAKE_CURRENT_SOURCE_DIR}/httpgit.c
  ${CMAKE_CURRENT_SOURCE_DIR}/httpreq.c
  ${CMAKE_CURRENT_SOURCE_DIR}/irc.c
  ${CMAKE_CURRENT_SOURCE_DIR}/lines.c
  ${CMAKE_CURRENT_SOURCE_DIR}/smtp.c
  ${CMAKE_CURRENT_SOURCE_DIR}/tlshello.c
  ${CMAKE_CURRENT_SOURCE_DIR}/tokscan.c
  ${CMAKE_CURRENT_SOURCE_DIR}/tokscan_nested.c
  ${CMAKE_CURRENT_SOURCE_DIR}/websocket.c
)
target_include_directories(pkgtrap_proto PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(pkgtrap_proto PUBLIC pkgtrap_sandbox PkgConfig::ZLIB)
