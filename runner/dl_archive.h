/* libarchive, loaded with dlopen on first use (dlib.h says why).
 *
 * Include this instead of <archive.h>: after the real headers it redirects
 * every libarchive function the unpacker calls to the table, so the
 * callers read as plain libarchive code. Call pt_dl_archive_load() before
 * the first of them; a function missing from the list below is a link
 * error (pkgtrap does not link libarchive), never a silent direct call. */
#ifndef PT_DL_ARCHIVE_H
#define PT_DL_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>

#include "dlib.h"

#define PT_DL_ARCHIVE_FUNCTIONS(X)                                             \
  X(archive_error_string)                                                      \
  X(archive_format)                                                            \
  X(archive_format_name)                                                       \
  X(archive_read_data)                                                         \
  X(archive_read_free)                                                         \
  X(archive_read_new)                                                          \
  X(archive_read_next_header)                                                  \
  X(archive_read_open_fd)                                                      \
  X(archive_read_support_filter_bzip2)                                         \
  X(archive_read_support_filter_gzip)                                          \
  X(archive_read_support_filter_xz)                                            \
  X(archive_read_support_format_tar)                                           \
  X(archive_read_support_format_zip)                                           \
  X(archive_entry_filetype)                                                    \
  X(archive_entry_hardlink)                                                    \
  X(archive_entry_pathname)                                                    \
  X(archive_entry_pathname_utf8)                                               \
  X(archive_entry_perm)                                                        \
  X(archive_entry_symlink)

struct pt_dl_archive_fns {
  PT_DL_ARCHIVE_FUNCTIONS(PT_DLIB_MEMBER)
};
extern struct pt_dl_archive_fns pt_dl_archive;

/* Loads libarchive once (thread-safe); 0, or -1 with err naming the
 * library and the Debian package. Cheap after the first call. */
int pt_dl_archive_load(pt_err **err);

#ifndef PT_DL_ARCHIVE_TABLE /* dl_archive.c needs the real names */
#define archive_error_string (*pt_dl_archive.archive_error_string)
#define archive_format (*pt_dl_archive.archive_format)
#define archive_format_name (*pt_dl_archive.archive_format_name)
#define archive_read_data (*pt_dl_archive.archive_read_data)
#define archive_read_free (*pt_dl_archive.archive_read_free)
#define archive_read_new (*pt_dl_archive.archive_read_new)
#define archive_read_next_header (*pt_dl_archive.archive_read_next_header)
#define archive_read_open_fd (*pt_dl_archive.archive_read_open_fd)
#define archive_read_support_filter_bzip2                                      \
  (*pt_dl_archive.archive_read_support_filter_bzip2)
#define archive_read_support_filter_gzip                                       \
  (*pt_dl_archive.archive_read_support_filter_gzip)
#define archive_read_support_filter_xz                                         \
  (*pt_dl_archive.archive_read_support_filter_xz)
#define archive_read_support_format_tar                                        \
  (*pt_dl_archive.archive_read_support_format_tar)
#define archive_read_support_format_zip                                        \
  (*pt_dl_archive.archive_read_support_format_zip)
#define archive_entry_filetype (*pt_dl_archive.archive_entry_filetype)
#define archive_entry_hardlink (*pt_dl_archive.archive_entry_hardlink)
#define archive_entry_pathname (*pt_dl_archive.archive_entry_pathname)
#define archive_entry_pathname_utf8 (*pt_dl_archive.archive_entry_pathname_utf8)
#define archive_entry_perm (*pt_dl_archive.archive_entry_perm)
#define archive_entry_symlink (*pt_dl_archive.archive_entry_symlink)
#endif

#endif
