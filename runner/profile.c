#define _GNU_SOURCE
#include "profile.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pt_json.h"

/* The bundled jail.json, parsed at build time (runner/CMakeLists.txt). */
extern const struct pt_json_image pt_jail_profile_image;

/* PKGTRAP_PROFILES made absolute once: its files are bound into the jail
 * (node-timers.cjs, the exercise harnesses) by init, which resolves a
 * bind's source after it has left our working directory, so a relative
 * `PKGTRAP_PROFILES=profiles` would fail every npm phase's set-up. */
static char profiles_abs[PATH_MAX - 256]; /* room for a file's name */
static pthread_once_t profiles_once = PTHREAD_ONCE_INIT;

static void resolve_profiles(void) {
  const char *e = getenv("PKGTRAP_PROFILES");
  char cwd[PATH_MAX];
  if (e == NULL || *e == '\0')
    snprintf(profiles_abs, sizeof(profiles_abs), "%s", PKGTRAP_PROFILES_DIR);
  else if (e[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL ||
           (size_t)snprintf(profiles_abs, sizeof(profiles_abs), "%s/%s", cwd,
                            e) >= sizeof(profiles_abs))
    snprintf(profiles_abs, sizeof(profiles_abs), "%s", e);
}

const char *pt_profiles_dir(void) {
  pthread_once(&profiles_once, resolve_profiles);
  return profiles_abs;
}

const char *pt_profile_path(const char *name, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/%s", pt_profiles_dir(), name);
  return buf;
}

static int get_u64(json_t *o, const char *key, uint64_t mult, uint64_t *out,
                   const char *path, pt_err **err) {
  json_t *v = json_object_get(o, key);
  if (v == NULL)
    return 0;
  if (!json_is_integer(v) || json_integer_value(v) < 0)
    return pt_err_make(err, 0, "%s: limits.%s must be a non-negative integer",
                       path, key);
  *out = (uint64_t)json_integer_value(v) * mult;
  return 0;
}

int pt_jail_profile_load(struct pt_jail_profile *p, pt_err **err) {
  memset(p, 0, sizeof(*p));
  jail_limits_default(&p->limits);
  char path[4096];
  pt_profile_path("jail.json", path, sizeof(path));
  json_t *root = pt_json_load_path_image(path, &pt_jail_profile_image, err);
  if (root == NULL)
    return -1;
  int rc = -1;
  json_t *ro = json_object_get(root, "host_ro");
  json_t *env = json_object_get(root, "env");
  json_t *lim = json_object_get(root, "limits");
  if (!json_is_array(ro) || (env && !json_is_object(env)) ||
      (lim && !json_is_object(lim))) {
    pt_err_make(err, 0,
                "%s: needs \"host_ro\" (array), \"env\" and \"limits\" "
                "(objects)",
                path);
    goto out;
  }
  p->host_ro = calloc(json_array_size(ro) + 1, sizeof(char *));
  p->env = calloc(json_object_size(env) + 1, sizeof(char *));
  if (!p->host_ro || !p->env) {
    pt_err_make(err, ENOMEM, "%s", path);
    goto out;
  }
  size_t i;
  json_t *v;
  json_array_foreach(ro, i, v) {
    if (!json_is_string(v) || json_string_value(v)[0] != '/') {
      pt_err_make(err, 0, "%s: host_ro[%zu] must be an absolute path", path,
                  i);
      goto out;
    }
    p->host_ro[i] = strdup(json_string_value(v));
  }
  const char *k;
  json_object_foreach(env, k, v) {
    if (json_is_null(v))
      continue; /* documented as unset */
    if (!json_is_string(v)) {
      pt_err_make(err, 0, "%s: env.%s must be a string or null", path, k);
      goto out;
    }
    if (asprintf(&p->env[p->n_env], "%s=%s", k, json_string_value(v)) < 0)
      goto out;
    p->n_env++;
  }
  uint64_t u, timeout_s = p->limits.timeout_ms / 1000;
  if (lim) {
    if (get_u64(lim, "memory_mb", 1 << 20, &p->limits.memory_bytes, path,
                err) < 0 ||
        get_u64(lim, "tmp_mb", 1 << 20, &p->limits.tmp_bytes, path, err) < 0 ||
        get_u64(lim, "fsize_mb", 1 << 20, &p->limits.fsize_bytes, path, err) <
            0 ||
        get_u64(lim, "timeout_s", 1, &timeout_s, path, err) < 0 ||
        get_u64(lim, "output_cap_kb", 1024, &p->limits.output_cap, path,
                err) < 0)
      goto out;
    u = p->limits.pids;
    if (get_u64(lim, "pids", 1, &u, path, err) < 0)
      goto out;
    p->limits.pids = (uint32_t)u;
    u = p->limits.cpu_percent;
    if (get_u64(lim, "cpu_percent", 1, &u, path, err) < 0)
      goto out;
    p->limits.cpu_percent = (uint32_t)u;
    u = p->limits.nofile;
    if (get_u64(lim, "nofile", 1, &u, path, err) < 0)
      goto out;
    p->limits.nofile = (uint32_t)u;
    u = p->limits.capture_cap;
    if (get_u64(lim, "capture_kb", 1024, &u, path, err) < 0)
      goto out;
    p->limits.capture_cap = (size_t)u;
  }
  p->limits.timeout_ms = timeout_s * 1000;
  rc = 0;
out:
  json_decref(root);
  if (rc < 0)
    pt_jail_profile_free(p);
  return rc;
}

void pt_jail_profile_free(struct pt_jail_profile *p) {
  for (char **s = p->host_ro; s && *s; s++)
    free(*s);
  for (char **s = p->env; s && *s; s++)
    free(*s);
  free(p->host_ro);
  free(p->env);
  memset(p, 0, sizeof(*p));
}
