/* libFuzzer target: the whole artifact path — libarchive over a memfd,
 * every entry check, identification with the metadata parsers, and the
 * fd-relative extraction — into a scratch directory with tight caps.
 *
 * Oracle beyond ASan/UBSan: after each input, the scratch tree must hold
 * nothing but the (removed) destination: anything else means an entry was
 * written outside dest. The scratch dir is base/a/b/dest so that `..`,
 * `../..` and links to them land inside base, where they are seen. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact.h"
#include "pt_util.h"

static char base[64], dest[128];

/* The scratch tree goes when the fuzzer exits normally (after -runs=N,
 * say); a crash leaves it, with the input that made it. */
static void remove_base(void) {
  if (base[0] != '\0')
    pt_rmtree(base, NULL);
}

static void setup(void) {
  if (base[0] != '\0')
    return;
  strcpy(base, "/tmp/pkgtrap-fuzz-artifact-XXXXXX");
  if (mkdtemp(base) == NULL)
    abort();
  atexit(remove_base);
  char p[128];
  snprintf(p, sizeof(p), "%s/a", base);
  if (mkdir(p, 0700) < 0)
    abort();
  snprintf(p, sizeof(p), "%s/a/b", base);
  if (mkdir(p, 0700) < 0)
    abort();
  snprintf(dest, sizeof(dest), "%s/a/b/dest", base);
}

/* Only base/a, base/a/b may exist once dest is gone. */
static void check_nothing_escaped(void) {
  const char *dirs[] = {"", "/a", "/a/b"};
  const char *allowed[] = {"a", "b", NULL};
  for (size_t i = 0; i < 3; i++) {
    char p[160];
    snprintf(p, sizeof(p), "%s%s", base, dirs[i]);
    DIR *d = opendir(p);
    if (d == NULL)
      __builtin_trap();
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
      if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
        continue;
      if (allowed[i] == NULL || strcmp(de->d_name, allowed[i]) != 0) {
        fprintf(stderr, "escaped: %s/%s\n", p, de->d_name);
        __builtin_trap();
      }
    }
    closedir(d);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  setup();
  int fd = memfd_create("artifact", MFD_CLOEXEC);
  if (fd < 0 || pt_write_all(fd, data, size) < 0)
    abort();
  pt_artifact_limits lim;
  pt_artifact_limits_default(&lim);
  lim.max_archive_bytes = 1 << 20;
  lim.max_total_bytes = 4 << 20;
  lim.max_file_bytes = 1 << 20;
  lim.max_entries = 256;
  lim.max_name_len = 256;
  lim.ratio_floor = 64 << 10;
  pt_artifact_info info;
  pt_artifact_problems probs;
  pt_err *err = NULL;
  int rc = pt_artifact_unpack_fd(fd, "fuzz", dest, &lim, &info, &probs, &err);
  if (rc == 0) {
    if (info.total_bytes > lim.max_total_bytes || strlen(info.sha256) != 64)
      __builtin_trap();
    pt_artifact_info_free(&info);
  } else {
    if (err == NULL || err->msg == NULL)
      __builtin_trap();
    for (size_t i = 0; i < probs.len; i++)
      if (probs.items[i].rule == NULL || strchr(probs.items[i].summary, '\n'))
        __builtin_trap();
  }
  pt_err_free(err);
  close(fd);
  err = NULL;
  if (pt_rmtree(dest, &err) < 0)
    abort();
  check_nothing_escaped();
  return 0;
}
