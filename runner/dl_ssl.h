/* libssl (OpenSSL's TLS, and through it the libcrypto functions that
 * make certificates), loaded with dlopen on first use like dl_crypto.h
 * (dlib.h says why). Include this instead of the OpenSSL headers, and no
 * other OpenSSL header after it: it redirects every function below to
 * the table, so the callers read as plain OpenSSL code. Call
 * pt_dl_ssl_load() before the first of them.
 *
 * The libcrypto functions are looked up through libssl's handle: dlsym
 * searches a library's dependencies too, and libssl needs the very
 * libcrypto it was built with.
 *
 * User: the fake network's TLS interception (tlsmitm.c), in triage only;
 * `pkgtrap run` never loads it. */
#ifndef PT_DL_SSL_H
#define PT_DL_SSL_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "dlib.h"

#define PT_DL_SSL_FUNCTIONS(X) \
  X(EVP_PKEY_Q_keygen) \
  X(EVP_PKEY_free) \
  X(X509_new) \
  X(X509_free) \
  X(X509_set_version) \
  X(X509_get_serialNumber) \
  X(ASN1_INTEGER_set) \
  X(X509_gmtime_adj) \
  X(X509_getm_notBefore) \
  X(X509_getm_notAfter) \
  X(X509_set_pubkey) \
  X(X509_get_subject_name) \
  X(X509_NAME_add_entry_by_txt) \
  X(X509_set_issuer_name) \
  X(X509_sign) \
  X(EVP_sha256) \
  X(X509V3_set_ctx) \
  X(X509V3_EXT_conf_nid) \
  X(X509_add_ext) \
  X(X509_EXTENSION_free) \
  X(PEM_write_bio_X509) \
  X(BIO_new) \
  X(BIO_s_mem) \
  X(BIO_free) \
  X(BIO_read) \
  X(BIO_write) \
  X(BIO_ctrl) \
  X(BIO_ctrl_pending) \
  X(ERR_get_error) \
  X(ERR_error_string_n) \
  X(ERR_clear_error) \
  X(TLS_server_method) \
  X(SSL_CTX_new) \
  X(SSL_CTX_free) \
  X(SSL_CTX_set_alpn_select_cb) \
  X(SSL_new) \
  X(SSL_free) \
  X(SSL_set_bio) \
  X(SSL_set_accept_state) \
  X(SSL_do_handshake) \
  X(SSL_read) \
  X(SSL_write) \
  X(SSL_get_error) \
  X(SSL_use_certificate) \
  X(SSL_use_PrivateKey) \
  X(SSL_shutdown) \
  X(SSL_get_version) \
  X(SSL_is_init_finished)

struct pt_dl_ssl_fns {
  PT_DL_SSL_FUNCTIONS(PT_DLIB_MEMBER)
};
extern struct pt_dl_ssl_fns pt_dl_ssl;

/* Loads libssl once (thread-safe); 0, or -1 with err (may be NULL) naming
 * the library and the Debian package. */
int pt_dl_ssl_load(pt_err **err);

#ifndef PT_DL_SSL_TABLE /* dl_ssl.c needs the real names */
#define EVP_PKEY_Q_keygen (*pt_dl_ssl.EVP_PKEY_Q_keygen)
#define EVP_PKEY_free (*pt_dl_ssl.EVP_PKEY_free)
#define X509_new (*pt_dl_ssl.X509_new)
#define X509_free (*pt_dl_ssl.X509_free)
#define X509_set_version (*pt_dl_ssl.X509_set_version)
#define X509_get_serialNumber (*pt_dl_ssl.X509_get_serialNumber)
#define ASN1_INTEGER_set (*pt_dl_ssl.ASN1_INTEGER_set)
#define X509_gmtime_adj (*pt_dl_ssl.X509_gmtime_adj)
#define X509_getm_notBefore (*pt_dl_ssl.X509_getm_notBefore)
#define X509_getm_notAfter (*pt_dl_ssl.X509_getm_notAfter)
#define X509_set_pubkey (*pt_dl_ssl.X509_set_pubkey)
#define X509_get_subject_name (*pt_dl_ssl.X509_get_subject_name)
#define X509_NAME_add_entry_by_txt (*pt_dl_ssl.X509_NAME_add_entry_by_txt)
#define X509_set_issuer_name (*pt_dl_ssl.X509_set_issuer_name)
#define X509_sign (*pt_dl_ssl.X509_sign)
#define EVP_sha256 (*pt_dl_ssl.EVP_sha256)
#define X509V3_set_ctx (*pt_dl_ssl.X509V3_set_ctx)
#define X509V3_EXT_conf_nid (*pt_dl_ssl.X509V3_EXT_conf_nid)
#define X509_add_ext (*pt_dl_ssl.X509_add_ext)
#define X509_EXTENSION_free (*pt_dl_ssl.X509_EXTENSION_free)
#define PEM_write_bio_X509 (*pt_dl_ssl.PEM_write_bio_X509)
#define BIO_new (*pt_dl_ssl.BIO_new)
#define BIO_s_mem (*pt_dl_ssl.BIO_s_mem)
#define BIO_free (*pt_dl_ssl.BIO_free)
#define BIO_read (*pt_dl_ssl.BIO_read)
#define BIO_write (*pt_dl_ssl.BIO_write)
#define BIO_ctrl (*pt_dl_ssl.BIO_ctrl)
#define BIO_ctrl_pending (*pt_dl_ssl.BIO_ctrl_pending)
#define ERR_get_error (*pt_dl_ssl.ERR_get_error)
#define ERR_error_string_n (*pt_dl_ssl.ERR_error_string_n)
#define ERR_clear_error (*pt_dl_ssl.ERR_clear_error)
#define TLS_server_method (*pt_dl_ssl.TLS_server_method)
#define SSL_CTX_new (*pt_dl_ssl.SSL_CTX_new)
#define SSL_CTX_free (*pt_dl_ssl.SSL_CTX_free)
#define SSL_CTX_set_alpn_select_cb (*pt_dl_ssl.SSL_CTX_set_alpn_select_cb)
#define SSL_new (*pt_dl_ssl.SSL_new)
#define SSL_free (*pt_dl_ssl.SSL_free)
#define SSL_set_bio (*pt_dl_ssl.SSL_set_bio)
#define SSL_set_accept_state (*pt_dl_ssl.SSL_set_accept_state)
#define SSL_do_handshake (*pt_dl_ssl.SSL_do_handshake)
#define SSL_read (*pt_dl_ssl.SSL_read)
#define SSL_write (*pt_dl_ssl.SSL_write)
#define SSL_get_error (*pt_dl_ssl.SSL_get_error)
#define SSL_use_certificate (*pt_dl_ssl.SSL_use_certificate)
#define SSL_use_PrivateKey (*pt_dl_ssl.SSL_use_PrivateKey)
#define SSL_shutdown (*pt_dl_ssl.SSL_shutdown)
#define SSL_get_version (*pt_dl_ssl.SSL_get_version)
#define SSL_is_init_finished (*pt_dl_ssl.SSL_is_init_finished)
#endif

#endif
