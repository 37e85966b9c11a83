/* Internal to runner/registry*.c. */
#ifndef PT_REGISTRY_INT_H
#define PT_REGISTRY_INT_H

#include "dl_curl.h" /* libcurl, loaded on first use */
#include "pt_util.h"
#include "registry.h"

struct pt_registry {
  enum pt_registry_eco eco;
  char *base; /* without trailing '/' */
  struct pt_registry_opts o;
  CURL *curl; /* reused: keeps the connection alive across requests */
};

/* GET url into out (capped at max_doc_bytes), with retries. On success
 * *ctype (may be NULL) and *final_url (after redirects) are malloc'ed. A
 * status other than 200 is an error ("HTTP 404"). */
int pt_registry_get(pt_registry *r, const char *url, const char *accept,
                    pt_buf *out, char **ctype, char **final_url, pt_err **err);

/* rel resolved against base (RFC 3986, libcurl's URL parser), without its
 * fragment; fragment (may be NULL) receives the fragment. Only http(s)
 * results are accepted. NULL on error. */
char *pt_registry_resolve(const char *base, const char *rel, char **fragment);

/* Percent-encode one path segment. */
char *pt_registry_escape(const char *s);

/* Per-ecosystem halves of pt_registry_files_of / pt_registry_list_all. */
int pt_registry_npm_files(pt_registry *r, const char *name,
                          struct pt_registry_files *out, pt_err **err);
int pt_registry_npm_list(pt_registry *r, char ***names, size_t *n,
                         pt_err **err);
int pt_registry_pypi_files(pt_registry *r, const char *name,
                           struct pt_registry_files *out, pt_err **err);
int pt_registry_pypi_list(pt_registry *r, char ***names, size_t *n,
                          pt_err **err);

#endif
