/* TLS interception (tlsmitm.h): the authority, its leaf certificates, and
 * server-side sessions over memory BIOs. */
#define _GNU_SOURCE
#include "tlsmitm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dl_ssl.h"

/* Leaf certificates kept per name; past this many, one is made for each
 * connection (a sample that resolves thousands of names is rare and its
 * connections are bounded by the fake network anyway). */
#define MITM_MAX_LEAVES 256
#define MITM_NAME_MAX 253

struct leaf {
  char name[MITM_NAME_MAX + 1];
  X509 *cert;
};

struct pt_tls_mitm {
  EVP_PKEY *ca_key, *leaf_key; /* one key for every leaf: made once */
  X509 *ca;
  SSL_CTX *ctx;
  char *ca_pem;
  struct leaf leaves[MITM_MAX_LEAVES];
  size_t n_leaves;
};

struct pt_tls_conn {
  SSL *ssl;
  BIO *in, *out; /* owned by ssl */
  X509 *uncached; /* a leaf not in the cache, freed with the session */
  bool failed;
  char error[160];
};

static int ssl_err(pt_err **err, const char *what) {
  char buf[256] = "";
  unsigned long e = ERR_get_error();
  if (e)
    ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return pt_err_make(err, 0, "TLS interception: %s%s%s", what,
                     *buf ? ": " : "", buf);
}

static long random_serial(void) {
  unsigned long v = 0;
  if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
    v = (unsigned long)rand();
  return (long)(v & 0x7fffffffffffffffUL) | 1;
}

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value) {
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
  if (e == NULL)
    return -1;
  int ok = X509_add_ext(x, e, -1);
  X509_EXTENSION_free(e);
  return ok ? 0 : -1;
}

/* A certificate for subject cn with key, signed by issuer (NULL: itself,
 * with ca_key). The extensions are the ones browsers and OpenSSL's
 * verifier expect of each kind. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer,
                       EVP_PKEY *issuer_key, long days,
                       const char *const *exts, const int *nids) {
  X509 *x = X509_new();
  if (x == NULL)
    return NULL;
  X509_NAME *subj = X509_get_subject_name(x);
  if (!X509_set_version(x, 2) ||
      !ASN1_INTEGER_set(X509_get_serialNumber(x), random_serial()) ||
      !X509_gmtime_adj(X509_getm_notBefore(x), -86400L) ||
      !X509_gmtime_adj(X509_getm_notAfter(x), days * 86400L) ||
      !X509_set_pubkey(x, key) ||
      (issuer == NULL &&
       !X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_ASC,
                                   (const unsigned char *)"IT Security", -1,
                                   -1, 0)) ||
      !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8,
                                  (const unsigned char *)cn, -1, -1, 0) ||
      !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subj))
    goto fail;
  for (size_t i = 0; exts[i] != NULL; i++)
    if (add_ext(x, issuer ? issuer : x, nids[i], exts[i]) < 0)
      goto fail;
  if (X509_sign(x, issuer_key, EVP_sha256()) <= 0)
    goto fail;
  return x;
fail:
  X509_free(x);
  return NULL;
}

/* http/1.1 when offered: the fake network speaks HTTP/1.x only. Else no
 * ALPN at all, which a client that offered h2 alone may refuse. */
static int select_alpn(SSL *ssl, const unsigned char **out,
                       unsigned char *outlen, const unsigned char *in,
                       unsigned int inlen, void *arg) {
  (void)ssl;
  (void)arg;
  for (unsigned i = 0; i < inlen;) {
    unsigned n = in[i];
    if (i + 1 + n > inlen)
      break;
    if (n == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *outlen = 8;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + n;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

pt_tls_mitm *pt_tls_mitm_new(pt_err **err) {
  if (pt_dl_ssl_load(err) < 0)
    return NULL;
  pt_tls_mitm *m = calloc(1, sizeof(*m));
  if (m == NULL) {
    pt_err_make(err, ENOMEM, "TLS interception");
    return NULL;
  }
  m->ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  m->leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
  if (m->ca_key == NULL || m->leaf_key == NULL) {
    ssl_err(err, "make a key");
    goto fail;
  }
  /* A corporate proxy's root is what a developer's machine plausibly
   * trusts besides the public ones. */
  static const char *const ca_exts[] = {"critical,CA:TRUE",
                                        "critical,keyCertSign,cRLSign",
                                        "hash", NULL};
  static const int ca_nids[] = {NID_basic_constraints, NID_key_usage,
                                NID_subject_key_identifier};
  m->ca = make_cert("IT Security Proxy Root CA", m->ca_key, NULL, m->ca_key,
                    730, ca_exts, ca_nids);
  if (m->ca == NULL) {
    ssl_err(err, "make the authority's certificate");
    goto fail;
  }
  BIO *b = BIO_new(BIO_s_mem());
  char *data = NULL;
  long len = 0;
  if (b == NULL || !PEM_write_bio_X509(b, m->ca) ||
      (len = BIO_get_mem_data(b, &data)) <= 0 ||
      (m->ca_pem = strndup(data, (size_t)len)) == NULL) {
    BIO_free(b);
    ssl_err(err, "write the authority's certificate");
    goto fail;
  }
  BIO_free(b);
  m->ctx = SSL_CTX_new(TLS_server_method());
  if (m->ctx == NULL) {
    ssl_err(err, "SSL_CTX_new");
    goto fail;
  }
  SSL_CTX_set_alpn_select_cb(m->ctx, select_alpn, NULL);
  return m;
fail:
  pt_tls_mitm_free(m);
  return NULL;
}

void pt_tls_mitm_free(pt_tls_mitm *m) {
  if (m == NULL)
    return;
  for (size_t i = 0; i < m->n_leaves; i++)
    X509_free(m->leaves[i].cert);
  SSL_CTX_free(m->ctx);
  X509_free(m->ca);
  EVP_PKEY_free(m->ca_key);
  EVP_PKEY_free(m->leaf_key);
  free(m->ca_pem);
  free(m);
}

const char *pt_tls_mitm_ca_pem(const pt_tls_mitm *m) { return m->ca_pem; }

/* "DNS:name" or "IP:addr", or NULL when name is neither (a certificate's
 * SAN is parsed by OpenSSL's config syntax: no commas, no spaces). */
static bool san_for(const char *name, char *out, size_t size) {
  unsigned char a[16];
  if (inet_pton(AF_INET, name, a) == 1 || inet_pton(AF_INET6, name, a) == 1)
    return snprintf(out, size, "IP:%s", name) < (int)size;
  size_t n = strlen(name);
  if (n == 0 || n > MITM_NAME_MAX)
    return false;
  for (size_t i = 0; i < n; i++) {
    char ch = name[i];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
          (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_' ||
          ch == '*'))
      return false;
  }
  return snprintf(out, size, "DNS:%s", name) < (int)size;
}

static X509 *leaf_for(pt_tls_mitm *m, const char *name, bool *cached) {
  for (size_t i = 0; i < m->n_leaves; i++)
    if (strcmp(m->leaves[i].name, name) == 0) {
      *cached = true;
      return m->leaves[i].cert;
    }
  char san[MITM_NAME_MAX + 8];
  if (!san_for(name, san, sizeof(san)))
    return NULL;
  const char *exts[] = {"CA:FALSE", "critical,digitalSignature",
                        "serverAuth", san, "hash", "keyid:always", NULL};
  static const int nids[] = {NID_basic_constraints, NID_key_usage,
                             NID_ext_key_usage, NID_subject_alt_name,
                             NID_subject_key_identifier,
                             NID_authority_key_identifier};
  /* A CN over 64 bytes is refused by X.509's upper bound: the SAN is what
   * clients check anyway. */
  char cn[65];
  snprintf(cn, sizeof(cn), "%s", name);
  X509 *x = make_cert(cn, m->leaf_key, m->ca, m->ca_key, 90, exts, nids);
  if (x == NULL) {
    ERR_clear_error();
    return NULL;
  }
  *cached = m->n_leaves < MITM_MAX_LEAVES;
  if (*cached) {
    snprintf(m->leaves[m->n_leaves].name, sizeof(m->leaves[0].name), "%s",
             name);
    m->leaves[m->n_leaves++].cert = x;
  }
  return x;
}

pt_tls_conn *pt_tls_conn_new(pt_tls_mitm *m, const char *name) {
  bool cached = false;
  X509 *leaf = leaf_for(m, name, &cached);
  if (leaf == NULL)
    return NULL;
  pt_tls_conn *c = calloc(1, sizeof(*c));
  if (c == NULL)
    goto fail;
  if (!cached)
    c->uncached = leaf;
  c->ssl = SSL_new(m->ctx);
  c->in = BIO_new(BIO_s_mem());
  c->out = BIO_new(BIO_s_mem());
  if (c->ssl == NULL || c->in == NULL || c->out == NULL) {
    BIO_free(c->in);
    BIO_free(c->out);
    c->in = c->out = NULL;
    pt_tls_conn_free(c);
    return NULL;
  }
  SSL_set_bio(c->ssl, c->in, c->out); /* the session owns both now */
  if (SSL_use_certificate(c->ssl, leaf) != 1 ||
      SSL_use_PrivateKey(c->ssl, m->leaf_key) != 1) {
    ERR_clear_error();
    pt_tls_conn_free(c);
    return NULL;
  }
  SSL_set_accept_state(c->ssl);
  return c;
fail:
  if (!cached)
    X509_free(leaf);
  return NULL;
}

void pt_tls_conn_free(pt_tls_conn *c) {
  if (c == NULL)
    return;
  SSL_free(c->ssl);
  X509_free(c->uncached);
  free(c);
}

int pt_tls_conn_feed(pt_tls_conn *c, const void *buf, size_t len) {
  if (len == 0)
    return 0;
  return BIO_write(c->in, buf, (int)len) == (int)len ? 0 : -1;
}

static void fail_with(pt_tls_conn *c, int code) {
  c->failed = true;
  char buf[120] = "";
  unsigned long e = ERR_get_error();
  if (e)
    ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  snprintf(c->error, sizeof(c->error), "%s: %s",
           SSL_is_init_finished(c->ssl) ? "session" : "handshake",
           *buf ? buf : code == SSL_ERROR_ZERO_RETURN ? "closed by the client"
                                                      : "connection closed");
}

ssize_t pt_tls_conn_read(pt_tls_conn *c, void *out, size_t room) {
  if (c->failed)
    return -1;
  if (!SSL_is_init_finished(c->ssl)) {
    int r = SSL_do_handshake(c->ssl);
    if (r <= 0) {
      int code = SSL_get_error(c->ssl, r);
      if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE)
        return 0;
      fail_with(c, code);
      return -1;
    }
  }
  size_t got = 0;
  while (got < room) {
    int n = SSL_read(c->ssl, (char *)out + got,
                     (int)(room - got > 65536 ? 65536 : room - got));
    if (n > 0) {
      got += (size_t)n;
      continue;
    }
    int code = SSL_get_error(c->ssl, n);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE)
      break;
    if (got > 0)
      break; /* the error again at the next call */
    fail_with(c, code);
    return -1;
  }
  return (ssize_t)got;
}

int pt_tls_conn_write(pt_tls_conn *c, const void *buf, size_t len,
                      bool close) {
  if (c->failed || !SSL_is_init_finished(c->ssl))
    return -1;
  if (len > 0 && SSL_write(c->ssl, buf, (int)len) != (int)len) {
    ERR_clear_error();
    return -1;
  }
  if (close && SSL_shutdown(c->ssl) < 0)
    ERR_clear_error();
  return 0;
}

size_t pt_tls_conn_take_out(pt_tls_conn *c, void *out, size_t room) {
  if (BIO_ctrl_pending(c->out) == 0)
    return 0;
  int n = BIO_read(c->out, out, (int)room);
  return n > 0 ? (size_t)n : 0;
}

bool pt_tls_conn_established(const pt_tls_conn *c) {
  return SSL_is_init_finished(c->ssl) == 1;
}

const char *pt_tls_conn_version(const pt_tls_conn *c) {
  return pt_tls_conn_established(c) ? SSL_get_version(c->ssl) : NULL;
}

const char *pt_tls_conn_error(const pt_tls_conn *c) {
  return c->failed ? c->error : NULL;
}
