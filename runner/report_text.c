/* The terminal form of a report, the JSON file, and the helpers every
 * renderer shares (event lines, argv quoting, terminal escaping, atomic
 * writes). The plain-text line format is a contract of its own (scripts
 * grep it): docs/report-v1.md § Terminal lists every line. */
#define _GNU_SOURCE
#include "report_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How deep the process tree is indented; deeper descendants stay at this
 * depth (a fork chain of thousands must not push lines off the screen). */
#define TREE_DEPTH_MAX 24
#define EXCERPT_SHOWN 120

/* ---- shared helpers ------------------------------------------------------ */

static bool shell_safe(const char *s) {
  if (*s == '\0')
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || strchr("_./:=@%+,-", *s)))
      return false;
  return true;
}

void pt_report_argv(pt_buf *b, const json_t *argv) {
  size_t i;
  json_t *a;
  json_array_foreach(argv, i, a) {
    const char *s = json_string_value(a);
    if (s == NULL)
      continue;
    if (i > 0)
      pt_buf_append(b, " ", 1);
    if (shell_safe(s)) {
      pt_buf_append(b, s, strlen(s));
      continue;
    }
    pt_buf_append(b, "'", 1);
    for (const char *p = s; *p; p++)
      if (*p == '\'')
        pt_buf_append(b, "'\\''", 4);
      else
        pt_buf_append(b, p, 1);
    pt_buf_append(b, "'", 1);
  }
}

static void put(pt_buf *b, const char *s) {
  if (s)
    pt_buf_append(b, s, strlen(s));
}

/* A string field a sample controls, cut at max bytes (on a UTF-8
 * boundary) with "…" so one field cannot crowd out the rest of a line. */
static void put_cut(pt_buf *b, const char *s, size_t max) {
  if (s == NULL)
    return;
  size_t n = strlen(s);
  if (n <= max) {
    pt_buf_append(b, s, n);
    return;
  }
  while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
    max--;
  pt_buf_append(b, s, max);
  put(b, "\u2026");
}

static void put_dest(pt_buf *b, const json_t *o) {
  const char *addr = pt_report_str(o, "address");
  long long port = pt_report_int(o, "port", -1);
  if (addr == NULL) {
    put(b, "-");
    return;
  }
  bool v6 = strchr(addr, ':') != NULL;
  if (port >= 0)
    pt_buf_printf(b, v6 ? "[%s]:%lld" : "%s:%lld", addr, port);
  else
    put(b, addr);
}

void pt_report_describe_event(pt_buf *b, const json_t *ev) {
  const char *kind = pt_report_str(ev, "kind");
  if (kind == NULL)
    kind = "?";
  put(b, kind);
  put(b, " ");
  const char *s;
  if (strcmp(kind, "exec") == 0) {
    put_cut(b, pt_report_str(ev, "path"), 512);
    put(b, "  ");
    pt_report_argv(b, json_object_get(ev, "argv"));
  } else if (strcmp(kind, "process") == 0) {
    pt_buf_printf(b, "ppid %lld  ", pt_report_int(ev, "ppid", 0));
    pt_report_argv(b, json_object_get(ev, "argv"));
  } else if (strcmp(kind, "exit") == 0) {
    pt_buf_printf(b, "%lld", pt_report_int(ev, "code", 0));
  } else if (strcmp(kind, "file") == 0) {
    put(b, pt_report_str(ev, "op"));
    put(b, " ");
    put_cut(b, pt_report_str(ev, "path"), 512);
    if ((s = pt_report_str(ev, "to")) || (s = pt_report_str(ev, "target"))) {
      put(b, " -> ");
      put_cut(b, s, 512);
    }
    if ((s = pt_report_str(ev, "mode")))
      pt_buf_printf(b, " mode %s", s);
  } else if (strcmp(kind, "connect") == 0 || strcmp(kind, "send") == 0 ||
             strcmp(kind, "bind") == 0) {
    const char *fam = pt_report_str(ev, "family");
    const char *proto = pt_report_str(ev, "proto");
    put(b, proto ? proto : fam ? fam : "?");
    put(b, " ");
    put_dest(b, ev);
    if ((s = pt_report_str(ev, "hostname"))) {
      put(b, " ");
      put_cut(b, s, 256);
    }
  } else if (strcmp(kind, "dns") == 0) {
    if ((s = pt_report_str(ev, "error"))) {
      pt_buf_printf(b, "unparsable query (%s, %lld bytes)", s,
                    pt_report_int(ev, "bytes", 0));
    } else {
      put_cut(b, pt_report_str(ev, "name"), 256);
      put(b, " ");
      put(b, pt_report_str(ev, "qtype"));
      if ((s = pt_report_str(ev, "answer")))
        pt_buf_printf(b, " -> %s", s);
    }
  } else if (strcmp(kind, "net") == 0) {
    put(b, pt_report_str(ev, "proto"));
    put(b, " ");
    put_dest(b, ev);
    if ((s = pt_report_str(ev, "hostname"))) {
      put(b, " ");
      put_cut(b, s, 256);
    }
    if ((s = pt_report_str(ev, "sni"))) {
      put(b, " sni ");
      put_cut(b, s, 256);
    }
    json_t *h = json_object_get(ev, "http");
    if (json_is_object(h)) {
      put(b, " http ");
      put_cut(b, pt_report_str(h, "method"), 32);
      put(b, " ");
      put_cut(b, pt_report_str(h, "path"), 256);
    }
    pt_buf_printf(b, " %lld bytes", pt_report_int(ev, "bytes", 0));
  } else if (strcmp(kind, "honeytoken") == 0 ||
             strcmp(kind, "identity") == 0) {
    put_cut(b, pt_report_str(ev, "token"), 128);
    put(b, " ");
    put_cut(b, pt_report_str(ev, "encoding"), 64);
    put(b, " in ");
    put_cut(b, pt_report_str(ev, "where"), 128);
    if ((s = pt_report_str(ev, "name")) || (s = pt_report_str(ev, "hostname"))) {
      put(b, " ");
      put_cut(b, s, 256);
    }
  } else if (strcmp(kind, "memfd") == 0) {
    put_cut(b, pt_report_str(ev, "name"), 256);
  } else if (strcmp(kind, "config-change") == 0) {
    put_cut(b, pt_report_str(ev, "op"), 16);
    put(b, " ");
    put_cut(b, pt_report_str(ev, "path"), 512);
    if ((s = pt_report_str(ev, "added")) && *s) {
      put(b, " + ");
      put_cut(b, s, 200);
    }
  } else if (strcmp(kind, "refused") == 0) {
    put(b, pt_report_str(ev, "syscall"));
  } else if (strcmp(kind, "sleep-shortened") == 0) {
    pt_buf_printf(b, "%lld ms", pt_report_int(ev, "requested_ms", 0));
  } else if (strcmp(kind, "ptrace") == 0) {
    pt_buf_printf(b, "request %lld target %lld", pt_report_int(ev, "request", 0),
                  pt_report_int(ev, "target", 0));
  } else {
    /* A kind newer than this file: its fields, compactly. */
    json_t *rest = json_deep_copy(ev);
    static const char *const common[] = {"t", "pid", "kind", "phase"};
    for (size_t i = 0; rest && i < PT_ARRAY_LEN(common); i++)
      json_object_del(rest, common[i]);
    char *js = rest ? json_dumps(rest, JSON_COMPACT) : NULL;
    put_cut(b, js, 300);
    free(js);
    json_decref(rest);
  }
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0; *cp its code
 * point. Overlongs and surrogates are invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp) {
  unsigned char c = s[0];
  size_t n;
  uint32_t v, min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (len < n)
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = v << 6 | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return n;
}

/* Code points a terminal acts on or that hide or reorder text. */
static bool cp_unsafe(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
         cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

void pt_report_term_escape(pt_buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    uint32_t cp;
    size_t n = utf8_seq(p + i, len - i, &cp);
    if (n == 0) {
      pt_buf_printf(b, "\\x%02x", p[i]);
      i++;
    } else if (cp_unsafe(cp)) {
      if (cp < 0x100)
        pt_buf_printf(b, "\\x%02x", (unsigned)cp);
      else
        pt_buf_printf(b, "\\u{%04x}", (unsigned)cp);
      i += n;
    } else {
      pt_buf_append(b, p + i, n);
      i += n;
    }
  }
}

int pt_report_write_out(const char *path, const char *data, size_t len,
                        pt_err **err) {
  if (path == NULL)
    return pt_err_make(err, EINVAL, "report: no output path");
  if (strcmp(path, "-") == 0) {
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
      return pt_err_make(err, errno ? errno : EIO, "write report to stdout");
    return 0;
  }
  /* A regular file (or a new one) is replaced atomically: a temporary
   * beside it, renamed over it. Anything else is written through, as a
   * shell's `>` would: a rename over /dev/null, a FIFO or /dev/stdout
   * would put a regular file in its place (as root, /dev/null for the
   * whole machine), one over a symlink would replace the link. */
  struct stat st;
  if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
                  0644);
    if (fd < 0)
      return pt_err_make(err, errno, "open `%s`", path);
    int rc = pt_write_all(fd, data, len), e = errno;
    if (close(fd) < 0 && rc == 0) {
      rc = -1;
      e = errno;
    }
    return rc < 0 ? pt_err_make(err, e, "write `%s`", path) : 0;
  }
  char *tmp = NULL;
  if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0)
    return pt_err_make(err, ENOMEM, "report");
  int fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return pt_err_make(err, e, "create `%s`", path);
  }
  /* mkostemp makes 0600; a report is for reading by others. */
  int rc = fchmod(fd, 0644) < 0 ? -1 : pt_write_all(fd, data, len);
  int e = errno;
  if (close(fd) < 0 && rc == 0) {
    rc = -1;
    e = errno;
  }
  if (rc == 0 && rename(tmp, path) < 0) {
    rc = -1;
    e = errno;
  }
  if (rc < 0) {
    unlink(tmp);
    free(tmp);
    return pt_err_make(err, e, "write `%s`", path);
  }
  free(tmp);
  return 0;
}

int pt_report_write_json(const char *path, json_t *report, pt_err **err) {
  char *s = json_dumps(report, JSON_INDENT(2));
  if (s == NULL)
    return pt_err_make(err, ENOMEM, "report: JSON encoding");
  size_t n = strlen(s);
  s[n] = '\n'; /* json_dumps' NUL becomes the final newline */
  int rc = pt_report_write_out(path, s, n + 1, err);
  free(s);
  return rc;
}

/* ---- the terminal renderer ---------------------------------------------- */

struct out {
  FILE *f;
  bool color;
  pt_buf line; /* the line being built: escaped text and colour codes */
};

/* Append a literal of ours (never sample data). */
static void lit(struct out *o, const char *s) { put(&o->line, s); }

/* Append untrusted text, escaped for the terminal. */
static void txt(struct out *o, const char *s) {
  if (s == NULL)
    s = "-";
  pt_report_term_escape(&o->line, s, strlen(s));
}

/* Untrusted text for a field that is not the last on its line: also
 * without spaces (as \x20), so every line splits on "  " and the fields
 * before the free text match [^ ]+ (docs/report-v1.md § Terminal). */
static void word(struct out *o, const char *s) {
  if (s == NULL || *s == '\0')
    s = "-";
  pt_buf t;
  pt_buf_init(&t, 4 * strlen(s) + 16);
  pt_report_term_escape(&t, s, strlen(s));
  for (size_t i = 0; i < t.len; i++)
    if (t.data[i] == ' ')
      lit(o, "\\x20");
    else
      pt_buf_append(&o->line, &t.data[i], 1);
  pt_buf_free(&t);
}

static void word_buf(struct out *o, pt_buf *b) {
  word(o, b->len ? b->data : "-");
}

static void txt_buf(struct out *o, pt_buf *b) {
  if (b->len)
    pt_report_term_escape(&o->line, b->data, b->len);
  if (b->dropped)
    lit(o, "\u2026");
}

static void sgr(struct out *o, const char *code) {
  if (o->color)
    pt_buf_printf(&o->line, "\033[%sm", code);
}

static void endl(struct out *o) {
  if (o->line.len)
    fwrite(o->line.data, 1, o->line.len, o->f);
  fputc('\n', o->f);
  o->line.len = 0;
  o->line.dropped = 0;
}

static const char *severity_sgr(const char *sev) {
  switch (pt_report_severity_rank(sev)) {
  case 4: return "1;31";
  case 3: return "31";
  case 2: return "33";
  case 1: return "36";
  default: return "2";
  }
}

static void phase_col(struct out *o, const json_t *x) {
  lit(o, "  ");
  word(o, pt_report_str(x, "phase"));
}

static void print_head(struct out *o, const json_t *rep) {
  const char *v = pt_report_str(rep, "verdict");
  const json_t *pkg = json_object_get(rep, "package");
  char up[16] = "?";
  for (size_t i = 0; v && v[i] && i < sizeof(up) - 1; i++)
    up[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]), up[i + 1] = 0;
  sgr(o, !v ? "0" : strcmp(v, "malicious") == 0 ? "1;31"
          : strcmp(v, "suspicious") == 0       ? "1;33"
          : strcmp(v, "clean") == 0            ? "1;32"
                                                 : "1;35");
  lit(o, up);
  sgr(o, "0");
  lit(o, "  ");
  word(o, pt_report_str(pkg, "name") ? pt_report_str(pkg, "name") : "?");
  lit(o, " ");
  word(o, pt_report_str(pkg, "version") ? pt_report_str(pkg, "version") : "?");
  lit(o, " (");
  word(o, pt_report_str(pkg, "ecosystem") ? pt_report_str(pkg, "ecosystem") : "?");
  pt_buf_printf(&o->line, ")  score %lld", pt_report_int(rep, "score", 0));
  endl(o);

  size_t leaks = 0, i;
  json_t *h;
  json_array_foreach(json_object_get(rep, "honeytokens"), i, h)
      leaks += json_is_true(json_object_get(h, "leak"));
  pt_buf_printf(&o->line,
                "summary  findings %zu  processes %zu  files %zu  network %zu  "
                "honeytokens %zu  leaks %zu",
                json_array_size(json_object_get(rep, "findings")),
                json_array_size(json_object_get(rep, "processes")),
                json_array_size(json_object_get(rep, "files")),
                json_array_size(json_object_get(rep, "network")),
                json_array_size(json_object_get(rep, "honeytokens")), leaks);
  endl(o);
  lit(o, "artifact  sha256 ");
  word(o, pt_report_str(pkg, "sha256"));
  lit(o, "  ");
  txt(o, pt_report_str(pkg, "artifact"));
  endl(o);
  const char *e = pt_report_str(rep, "error");
  if (e) {
    sgr(o, "1;35");
    lit(o, "error");
    sgr(o, "0");
    lit(o, "  ");
    txt(o, e);
    endl(o);
  }
  json_t *p;
  json_array_foreach(json_object_get(rep, "problems"), i, p) {
    lit(o, "problem  ");
    word(o, pt_report_str(p, "rule"));
    lit(o, "  ");
    txt(o, pt_report_str(p, "summary"));
    if (pt_report_str(p, "entry")) {
      lit(o, " (entry ");
      txt(o, pt_report_str(p, "entry"));
      lit(o, ")");
    }
    endl(o);
  }
}

static void print_findings(struct out *o, const json_t *rep) {
  size_t i, k;
  json_t *f, *ev;
  json_array_foreach(json_object_get(rep, "findings"), i, f) {
    if (i == 0)
      endl(o);
    const char *sev = pt_report_str(f, "severity");
    lit(o, "finding  ");
    sgr(o, severity_sgr(sev));
    word(o, sev);
    sgr(o, "0");
    lit(o, "  ");
    word(o, pt_report_str(f, "rule"));
    phase_col(o, f);
    lit(o, "  ");
    txt(o, pt_report_str(f, "summary"));
    endl(o);
    json_array_foreach(json_object_get(f, "evidence"), k, ev) {
      lit(o, "  evidence");
      phase_col(o, ev);
      json_t *t = json_object_get(ev, "t");
      if (json_is_number(t))
        pt_buf_printf(&o->line, "  +%lldms", (long long)json_number_value(t));
      else
        lit(o, "  -");
      pt_buf_printf(&o->line, "  pid %lld  ", pt_report_int(ev, "pid", 0));
      pt_buf d;
      pt_buf_init(&d, PT_REPORT_LINE_MAX);
      pt_report_describe_event(&d, ev);
      txt_buf(o, &d);
      pt_buf_free(&d);
      endl(o);
    }
    long long more = pt_report_int(f, "evidence_omitted", 0);
    if (more > 0) {
      pt_buf_printf(&o->line, "  evidence-omitted  %lld", more);
      endl(o);
    }
    json_t *also = json_object_get(f, "also_in"), *a;
    if (json_array_size(also) > 0) {
      lit(o, "  also-in");
      json_array_foreach(also, k, a) {
        lit(o, "  ");
        word(o, json_string_value(a));
      }
      endl(o);
    }
  }
}

static void print_phases(struct out *o, const json_t *rep) {
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(rep, "phases"), i, p) {
    if (i == 0)
      endl(o);
    lit(o, "phase  ");
    word(o, pt_report_str(p, "name"));
    lit(o, "  ");
    word(o, pt_report_str(p, "kind"));
    lit(o, "  ");
    json_t *ec = json_object_get(p, "exit_code");
    if (json_is_true(json_object_get(p, "timed_out"))) {
      sgr(o, "33");
      lit(o, "timeout");
      sgr(o, "0");
    } else if (json_is_integer(ec)) {
      pt_buf_printf(&o->line, "exit %lld", (long long)json_integer_value(ec));
    } else {
      lit(o, "-");
    }
    json_t *d = json_object_get(p, "duration_ms");
    if (json_is_number(d))
      pt_buf_printf(&o->line, "  %lldms  ", (long long)json_number_value(d));
    else
      lit(o, "  -  ");
    pt_buf a;
    pt_buf_init(&a, PT_REPORT_LINE_MAX);
    pt_report_argv(&a, json_object_get(p, "argv"));
    if (a.len == 0)
      put(&a, "-");
    txt_buf(o, &a);
    pt_buf_free(&a);
    endl(o);
  }
}

/* Process tree: roots are processes whose parent is not in the report
 * (for the same phase); children follow their parent, in the order they
 * were seen. A visited mark keeps a forged ppid cycle from looping. */
static void print_proc(struct out *o, const json_t *procs, size_t idx,
                       unsigned char *done, int depth) {
  json_t *p = json_array_get(procs, idx);
  done[idx] = 1;
  lit(o, "process");
  phase_col(o, p);
  lit(o, "  ");
  for (int d = 0; d < depth && d < TREE_DEPTH_MAX; d++)
    lit(o, "  ");
  pt_buf_printf(&o->line, "%lld  ", pt_report_int(p, "pid", 0));
  pt_buf a;
  pt_buf_init(&a, PT_REPORT_LINE_MAX);
  pt_report_argv(&a, json_object_get(p, "argv"));
  if (a.len == 0)
    put(&a, pt_report_str(p, "exe") ? pt_report_str(p, "exe") : "?");
  txt_buf(o, &a);
  pt_buf_free(&a);
  json_t *ec = json_object_get(p, "exit_code");
  if (json_is_integer(ec) && json_integer_value(ec) != 0)
    pt_buf_printf(&o->line, "  [exit %lld]", (long long)json_integer_value(ec));
  endl(o);
  long long pid = pt_report_int(p, "pid", 0);
  const char *ph = pt_report_str(p, "phase");
  size_t n = json_array_size(procs);
  for (size_t j = 0; j < n; j++) {
    json_t *c = json_array_get(procs, j);
    const char *cph = pt_report_str(c, "phase");
    if (!done[j] && pt_report_int(c, "ppid", -1) == pid &&
        (ph == cph || (ph && cph && strcmp(ph, cph) == 0)))
      print_proc(o, procs, j, done, depth + 1);
  }
}

static void print_processes(struct out *o, const json_t *rep) {
  const json_t *procs = json_object_get(rep, "processes");
  size_t n = json_array_size(procs);
  if (n == 0)
    return;
  endl(o);
  unsigned char *done = calloc(n, 1), *root = calloc(n, 1);
  if (done == NULL || root == NULL) {
    free(done);
    free(root);
    return;
  }
  /* A root: no process of its phase has its ppid as pid. Quadratic, but
   * processes are capped at a few thousand by the builder. */
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_array_get(procs, i);
    long long ppid = pt_report_int(p, "ppid", 0);
    const char *ph = pt_report_str(p, "phase");
    root[i] = 1;
    for (size_t j = 0; j < n && root[i]; j++) {
      json_t *q = json_array_get(procs, j);
      const char *qph = pt_report_str(q, "phase");
      if (j != i && pt_report_int(q, "pid", -1) == ppid &&
          (ph == qph || (ph && qph && strcmp(ph, qph) == 0)))
        root[i] = 0;
    }
  }
  for (size_t i = 0; i < n; i++)
    if (root[i] && !done[i])
      print_proc(o, procs, i, done, 0);
  /* Whatever a cycle left unprinted, flat. */
  for (size_t i = 0; i < n; i++)
    if (!done[i])
      print_proc(o, procs, i, done, 0);
  free(done);
  free(root);
}

static void print_network(struct out *o, const json_t *rep) {
  size_t i;
  json_t *n;
  json_array_foreach(json_object_get(rep, "network"), i, n) {
    if (i == 0)
      endl(o);
    lit(o, "network");
    phase_col(o, n);
    lit(o, "  ");
    word(o, pt_report_str(n, "kind"));
    lit(o, "  ");
    word(o, pt_report_str(n, "proto"));
    lit(o, "  ");
    pt_buf d;
    pt_buf_init(&d, PT_REPORT_LINE_MAX);
    put_dest(&d, n);
    word_buf(o, &d);
    d.len = 0;
    d.dropped = 0;
    lit(o, "  ");
    word(o, pt_report_str(n, "hostname"));
    const char *s;
    if ((s = pt_report_str(n, "qtype")))
      pt_buf_printf(&d, "  %s", s);
    if ((s = pt_report_str(n, "answer")))
      pt_buf_printf(&d, " -> %s", s);
    if ((s = pt_report_str(n, "sni"))) {
      put(&d, "  sni ");
      put_cut(&d, s, 256);
    }
    json_t *h = json_object_get(n, "http");
    if (json_is_object(h)) {
      put(&d, "  http ");
      put_cut(&d, pt_report_str(h, "method"), 32);
      put(&d, " ");
      put_cut(&d, pt_report_str(h, "path"), 256);
    }
    if (json_is_integer(json_object_get(n, "bytes")))
      pt_buf_printf(&d, "  %lld bytes", pt_report_int(n, "bytes", 0));
    if ((s = pt_report_str(n, "excerpt")) && *s) {
      put(&d, "  \"");
      put_cut(&d, s, EXCERPT_SHOWN);
      put(&d, "\"");
    }
    txt_buf(o, &d);
    pt_buf_free(&d);
    endl(o);
  }
}

static void print_honeytokens(struct out *o, const json_t *rep) {
  size_t i;
  json_t *h;
  json_array_foreach(json_object_get(rep, "honeytokens"), i, h) {
    if (i == 0)
      endl(o);
    bool leak = json_is_true(json_object_get(h, "leak"));
    lit(o, "honeytoken");
    phase_col(o, h);
    lit(o, "  ");
    sgr(o, leak ? "1;31" : "33");
    lit(o, leak ? "leak" : "read");
    sgr(o, "0");
    lit(o, "  ");
    word(o, pt_report_str(h, "token"));
    lit(o, "  ");
    word(o, pt_report_str(h, "how"));
    lit(o, "  ");
    word(o, pt_report_str(h, "where"));
    const char *to = pt_report_str(h, "hostname");
    if (to == NULL)
      to = pt_report_str(h, "name");
    if (leak && to) {
      lit(o, " -> ");
      word(o, to);
    }
    endl(o);
  }
}

int pt_report_print_text(FILE *out, json_t *report, bool color) {
  struct out o = {.f = out, .color = color};
  /* No cap on the line buffer itself: its parts are cut already. */
  pt_buf_init(&o.line, SIZE_MAX / 2);
  print_head(&o, report);
  print_findings(&o, report);
  print_phases(&o, report);
  print_processes(&o, report);
  print_network(&o, report);
  print_honeytokens(&o, report);
  pt_buf_free(&o.line);
  return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
