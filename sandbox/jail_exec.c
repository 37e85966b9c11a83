/* CMD's exec along PATH, as execvp(3) walks it, one try at a time: init
 * makes the tries (jail_init.c), and the supervisor, told only a try's
 * index (JAIL_MSG_CMD_EXEC), names the same file from the same PATH. By
 * hand, not execvpe(3): that would read init's environment (the
 * supervisor's), not the jail's, and could not say which file it tries. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <string.h>

const char *jail_env_path(char *const *envp) {
  const char *path = NULL;
  for (char *const *e = envp; e && *e; e++)
    if (strncmp(*e, "PATH=", 5) == 0)
      path = *e + 5; /* the last one wins, as it always did in init */
  return path;
}

const char *jail_cmd_cwd(const struct jail_spec *spec,
                         const struct jail_late *late) {
  return spec->cwd ? spec->cwd : *late->home ? late->home : "/";
}

int jail_exec_candidate(const char *file, const char *path_env, unsigned idx,
                        char *buf, size_t cap) {
  if (strchr(file, '/')) {
    if (idx > 0)
      return 0;
    if (strlen(file) >= cap)
      return -1;
    strcpy(buf, file);
    return 1;
  }
  const char *p = path_env ? path_env : JAIL_DEFAULT_PATH;
  for (unsigned i = 0; i < idx; i++) {
    p = strchr(p, ':');
    if (p == NULL)
      return 0;
    p++;
  }
  const char *colon = strchrnul(p, ':');
  size_t dl = (size_t)(colon - p);
  if (dl == 0)
    dl = 1, p = ".";
  size_t fl = strlen(file);
  if (dl + 1 + fl >= cap)
    return -1;
  memcpy(buf, p, dl);
  buf[dl] = '/';
  memcpy(buf + dl + 1, file, fl + 1);
  return 1;
}
