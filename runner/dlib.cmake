# Optional libraries loaded with dlopen on first use (runner/dlib.h): the
# loader, and one table per library. Users get the libraries' headers and
# compile flags, never their link flags: `ldd pkgtrap-full` shows none of
# libarchive, libcurl, libcrypto, libssl.
add_library(pkgtrap_dlib STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/dlib.c
  ${CMAKE_CURRENT_SOURCE_DIR}/dl_archive.c
  ${CMAKE_CURRENT_SOURCE_DIR}/dl_curl.c
  ${CMAKE_CURRENT_SOURCE_DIR}/dl_crypto.c
  ${CMAKE_CURRENT_SOURCE_DIR}/dl_ssl.c
)
target_include_directories(pkgtrap_dlib PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
foreach(p ARCHIVE CURL CRYPTO SSL)
  target_include_directories(pkgtrap_dlib PUBLIC
    $<TARGET_PROPERTY:PkgConfig::${p},INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_options(pkgtrap_dlib PUBLIC
    $<TARGET_PROPERTY:PkgConfig::${p},INTERFACE_COMPILE_OPTIONS>)
endforeach()
target_compile_definitions(pkgtrap_dlib PRIVATE
  PT_DL_ARCHIVE_SONAME="${PKGTRAP_ARCHIVE_SONAME}"
  PT_DL_ARCHIVE_DEBPKG="${PKGTRAP_ARCHIVE_DEBPKG}"
  PT_DL_CURL_SONAME="${PKGTRAP_CURL_SONAME}"
  PT_DL_CURL_DEBPKG="${PKGTRAP_CURL_DEBPKG}"
  PT_DL_CRYPTO_SONAME="${PKGTRAP_CRYPTO_SONAME}"
  PT_DL_CRYPTO_DEBPKG="${PKGTRAP_CRYPTO_DEBPKG}"
  PT_DL_SSL_SONAME="${PKGTRAP_SSL_SONAME}"
  PT_DL_SSL_DEBPKG="${PKGTRAP_SSL_DEBPKG}")
target_link_libraries(pkgtrap_dlib PUBLIC pkgtrap_sandbox)
# glibc 2.34 moved dlopen into libc; older ones need libdl.
include(CheckSymbolExists)
check_symbol_exists(dlopen dlfcn.h PKGTRAP_DLOPEN_IN_LIBC)
if(NOT PKGTRAP_DLOPEN_IN_LIBC)
  target_link_libraries(pkgtrap_dlib PUBLIC ${CMAKE_DL_LIBS})
endif()
