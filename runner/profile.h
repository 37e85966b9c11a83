/* Profiles: data in profiles/ that the runner reads at start. This file
 * knows where profiles/ is and reads the jail profile (what the jail sees
 * of the host, its base environment and default limits). */
#ifndef PT_PROFILE_H
#define PT_PROFILE_H

#include "jail.h"

/* $PKGTRAP_PROFILES, else the directory compiled in. */
const char *pt_profiles_dir(void);
/* profiles_dir + "/" + name into buf. */
const char *pt_profile_path(const char *name, char *buf, size_t cap);

struct pt_jail_profile {
  char **host_ro; /* NULL-terminated */
  char **env;     /* "NAME=value", NULL-terminated */
  size_t n_env;
  struct jail_limits limits;
};
int pt_jail_profile_load(struct pt_jail_profile *p, pt_err **err);
void pt_jail_profile_free(struct pt_jail_profile *p);

#endif
