# cmake -P helper for tests/corpus.cmake. Only runs build_corpus, which
# reads and writes archives; never any sample code.
#   MODE=reproducible  rebuild into SCRATCH and compare every artifact
#   MODE=stale         copy the samples, change one file, expect --verify to fail
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH})

if(MODE STREQUAL "reproducible")
  execute_process(COMMAND ${BUILDER} --labels ${LABELS} --samples ${SAMPLES}
                          --out ${SCRATCH}/out
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "rebuild failed: ${rc}")
  endif()
  file(GLOB built RELATIVE ${ARTIFACTS} ${ARTIFACTS}/*)
  file(GLOB again RELATIVE ${SCRATCH}/out ${SCRATCH}/out/*)
  list(SORT built)
  list(SORT again)
  if(NOT built STREQUAL again)
    message(FATAL_ERROR "artifact sets differ:\n${built}\n${again}")
  endif()
  foreach(f ${built})
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
                            ${ARTIFACTS}/${f} ${SCRATCH}/out/${f}
                    RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "not reproducible: ${f}")
    endif()
  endforeach()
elseif(MODE STREQUAL "stale")
  file(COPY ${SAMPLES}/ DESTINATION ${SCRATCH}/samples)
  file(GLOB_RECURSE victims ${SCRATCH}/samples/*/METADATA)
  list(SORT victims)
  list(GET victims 0 victim)
  file(APPEND ${victim} "\nchanged after the build\n")
  execute_process(COMMAND ${BUILDER} --labels ${LABELS}
                          --samples ${SCRATCH}/samples --verify ${ARTIFACTS}
                  RESULT_VARIABLE rc ERROR_VARIABLE msg)
  if(rc EQUAL 0)
    message(FATAL_ERROR "--verify accepted an artifact that differs from ${victim}")
  endif()
  if(NOT msg MATCHES "differs from the sample")
    message(FATAL_ERROR "--verify failed for the wrong reason: ${msg}")
  endif()
else()
  message(FATAL_ERROR "unknown MODE `${MODE}`")
endif()
file(REMOVE_RECURSE ${SCRATCH})
