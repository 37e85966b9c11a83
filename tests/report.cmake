# Reports (runner/report.cmake): unit tests, schema validation of every
# fixture's report (python3, standard library only), and the HTML page in
# headless Chromium.
add_executable(report_tool ${CMAKE_CURRENT_SOURCE_DIR}/report/report_tool.c)
target_link_libraries(report_tool PRIVATE pkgtrap_report)

pkgtrap_unit_test(test_report
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_report.c
  LIBS pkgtrap_report)
target_compile_definitions(test_report PRIVATE
  PKGTRAP_REPORT_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/report/fixtures")

find_program(PYTHON3 python3)
set(PKGTRAP_REPORT_TEST_ENV
  "REPORT_TOOL=$<TARGET_FILE:report_tool>"
  "FIXTURES=${CMAKE_CURRENT_SOURCE_DIR}/report/fixtures"
  "DOCS=${CMAKE_SOURCE_DIR}/docs"
  "TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp")

add_test(NAME report_schema
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/schema_test.sh)
set_tests_properties(report_schema PROPERTIES
  ENVIRONMENT "${PKGTRAP_REPORT_TEST_ENV}" LABELS unit TIMEOUT 60)

add_test(NAME report_output_paths
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/output_paths_test.sh)
set_tests_properties(report_output_paths PROPERTIES
  ENVIRONMENT "${PKGTRAP_REPORT_TEST_ENV}" LABELS unit TIMEOUT 60)

add_test(NAME report_html
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/html_test.sh)
set_tests_properties(report_html PROPERTIES
  ENVIRONMENT "${PKGTRAP_REPORT_TEST_ENV}"
  SKIP_RETURN_CODE 77 LABELS integration TIMEOUT 180)
