# Verdict engine (runner/rules.cmake): table-driven over synthetic triage
# records in tests/rules/ against the real rules in profiles/rules/, bad
# rule files, and the rule-loader fuzz harness (replayed over its seeds).
pkgtrap_unit_test(test_rules SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_rules.c LIBS pkgtrap_rules)
# The event sink's cap and its per-phase reserve.
pkgtrap_unit_test(test_events SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_events.c LIBS pkgtrap_runner)
target_compile_definitions(test_rules PRIVATE
  PT_TEST_RULES_DIR="${CMAKE_SOURCE_DIR}/profiles/rules"
  PT_TEST_RECORDS_DIR="${CMAKE_CURRENT_SOURCE_DIR}/rules")

pkgtrap_fuzz_target(rules
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_rules.c
  LIBS pkgtrap_rules
  SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds/rules)
