/* DNS (RFC 1035) messages for the fake resolver: parse the question of a
 * query a sample sent, build an answer that makes it carry on (every name
 * exists, A/AAAA point at the sinkhole), and turn names into text that is
 * safe to put in a report.
 *
 * Pure functions over byte buffers: no sockets, no allocation. Every input
 * is hostile (it comes from code we are detonating), so every read is
 * bounds-checked and every loop has a hard cap. */
#ifndef PT_DNSMSG_H
#define PT_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wire limits from RFC 1035 2.3.4. */
#define PT_DNS_LABEL_MAX 63
#define PT_DNS_NAME_WIRE_MAX 255 /* length bytes + labels + root byte */
/* Dotted text of a name: at most 253 chars (+ NUL); "." for the root. */
#define PT_DNS_NAME_TEXT_MAX 256
/* Printable form: every byte may become \DDD (4 chars). */
#define PT_DNS_NAME_PRINTABLE_MAX (PT_DNS_NAME_WIRE_MAX * 4 + 1)
/* Compression pointers followed per name. A legitimate query has none in
 * its question; a handful is generous. */
#define PT_DNS_MAX_HOPS 16
/* Classic UDP payload limit; we never use EDNS0 to go beyond it. */
#define PT_DNS_UDP_MAX 512

typedef enum pt_dns_status {
  PT_DNS_OK = 0,
  PT_DNS_NEED_MORE,   /* TCP framing: the length prefix asks for more */
  PT_DNS_TRUNCATED,   /* message ends inside the header or the question */
  PT_DNS_NOT_QUERY,   /* QR=1 (a response) or opcode is not QUERY */
  PT_DNS_NO_QUESTION, /* QDCOUNT == 0 */
  PT_DNS_BAD_NAME,    /* label > 63, name > 255, bad/forward/looping pointer,
                         reserved label type (0x40/0x80) */
} pt_dns_status;

/* Human-readable status name ("ok", "truncated", ...). */
const char *pt_dns_status_str(pt_dns_status st);

enum {
  PT_DNS_TYPE_A = 1,
  PT_DNS_TYPE_NS = 2,
  PT_DNS_TYPE_CNAME = 5,
  PT_DNS_TYPE_SOA = 6,
  PT_DNS_TYPE_PTR = 12,
  PT_DNS_TYPE_MX = 15,
  PT_DNS_TYPE_TXT = 16,
  PT_DNS_TYPE_AAAA = 28,
  PT_DNS_TYPE_OPT = 41,
  PT_DNS_TYPE_ANY = 255,
  PT_DNS_CLASS_IN = 1,
};

typedef struct pt_dns_query {
  uint16_t id;
  uint16_t flags; /* as sent: QR, opcode, AA, TC, RD, RA, Z, rcode */
  uint16_t qdcount, ancount, nscount, arcount;
  /* First question. The name as sent (case preserved), labels joined with
   * '.', no trailing dot; "." for the root. Label bytes are copied as they
   * are, so the text may contain '.', NUL or any other byte inside a label:
   * use name_len, and pt_dns_name_printable() before showing it anywhere. */
  char name[PT_DNS_NAME_TEXT_MAX];
  size_t name_len;
  uint8_t nlabels;
  /* The same name in uncompressed wire form, for copying into answers and
   * for the unambiguous printable form. */
  uint8_t wire[PT_DNS_NAME_WIRE_MAX];
  size_t wire_len;
  uint16_t qtype, qclass;
  /* Bytes of the message up to the end of the first question. */
  size_t question_end;
} pt_dns_query;

/* Parse a query (a UDP payload, or a TCP message without its length
 * prefix). Only the header and the first question are read; the other
 * sections are not needed to answer and are ignored. */
pt_dns_status pt_dns_parse_query(const uint8_t *msg, size_t len,
                                 pt_dns_query *q);

/* TCP framing (RFC 1035 4.2.2): find the first message in a stream buffer.
 * On PT_DNS_OK *msg and *msg_len give the message and *consumed the bytes to
 * drop (2 + msg_len). PT_DNS_NEED_MORE when fewer bytes than announced are
 * present; PT_DNS_TRUNCATED for a zero-length message. */
pt_dns_status pt_dns_tcp_frame(const uint8_t *buf, size_t len,
                               const uint8_t **msg, size_t *msg_len,
                               size_t *consumed);

/* What the fake resolver answers with. */
typedef struct pt_dns_answer_cfg {
  uint8_t ipv4[4];
  uint8_t ipv6[16];
  uint32_t ttl;    /* 0 means 60 */
  const char *txt; /* one character-string, <= 255 bytes; NULL means
                      "v=spf1 -all" */
} pt_dns_answer_cfg;

/* Build the answer to q into out (cap bytes) and set *out_len.
 * Always NOERROR (never NXDOMAIN: we want the sample to proceed), AA and
 * RA set, RD, opcode and id copied, the question copied once.
 *   A -> cfg->ipv4, AAAA -> cfg->ipv6, ANY -> A, TXT -> one short string,
 *   MX -> preference 10, "mail.<name>", anything else (CNAME, NS, class
 *   other than IN, ...) -> no answer records.
 * The size limit is PT_DNS_UDP_MAX (tcp false) or 65535 (tcp true), and at
 * most cap. If the answer does not fit, TC is set and the answer section is
 * left empty; if not even header and question fit, returns -1.
 * With tcp true the 2-byte length prefix is written first and counted in
 * *out_len. Returns 0 on success. */
int pt_dns_build_response(const pt_dns_query *q, const pt_dns_answer_cfg *cfg,
                          bool tcp, uint8_t *out, size_t cap,
                          size_t *out_len);

/* Write the printable form of q's name into out (NUL-terminated, truncated
 * to fit cap): master-file escaping, "\DDD" for bytes outside 0x21..0x7e,
 * "\." for a dot inside a label, "\\" for a backslash. Returns the length
 * written (excluding NUL). */
size_t pt_dns_name_printable(const pt_dns_query *q, char *out, size_t cap);

/* Same escaping for an arbitrary byte string (no label structure: '.' is
 * kept as is). Used for TLS SNI and HTTP Host values in reports. */
size_t pt_dns_escape(const void *bytes, size_t len, char *out, size_t cap);

#endif
