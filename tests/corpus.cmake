# Corpus artifacts are well-formed and up to date. Nothing here runs sample
# code: build_corpus only reads and writes archives.

# Every artifact re-read: canonical mtime/owner/modes, same bytes as its
# sample tree, wheel RECORD hashes and sizes, npm main/bin targets present.
add_test(NAME corpus_verify
  COMMAND build_corpus --labels ${PKGTRAP_CORPUS_LABELS}
          --samples ${PKGTRAP_CORPUS_SAMPLES} --verify ${PKGTRAP_CORPUS_ARTIFACTS})

# A second build into a scratch dir is byte-identical to the first.
add_test(NAME corpus_reproducible
  COMMAND ${CMAKE_COMMAND}
          -DBUILDER=$<TARGET_FILE:build_corpus>
          -DLABELS=${PKGTRAP_CORPUS_LABELS} -DSAMPLES=${PKGTRAP_CORPUS_SAMPLES}
          -DARTIFACTS=${PKGTRAP_CORPUS_ARTIFACTS}
          -DSCRATCH=${CMAKE_CURRENT_BINARY_DIR}/corpus_reproducible
          -DMODE=reproducible
          -P ${CMAKE_SOURCE_DIR}/corpus/cmake/corpus_check.cmake)

# --verify must notice an artifact that no longer matches its sample.
add_test(NAME corpus_verify_detects_stale
  COMMAND ${CMAKE_COMMAND}
          -DBUILDER=$<TARGET_FILE:build_corpus>
          -DLABELS=${PKGTRAP_CORPUS_LABELS} -DSAMPLES=${PKGTRAP_CORPUS_SAMPLES}
          -DARTIFACTS=${PKGTRAP_CORPUS_ARTIFACTS}
          -DSCRATCH=${CMAKE_CURRENT_BINARY_DIR}/corpus_stale
          -DMODE=stale
          -P ${CMAKE_SOURCE_DIR}/corpus/cmake/corpus_check.cmake)

set_tests_properties(corpus_verify corpus_reproducible corpus_verify_detects_stale
  PROPERTIES LABELS "unit;corpus")
