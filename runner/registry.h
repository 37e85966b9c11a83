/* Registry clients for the sweep: npm package documents and the PyPI
 * simple API (PEP 691 JSON with PEP 700 upload times, PEP 503 HTML as
 * fallback), over libcurl with timeouts, retries with backoff and hard size
 * caps; downloads verified against the registry's hashes.
 *
 * No registry address is built in: the base URL comes from the caller
 * (--registry), or from the user's npm / pip configuration
 * (pt_registry_from_config). */
#ifndef PT_REGISTRY_H
#define PT_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pt_err.h"

enum pt_registry_eco { PT_ECO_NPM, PT_ECO_PYPI };

struct pt_registry_opts {
  uint64_t connect_timeout_ms; /* default 10 s */
  uint64_t timeout_ms;         /* whole transfer, default 300 s */
  uint64_t stall_ms;           /* abort below 1 byte/s this long, default 30 s */
  unsigned retries;            /* after the first attempt, default 3 */
  uint64_t backoff_ms;         /* first retry delay, doubled each time, default 500 */
  uint64_t max_doc_bytes;      /* metadata documents, default 64 MiB */
  uint64_t max_download_bytes; /* artifacts, default 512 MiB */
};

typedef struct pt_registry pt_registry;

/* base: http(s) URL of the registry (npm: where /<name> is the package
 * document; PyPI: the simple index, where /<project>/ is the project page). */
int pt_registry_new(enum pt_registry_eco eco, const char *base,
                    const struct pt_registry_opts *o, pt_registry **out,
                    pt_err **err);
void pt_registry_free(pt_registry *r);
const char *pt_registry_base(const pt_registry *r);

/* One downloadable file of one version. */
struct pt_registry_file {
  char *name, *version, *filename, *url;
  int64_t published;   /* seconds since the epoch, 0 unknown */
  char *sha256;        /* expected, lowercase hex, or NULL */
  char *sha512_b64;    /* npm dist.integrity sha512, or NULL */
  char *sha1;          /* npm dist.shasum, or NULL */
};
struct pt_registry_files {
  struct pt_registry_file *v;
  size_t n, alloc;
};
void pt_registry_files_free(struct pt_registry_files *f);

/* Every file of every version of a package, oldest first where the
 * registry says when. Errors name the package and what was wrong (HTTP
 * status, bad JSON, ...). */
int pt_registry_files_of(pt_registry *r, const char *name,
                         struct pt_registry_files *out, pt_err **err);

/* Every package name the registry lists: PyPI the simple index root;
 * npm verdaccio's and CouchDB-era `/-/all` listing, else the search API
 * (`/-/v1/search`, paged). *names is a NULL-terminated array. */
int pt_registry_list_all(pt_registry *r, char ***names, size_t *n,
                         pt_err **err);
void pt_registry_names_free(char **names, size_t n);
/* Append a copy of s to a growing NULL-terminated name array. */
int pt_registry_names_add(char ***names, size_t *n, const char *s);

/* Download f to path (created, mode 0644), with the size cap, and verify
 * the registry's hashes (sha512 integrity, sha256, sha1 shasum; a mismatch
 * is an error and the file is removed). sha256 of what was written in
 * sha256_out. *unverified is set when the registry gave no hash at all. */
int pt_registry_download(pt_registry *r, const struct pt_registry_file *f,
                         const char *path, char sha256_out[65],
                         bool *unverified, pt_err **err);

/* ---- helpers, exposed for tests ------------------------------------------ */

/* Parse a package document / project page already fetched. page_url is
 * where it came from (relative links resolve against it). */
int pt_registry_npm_parse(const char *doc, size_t len, const char *page_url,
                          const char *name, struct pt_registry_files *out,
                          pt_err **err);
int pt_registry_pypi_parse_json(const char *doc, size_t len,
                                const char *page_url, const char *project,
                                struct pt_registry_files *out, pt_err **err);
int pt_registry_pypi_parse_html(const char *doc, size_t len,
                                const char *page_url, const char *project,
                                struct pt_registry_files *out, pt_err **err);
/* Version of a PyPI file name (wheel or sdist) of project, or NULL. */
char *pt_registry_pypi_version(const char *project, const char *filename);
/* PEP 503 name normalisation (lowercase, runs of -_. to one -). */
char *pt_registry_pep503(const char *name);

/* Stable shard of a package name: FNV-1a 64 of its canonical form (PEP
 * 503 for PyPI, as is for npm) modulo n. Same on every machine. */
unsigned pt_registry_shard(enum pt_registry_eco eco, const char *name,
                           unsigned n);
/* "K/N" with 0 <= K < N. */
bool pt_registry_parse_shard(const char *s, unsigned *k, unsigned *n);

/* RFC 3339 / ISO 8601 ("2024-05-01", "2024-05-01T12:00:00.123Z",
 * "...+02:00") or "@SECONDS" to seconds since the epoch; -1 if malformed. */
int64_t pt_registry_parse_time(const char *s);

/* Registry URL from the user's configuration, or NULL: npm
 * `npm_config_registry`, then `registry=` in ~/.npmrc; PyPI
 * `PIP_INDEX_URL`, then `index-url` in pip.conf ($PIP_CONFIG_FILE,
 * ~/.config/pip/pip.conf, ~/.pip/pip.conf, /etc/pip.conf). */
char *pt_registry_from_config(enum pt_registry_eco eco);

/* Append a file (strings copied). */
int pt_registry_files_add(struct pt_registry_files *f,
                          const struct pt_registry_file *src);

#endif
