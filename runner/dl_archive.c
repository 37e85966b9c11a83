/* The libarchive table (dl_archive.h). The SONAME and the package are CMake's,
 * read from the libarchive.so pkg-config found and from dpkg. */
#define PT_DL_ARCHIVE_TABLE
#include "dl_archive.h"

typedef struct pt_dl_archive_fns pt_dlib_fns_t;
PT_DLIB_DEFINE(pt_dl_archive, PT_DL_ARCHIVE_FUNCTIONS, PT_DL_ARCHIVE_SONAME,
               PT_DL_ARCHIVE_DEBPKG, pt_dl_archive_load)
