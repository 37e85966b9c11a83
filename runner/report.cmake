# Reports (runner/report.h): report v1 from a triage record and findings,
# rendered for terminals, as JSON, as one self-contained HTML page and as
# SARIF 2.1.0. docs/report-v1.md documents every output.
add_library(pkgtrap_report STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/report.c
  ${CMAKE_CURRENT_SOURCE_DIR}/report_text.c
  ${CMAKE_CURRENT_SOURCE_DIR}/report_html.c
  ${CMAKE_CURRENT_SOURCE_DIR}/report_sarif.c)
target_include_directories(pkgtrap_report PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
# The tool version recorded in every report and SARIF log.
target_compile_definitions(pkgtrap_report PRIVATE
  PKGTRAP_REPORT_VERSION="${PROJECT_VERSION}")
target_link_libraries(pkgtrap_report PUBLIC pkgtrap_sandbox PkgConfig::JANSSON)
