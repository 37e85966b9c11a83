# The verdict engine: detection rules as data (profiles/rules/*.json)
# evaluated over a triage record into findings, a score and a verdict.
add_library(pkgtrap_rules STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/rules_load.c
  ${CMAKE_CURRENT_SOURCE_DIR}/rules_match.c
  ${CMAKE_CURRENT_SOURCE_DIR}/verdict.c
)
target_include_directories(pkgtrap_rules PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(pkgtrap_rules PUBLIC pkgtrap_sandbox PkgConfig::JANSSON)
