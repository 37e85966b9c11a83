# Fake-network protocol code (runner/proto.cmake): unit tests and fuzz
# harnesses (replayed over their seeds in every build).
pkgtrap_unit_test(test_dnsmsg SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_dnsmsg.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_doh SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_doh.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_ftp SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_ftp.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_httpgit SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_httpgit.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_httpreq SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_httpreq.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_irc SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_irc.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_smtp SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_smtp.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_tlshello SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_tlshello.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_tokscan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_tokscan.c LIBS pkgtrap_proto)
pkgtrap_unit_test(test_websocket SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_websocket.c LIBS pkgtrap_proto)

foreach(t dnsmsg doh ftp httpreq irc smtp tlshello tokscan websocket)
  pkgtrap_fuzz_target(${t}
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${t}.c
    LIBS pkgtrap_proto
    SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/${t})
endforeach()

# TLS interception's server side (runner/tlsmitm.c, on libssl): what a
# sample sends to an intercepted connection.
pkgtrap_fuzz_target(tlsmitm
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_tlsmitm.c
  LIBS pkgtrap_fakenet
  SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/tlsmitm)
