/* Honeytokens: a fresh, random identity and a fake HOME full of credentials
 * in their real formats, so that a token seen anywhere outside its file
 * (a network payload, a DNS name, an argv, a file written elsewhere) is
 * exfiltration beyond doubt.
 *
 * Everything about which tokens exist, what they look like, which files
 * hold them and which environment variables carry them is data:
 * profiles/honeytokens/manifest.json and the templates next to it. A user
 * adds a file or a token without recompiling.
 *
 *   pt_honey h;
 *   if (pt_honey_generate(profiles_dir, &h, &err) < 0) ...
 *   if (pt_honey_write_home(&h, home_dirfd, &err) < 0) ...   (any number of
 *                                                              HOMEs)
 *   ... h.env for the jail, h.tokens for the detectors ...
 *   pt_honey_free(&h);
 *
 * pt_honey_generate renders every file into memory (the manifest and
 * templates are read once, so a HOME can never mix two versions of the
 * profile); pt_honey_write_home is then pure fd-relative I/O.
 */
#ifndef PT_HONEY_H
#define PT_HONEY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "pt_err.h"

typedef struct pt_honey_token {
  char *id;    /* manifest id, e.g. "AWS_ACCESS_KEY_ID" */
  char *value; /* the string to look for (for an SSH key: one distinctive
                  line of the private body, never the public part) */
  char *where; /* first place it was put: "~/.aws/credentials" or
                  "env:AWS_ACCESS_KEY_ID"; "" when nowhere */
  char **locations; /* every place it was put, where == locations[0] */
  size_t n_locations;
} pt_honey_token;

struct pt_honey_priv;

typedef struct pt_honey {
  char *user, *hostname;
  char *home; /* "/home/<user>", as seen inside the jail */
  char *email;
  pt_honey_token *tokens; /* only the tokens worth detecting */
  size_t n_tokens;
  char **env; /* "NAME=value", for the jail's environment */
  size_t n_env;
  char **files; /* paths relative to HOME of every file holding a token or
                   marked as bait (wallets): for read detection */
  size_t n_files;
  struct pt_honey_priv *priv; /* rendered files and directories */
  /* When the HOME was made up (CLOCK_REALTIME): its files are dated
   * before it, what the run writes after, which tells the user's files
   * from the package's own. */
  struct timespec made;
} pt_honey;

/* Read profiles_dir/honeytokens/manifest.json and its templates, pick a
 * random identity and fresh random token values, and render every file
 * of the manifest's plain entries (pt_honey_generate_flags for the rest).
 * *out is zeroed first; on failure it holds nothing to free. */
int pt_honey_generate(const char *profiles_dir, pt_honey *out, pt_err **err);
/* The same, with flags. Without them only the credential files are made
 * (the manifest's plain entries: what an unwatched `pkgtrap run` plants).
 * PT_HONEY_WATCHED makes the entries marked "watched" too: the rest of a
 * lived-in HOME (more keys and tokens, shell history, documents, a
 * project of the user's, desktop tools), baits that matter where what
 * the run does is recorded (`run --trace`). PT_HONEY_WORKSPACE, for a
 * run that installs into HOME/project (triage), also makes the entries
 * marked "workspace" (that project a GitHub clone with a CI workflow, an
 * editor's extensions), and implies PT_HONEY_WATCHED. */
#define PT_HONEY_WATCHED 1u
#define PT_HONEY_WORKSPACE 2u
int pt_honey_generate_flags(const char *profiles_dir, unsigned flags,
                            pt_honey *out, pt_err **err);

/* Write the rendered HOME under home_dirfd (a directory the caller made,
 * normally empty): directories and files with their exact modes, never
 * following a symlink, with plausible past modification times. umask_now
 * is the process's umask (what it takes off a new entry's mode decides
 * whether a chmod must follow): the caller reads it, as umask(2) can only
 * be read by setting it, which another thread creating files would see. */
int pt_honey_write_home(const pt_honey *h, int home_dirfd, mode_t umask_now,
                        pt_err **err);

/* Run the SQL of every SQLite file of the HOME that the build had no
 * image of (~0.8 ms of SQLite, cold in a fresh process) and keep the
 * databases: later writes copy them. Returns how many it rendered. */
int pt_honey_render_databases(pt_honey *h, pt_err **err);

void pt_honey_free(pt_honey *h);

/* {"user","hostname","home","email",
 *  "tokens":[{"id","value","where","locations":[...]}],
 *  "env":["NAME=value",...], "files":[...]}
 * 0, or -1 on allocation failure. */
int pt_honey_to_json(const pt_honey *h, json_t **out);

#endif
