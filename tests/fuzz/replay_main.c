/* Runs a libFuzzer target's LLVMFuzzerTestOneInput over seed files so every
 * normal build exercises the fuzz harnesses (ctest NAME_replay). Arguments
 * are files or directories of files. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  size_t cap = 1 << 20, len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) {
    fclose(f);
    return -1;
  }
  len = fread(buf, 1, cap, f);
  fclose(f);
  LLVMFuzzerTestOneInput(buf, len);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  int files = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) < 0) {
      perror(argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      if (run_file(argv[i]) < 0)
        return 1;
      files++;
      continue;
    }
    struct dirent **names;
    int n = scandir(argv[i], &names, NULL, alphasort);
    for (int k = 0; k < n; k++) {
      char *p;
      if (names[k]->d_name[0] != '.' &&
          asprintf(&p, "%s/%s", argv[i], names[k]->d_name) >= 0) {
        if (run_file(p) < 0)
          return 1;
        files++;
        free(p);
      }
      free(names[k]);
    }
    free(names);
  }
  /* Also the edge cases every parser must survive. */
  LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
  printf("replayed %d seed files\n", files);
  return files > 0 ? 0 : 1;
}
