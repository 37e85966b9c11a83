/* The HTML form of a report: one self-contained page (inline CSS, no
 * script, no external asset, nothing fetched) that a security team can
 * open from a CI artifact. A strict Content-Security-Policy (no script
 * source at all) is the second line of defence; the first is that every
 * string of the report goes through h_text(), which makes controls and
 * direction overrides visible (the terminal escaper) and then
 * HTML-escapes, in text and in attributes alike.
 *
 * Parts and their ids/classes (tests/report/html_test.sh relies on them):
 * #verdict (.verdict-<verdict>), #error, #problems, #findings
 * (.finding.sev-<severity>, .evidence), #honeytokens (tr.leak),
 * #timeline (.phase, .bar, .mark, .phase-events), #processes (.tree),
 * #network (#network-table, .excerpt), #files. */
#define _GNU_SOURCE
#include "report_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A page is for reading: its size is capped (a report is capped already;
 * this bounds what the phase event lists add). */
#define PAGE_MAX (64u << 20)
#define PHASE_EVENTS_MAX 300
#define MARKS_MAX 60
#define EXCERPT_SHOWN 600

static const char css[] =
    ":root{--bg:#f6f7f9;--fg:#1d2330;--mut:#5d6778;--line:#d9dde5;"
    "--crit:#b3261e;--high:#d4461c;--med:#b7791f;--low:#2b6cb0;--info:#718096}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "main{max-width:1200px;margin:0 auto;padding:0 20px 40px}"
    "code,.mono,td.m{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;"
    "font-size:12.5px;overflow-wrap:anywhere}"
    "header.verdict{color:#fff;padding:22px 28px;display:flex;flex-wrap:wrap;"
    "align-items:baseline;gap:8px 28px}"
    ".verdict-malicious{background:#a61b1b}.verdict-suspicious{background:#b45d09}"
    ".verdict-clean{background:#23703a}.verdict-error{background:#5b2a86}"
    ".verdict-word{font-size:30px;font-weight:800;letter-spacing:.06em}"
    ".verdict .pkg{font-size:20px;font-weight:600}"
    ".verdict .score{font-size:18px;opacity:.95}"
    ".verdict .meta{flex-basis:100%;font-size:12.5px;opacity:.9}"
    "nav{margin:14px 0;display:flex;flex-wrap:wrap;gap:6px}"
    "nav a{color:var(--fg);background:#fff;border:1px solid var(--line);"
    "border-radius:14px;padding:2px 11px;text-decoration:none;font-size:13px}"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;"
    "padding:14px 18px;margin:14px 0}"
    "h2{font-size:17px;margin:0 0 10px}h2 .n{color:var(--mut);font-weight:400}"
    ".empty{color:var(--mut)}"
    "#error{border-color:#8e44ad;background:#fbf5ff}"
    ".finding{border-left:5px solid var(--info);padding:6px 12px;margin:10px 0;"
    "background:#fafbfc}"
    ".finding h3{margin:0;font-size:14.5px;display:flex;gap:10px;align-items:baseline;"
    "flex-wrap:wrap}"
    ".sev{text-transform:uppercase;font-size:11px;font-weight:700;color:#fff;"
    "padding:1px 7px;border-radius:3px;background:var(--info)}"
    ".sev-critical{border-color:var(--crit)}.sev-critical .sev{background:var(--crit)}"
    ".sev-high{border-color:var(--high)}.sev-high .sev{background:var(--high)}"
    ".sev-medium{border-color:var(--med)}.sev-medium .sev{background:var(--med)}"
    ".sev-low{border-color:var(--low)}.sev-low .sev{background:var(--low)}"
    ".phase-tag{font-size:12px;color:var(--mut);border:1px solid var(--line);"
    "border-radius:3px;padding:0 5px}"
    ".finding .summary{margin:4px 0}"
    "ul.evidence{margin:4px 0 4px;padding-left:18px;color:#333}"
    "ul.evidence li{margin:2px 0}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;vertical-align:top;padding:4px 8px;"
    "border-bottom:1px solid var(--line)}"
    "th{font-size:12px;color:var(--mut);font-weight:600}"
    "tr.leak td{background:#fde8e8}tr.leak td.how{color:var(--crit);font-weight:700}"
    ".excerpt{white-space:pre-wrap;max-height:9em;overflow:auto;display:block;"
    "background:#f3f4f6;padding:3px 5px;border-radius:3px}"
    ".phase{margin:10px 0}"
    ".phase-head{display:flex;gap:12px;flex-wrap:wrap;align-items:baseline}"
    ".phase-head .name{font-weight:600}.phase-head .stat{color:var(--mut)}"
    ".phase-head .timeout{color:var(--crit);font-weight:700}"
    ".track{position:relative;height:16px;background:#eef0f4;border-radius:3px;"
    "margin:4px 0}"
    ".bar{position:absolute;left:0;top:0;bottom:0;background:#8da2c0;"
    "border-radius:3px;min-width:3px}"
    ".bar.timed-out{background:#e29a8f}"
    ".mark{position:absolute;top:2px;width:4px;height:12px;margin-left:-2px;"
    "border-radius:1px;background:#333}"
    ".mark-network{background:#2b6cb0}.mark-honeytoken{background:var(--crit)}"
    ".mark-process{background:#555}.mark-file{background:#b7791f}"
    "details summary{cursor:pointer;color:var(--mut)}"
    "ol.phase-events{margin:4px 0;padding-left:22px;max-height:24em;overflow:auto}"
    "ol.phase-events .cat{display:inline-block;min-width:78px;color:var(--mut)}"
    "ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:18px}"
    "ul.tree{padding-left:0}"
    "#processes h3.phase-tag{display:inline-block;margin:8px 0 4px;font-weight:600}"
    "ul.tree li{margin:1px 0;border-left:1px solid var(--line);padding-left:8px}"
    ".pid{color:var(--mut);margin-right:6px}"
    "footer{color:var(--mut);font-size:12px;text-align:center;margin-top:20px}";

/* ---- escaping -------------------------------------------------------- */

/* Untrusted text into the page: first what a reader must see literally
 * (controls, bidi overrides, invalid UTF-8 as \xNN / \u{NNNN}), then HTML
 * metacharacters as entities. Safe in text and in quoted attributes. */
static void h_text(pt_buf *b, const char *s) {
  if (s == NULL) {
    pt_buf_append(b, "-", 1);
    return;
  }
  pt_buf t;
  pt_buf_init(&t, 4 * strlen(s) + 16);
  pt_report_term_escape(&t, s, strlen(s));
  for (size_t i = 0; i < t.len; i++) {
    char c = t.data[i];
    switch (c) {
    case '&': pt_buf_append(b, "&amp;", 5); break;
    case '<': pt_buf_append(b, "&lt;", 4); break;
    case '>': pt_buf_append(b, "&gt;", 4); break;
    case '"': pt_buf_append(b, "&quot;", 6); break;
    case '\'': pt_buf_append(b, "&#39;", 5); break;
    default: pt_buf_append(b, &c, 1);
    }
  }
  pt_buf_free(&t);
}

/* A raw buffer (an event line, an argv) as text, with "…" when cut. */
static void h_buf(pt_buf *b, pt_buf *raw) {
  h_text(b, raw->len ? raw->data : "");
  if (raw->dropped)
    pt_buf_append(b, "\u2026", strlen("\u2026"));
}

static void h_argv(pt_buf *b, const json_t *argv) {
  pt_buf a;
  pt_buf_init(&a, PT_REPORT_LINE_MAX);
  pt_report_argv(&a, argv);
  h_buf(b, &a);
  pt_buf_free(&a);
}

static void lit(pt_buf *b, const char *s) { pt_buf_append(b, s, strlen(s)); }

/* Class names come from our fixed lists only, never from the report. */
static const char *sev_class(const char *sev) {
  static const char *const c[] = {"sev-info", "sev-low", "sev-medium",
                                  "sev-high", "sev-critical"};
  int r = pt_report_severity_rank(sev);
  return c[r < 0 ? 0 : r];
}

static const char *verdict_class(const char *v) {
  if (v && strcmp(v, "malicious") == 0)
    return "verdict-malicious";
  if (v && strcmp(v, "suspicious") == 0)
    return "verdict-suspicious";
  if (v && strcmp(v, "clean") == 0)
    return "verdict-clean";
  return "verdict-error";
}

static const char *nz(const char *s) { return s ? s : "-"; }

static bool same_phase(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- parts --------------------------------------------------------------- */

static void banner(pt_buf *b, const json_t *rep) {
  const char *v = pt_report_str(rep, "verdict");
  const json_t *pkg = json_object_get(rep, "package");
  pt_buf_printf(b, "<header id=\"verdict\" class=\"verdict %s\">",
                verdict_class(v));
  lit(b, "<div class=\"verdict-word\">");
  char up[16] = "ERROR";
  for (size_t i = 0; v && v[i] && i < sizeof(up) - 1; i++)
    up[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]), up[i + 1] = 0;
  h_text(b, up);
  lit(b, "</div><div class=\"pkg\">");
  h_text(b, pt_report_str(pkg, "name"));
  lit(b, " ");
  h_text(b, pt_report_str(pkg, "version"));
  lit(b, " (");
  h_text(b, pt_report_str(pkg, "ecosystem"));
  pt_buf_printf(b, ")</div><div class=\"score\">score %lld / 100</div>",
                pt_report_int(rep, "score", 0));
  lit(b, "<div class=\"meta mono\">artifact ");
  h_text(b, pt_report_str(pkg, "artifact"));
  lit(b, " &middot; sha256 ");
  h_text(b, pt_report_str(pkg, "sha256"));
  lit(b, "</div></header>\n");
}

static void nav(pt_buf *b, const json_t *rep) {
  static const struct {
    const char *id, *label, *key;
  } parts[] = {
      {"findings", "Findings", "findings"},
      {"honeytokens", "Honeytokens", "honeytokens"},
      {"timeline", "Timeline", "phases"},
      {"processes", "Processes", "processes"},
      {"network", "Network", "network"},
      {"files", "Files", "files"},
  };
  lit(b, "<nav>");
  for (size_t i = 0; i < PT_ARRAY_LEN(parts); i++)
    pt_buf_printf(b, "<a href=\"#%s\">%s (%zu)</a>", parts[i].id,
                  parts[i].label,
                  json_array_size(json_object_get(rep, parts[i].key)));
  lit(b, "</nav>\n");
}

static void error_part(pt_buf *b, const json_t *rep) {
  const char *e = pt_report_str(rep, "error");
  if (e) {
    lit(b, "<section id=\"error\"><h2>Error</h2><p class=\"mono\">");
    h_text(b, e);
    lit(b, "</p></section>\n");
  }
  const json_t *probs = json_object_get(rep, "problems");
  if (json_array_size(probs) == 0)
    return;
  pt_buf_printf(b, "<section id=\"problems\"><h2>Problems "
                   "<span class=\"n\">(%zu)</span></h2><table>"
                   "<tr><th>rule</th><th>summary</th><th>entry</th></tr>",
                json_array_size(probs));
  size_t i;
  json_t *p;
  json_array_foreach(probs, i, p) {
    lit(b, "<tr><td class=\"m\">");
    h_text(b, pt_report_str(p, "rule"));
    lit(b, "</td><td>");
    h_text(b, pt_report_str(p, "summary"));
    lit(b, "</td><td class=\"m\">");
    h_text(b, pt_report_str(p, "entry"));
    lit(b, "</td></tr>");
  }
  lit(b, "</table></section>\n");
}

static void findings_part(pt_buf *b, const json_t *rep) {
  const json_t *fs = json_object_get(rep, "findings");
  pt_buf_printf(b, "<section id=\"findings\"><h2>Findings <span class=\"n\">"
                   "(%zu)</span></h2>",
                json_array_size(fs));
  if (json_array_size(fs) == 0)
    lit(b, "<p class=\"empty\">No rule matched.</p>");
  size_t i, k;
  json_t *f, *ev;
  json_array_foreach(fs, i, f) {
    const char *sev = pt_report_str(f, "severity");
    pt_buf_printf(b, "<article class=\"finding %s\"><h3><span class=\"sev\">",
                  sev_class(sev));
    h_text(b, sev);
    lit(b, "</span><code class=\"rule\">");
    h_text(b, pt_report_str(f, "rule"));
    lit(b, "</code><span class=\"phase-tag\">");
    h_text(b, pt_report_str(f, "phase"));
    lit(b, "</span></h3><p class=\"summary\">");
    h_text(b, pt_report_str(f, "summary"));
    lit(b, "</p><ul class=\"evidence\">");
    json_array_foreach(json_object_get(f, "evidence"), k, ev) {
      lit(b, "<li><code>");
      json_t *t = json_object_get(ev, "t");
      if (json_is_number(t))
        pt_buf_printf(b, "+%lldms ", (long long)json_number_value(t));
      pt_buf_printf(b, "pid %lld ", pt_report_int(ev, "pid", 0));
      pt_buf d;
      pt_buf_init(&d, PT_REPORT_LINE_MAX);
      pt_report_describe_event(&d, ev);
      h_buf(b, &d);
      pt_buf_free(&d);
      lit(b, "</code></li>");
    }
    long long more = pt_report_int(f, "evidence_omitted", 0);
    if (more > 0)
      pt_buf_printf(b, "<li class=\"empty\">%lld more not shown</li>", more);
    lit(b, "</ul></article>\n");
  }
  lit(b, "</section>\n");
}

static void honeytokens_part(pt_buf *b, const json_t *rep) {
  const json_t *hs = json_object_get(rep, "honeytokens");
  size_t leaks = 0, i;
  json_t *h;
  json_array_foreach(hs, i, h) leaks += json_is_true(json_object_get(h, "leak"));
  pt_buf_printf(b, "<section id=\"honeytokens\"><h2>Honeytokens <span "
                   "class=\"n\">(%zu leaked, %zu read)</span></h2>",
                leaks, json_array_size(hs) - leaks);
  if (json_array_size(hs) == 0) {
    lit(b, "<p class=\"empty\">No planted credential was read or sent.</p>"
           "</section>\n");
    return;
  }
  lit(b, "<table><tr><th>phase</th><th>token</th><th>how</th><th>where</th>"
         "<th>to</th><th>pid</th></tr>");
  /* Leaks first: they are the finding beyond doubt. */
  for (int pass = 0; pass < 2; pass++)
    json_array_foreach(hs, i, h) {
      bool leak = json_is_true(json_object_get(h, "leak"));
      if (leak != (pass == 0))
        continue;
      lit(b, leak ? "<tr class=\"leak\"><td>" : "<tr><td>");
      h_text(b, pt_report_str(h, "phase"));
      lit(b, "</td><td class=\"m\">");
      h_text(b, pt_report_str(h, "token"));
      lit(b, "</td><td class=\"how\">");
      h_text(b, pt_report_str(h, "how"));
      lit(b, "</td><td class=\"m\">");
      h_text(b, pt_report_str(h, "where"));
      lit(b, "</td><td class=\"m\">");
      const char *to = pt_report_str(h, "hostname");
      h_text(b, to ? to : pt_report_str(h, "name"));
      pt_buf_printf(b, "</td><td>%lld</td></tr>", pt_report_int(h, "pid", 0));
    }
  lit(b, "</table></section>\n");
}

/* ---- timeline ------------------------------------------------------------ */

struct tl_item {
  double t;
  const char *cat;
  const json_t *o;
};

static int cmp_item(const void *a, const void *b) {
  const struct tl_item *x = a, *y = b;
  return x->t < y->t ? -1 : x->t > y->t;
}

static void tl_line(pt_buf *b, const struct tl_item *it) {
  pt_buf d;
  pt_buf_init(&d, PT_REPORT_LINE_MAX);
  const json_t *o = it->o;
  if (strcmp(it->cat, "process") == 0) {
    pt_buf_printf(&d, "%lld ", pt_report_int(o, "pid", 0));
    pt_report_argv(&d, json_object_get(o, "argv"));
  } else if (strcmp(it->cat, "file") == 0) {
    pt_buf_printf(&d, "%s %s", nz(pt_report_str(o, "op")),
                  nz(pt_report_str(o, "path")));
  } else if (strcmp(it->cat, "network") == 0) {
    pt_buf_printf(&d, "%s %s %s", nz(pt_report_str(o, "kind")),
                  nz(pt_report_str(o, "hostname")),
                  nz(pt_report_str(o, "address")));
    if (json_is_integer(json_object_get(o, "port")))
      pt_buf_printf(&d, ":%lld", pt_report_int(o, "port", 0));
  } else {
    pt_buf_printf(&d, "%s %s %s",
                  json_is_true(json_object_get(o, "leak")) ? "LEAK" : "read",
                  nz(pt_report_str(o, "token")), nz(pt_report_str(o, "where")));
  }
  pt_buf_printf(b, "<li><span class=\"cat\">+%.0fms %s</span> <code>", it->t,
                it->cat);
  h_buf(b, &d);
  lit(b, "</code></li>");
  pt_buf_free(&d);
}

static void phase_row(pt_buf *b, const json_t *rep, const json_t *ph,
                      size_t idx, double max_ms) {
  const char *name = pt_report_str(ph, "name");
  json_t *dj = json_object_get(ph, "duration_ms");
  double dur = json_is_number(dj) ? json_number_value(dj) : 0;
  json_t *sj = json_object_get(ph, "start_ms");
  double start = json_is_number(sj) ? json_number_value(sj) : 0;
  bool to = json_is_true(json_object_get(ph, "timed_out"));
  pt_buf_printf(b, "<div class=\"phase\" id=\"phase-%zu\"><div class=\"phase-head\">"
                   "<span class=\"name\">", idx);
  h_text(b, name);
  lit(b, "</span><span class=\"stat\">");
  h_text(b, pt_report_str(ph, "kind"));
  lit(b, "</span><span class=\"stat\">");
  json_t *ec = json_object_get(ph, "exit_code");
  if (to)
    lit(b, "<span class=\"timeout\">timed out</span>");
  else if (json_is_integer(ec))
    pt_buf_printf(b, "exit %lld", (long long)json_integer_value(ec));
  else
    lit(b, "not run");
  pt_buf_printf(b, "</span><span class=\"stat\">%.0f ms</span>"
                   "<code class=\"stat\">", dur);
  h_argv(b, json_object_get(ph, "argv"));
  lit(b, "</code></div>");

  /* Everything of this phase the report holds, in time order. */
  static const struct {
    const char *key, *cat;
  } srcs[] = {{"processes", "process"}, {"network", "network"},
              {"honeytokens", "honeytoken"}, {"files", "file"}};
  size_t cap = 0, n = 0;
  for (size_t s = 0; s < PT_ARRAY_LEN(srcs); s++)
    cap += json_array_size(json_object_get(rep, srcs[s].key));
  struct tl_item *items = calloc(cap ? cap : 1, sizeof(*items));
  size_t counts[4] = {0};
  for (size_t s = 0; items && s < PT_ARRAY_LEN(srcs); s++) {
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(rep, srcs[s].key), i, o) {
      if (!same_phase(pt_report_str(o, "phase"), name))
        continue;
      json_t *t = json_object_get(o, "t");
      items[n++] = (struct tl_item){json_is_number(t) ? json_number_value(t) - start : 0,
                                    srcs[s].cat, o};
      counts[s]++;
    }
  }
  if (n > 1)
    qsort(items, n, sizeof(*items), cmp_item);

  double w = max_ms > 0 ? 100.0 * dur / max_ms : 0;
  pt_buf_printf(b, "<div class=\"track\"><div class=\"bar%s\" style=\"width:%.2f%%\">"
                   "</div>", to ? " timed-out" : "", w);
  /* Markers for what matters most (not files: too many to mark). */
  size_t marks = 0;
  for (size_t i = 0; i < n && marks < MARKS_MAX && dur > 0; i++) {
    if (strcmp(items[i].cat, "file") == 0)
      continue;
    double x = items[i].t / dur;
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    pt_buf_printf(b, "<span class=\"mark mark-%s\" style=\"left:%.2f%%\"></span>",
                  items[i].cat, w * x);
    marks++;
  }
  pt_buf_printf(b, "</div><details><summary>%lld events recorded: %zu "
                   "processes, %zu network, %zu honeytokens, %zu files"
                   "</summary><ol class=\"phase-events\">",
                pt_report_int(ph, "events", 0), counts[0], counts[1],
                counts[2], counts[3]);
  for (size_t i = 0; i < n && i < PHASE_EVENTS_MAX; i++)
    tl_line(b, &items[i]);
  if (n > PHASE_EVENTS_MAX)
    pt_buf_printf(b, "<li class=\"empty\">%zu more not shown</li>",
                  n - PHASE_EVENTS_MAX);
  lit(b, "</ol></details></div>\n");
  free(items);
}

static void timeline_part(pt_buf *b, const json_t *rep) {
  const json_t *phases = json_object_get(rep, "phases");
  pt_buf_printf(b, "<section id=\"timeline\"><h2>Timeline <span class=\"n\">"
                   "(%zu phases)</span></h2>",
                json_array_size(phases));
  if (json_array_size(phases) == 0)
    lit(b, "<p class=\"empty\">No phase ran.</p>");
  double max_ms = 0;
  size_t i;
  json_t *ph;
  json_array_foreach(phases, i, ph) {
    json_t *d = json_object_get(ph, "duration_ms");
    if (json_is_number(d) && json_number_value(d) > max_ms)
      max_ms = json_number_value(d);
  }
  json_array_foreach(phases, i, ph) phase_row(b, rep, ph, i, max_ms);
  lit(b, "</section>\n");
}

/* ---- processes, network, files ------------------------------------------ */

static void proc_node(pt_buf *b, const json_t *procs, size_t idx,
                      unsigned char *done, int depth) {
  json_t *p = json_array_get(procs, idx);
  done[idx] = 1;
  pt_buf_printf(b, "<li><span class=\"pid\">%lld</span><code>",
                pt_report_int(p, "pid", 0));
  if (json_array_size(json_object_get(p, "argv")))
    h_argv(b, json_object_get(p, "argv"));
  else
    h_text(b, pt_report_str(p, "exe"));
  lit(b, "</code>");
  json_t *ec = json_object_get(p, "exit_code");
  if (json_is_integer(ec) && json_integer_value(ec) != 0)
    pt_buf_printf(b, " <span class=\"stat\">exit %lld</span>",
                  (long long)json_integer_value(ec));
  long long pid = pt_report_int(p, "pid", 0);
  const char *ph = pt_report_str(p, "phase");
  bool open = false;
  size_t n = json_array_size(procs);
  /* HTML nests as deep as the tree; past this depth children are listed
   * flat so a fork chain cannot make the parser give up. */
  for (size_t j = 0; j < n; j++) {
    json_t *c = json_array_get(procs, j);
    if (done[j] || pt_report_int(c, "ppid", -1) != pid ||
        !same_phase(ph, pt_report_str(c, "phase")))
      continue;
    if (depth >= 32) {
      continue;
    }
    if (!open)
      lit(b, "<ul>");
    open = true;
    proc_node(b, procs, j, done, depth + 1);
  }
  lit(b, open ? "</ul></li>" : "</li>");
}

static void processes_part(pt_buf *b, const json_t *rep) {
  const json_t *procs = json_object_get(rep, "processes");
  size_t n = json_array_size(procs);
  pt_buf_printf(b, "<section id=\"processes\"><h2>Process tree <span "
                   "class=\"n\">(%zu)</span></h2>", n);
  if (n == 0) {
    lit(b, "<p class=\"empty\">No process was recorded.</p></section>\n");
    return;
  }
  unsigned char *done = calloc(n, 1);
  if (done == NULL) {
    lit(b, "</section>\n");
    return;
  }
  /* Per phase, a tree of its roots (parents not in the report). */
  const char *cur = NULL;
  bool any = false;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      if (done[i])
        continue;
      json_t *p = json_array_get(procs, i);
      const char *ph = pt_report_str(p, "phase");
      long long ppid = pt_report_int(p, "ppid", 0);
      bool root = true;
      for (size_t j = 0; pass == 0 && j < n && root; j++) {
        json_t *q = json_array_get(procs, j);
        if (j != i && pt_report_int(q, "pid", -1) == ppid &&
            same_phase(ph, pt_report_str(q, "phase")))
          root = false;
      }
      if (!root)
        continue;
      if (!any || !same_phase(cur, ph)) {
        if (any)
          lit(b, "</ul>");
        lit(b, "<h3 class=\"phase-tag\">");
        h_text(b, ph);
        lit(b, "</h3><ul class=\"tree\">");
        cur = ph;
        any = true;
      }
      proc_node(b, procs, i, done, 0);
    }
  if (any)
    lit(b, "</ul>");
  free(done);
  lit(b, "</section>\n");
}

static void td(pt_buf *b, const char *cls, const char *s) {
  if (cls)
    pt_buf_printf(b, "<td class=\"%s\">", cls);
  else
    lit(b, "<td>");
  h_text(b, s);
  lit(b, "</td>");
}

static void network_part(pt_buf *b, const json_t *rep) {
  const json_t *net = json_object_get(rep, "network");
  pt_buf_printf(b, "<section id=\"network\"><h2>Network <span class=\"n\">"
                   "(%zu)</span></h2>", json_array_size(net));
  if (json_array_size(net) == 0) {
    lit(b, "<p class=\"empty\">No network attempt.</p></section>\n");
    return;
  }
  lit(b, "<table id=\"network-table\"><tr><th>phase</th><th>kind</th>"
         "<th>proto</th><th>address</th><th>port</th><th>hostname</th>"
         "<th>sni</th><th>http</th><th>bytes</th><th>excerpt</th></tr>");
  size_t i;
  json_t *n;
  json_array_foreach(net, i, n) {
    lit(b, "<tr>");
    td(b, NULL, pt_report_str(n, "phase"));
    td(b, NULL, pt_report_str(n, "kind"));
    td(b, NULL, pt_report_str(n, "proto"));
    td(b, "m", pt_report_str(n, "address"));
    if (json_is_integer(json_object_get(n, "port")))
      pt_buf_printf(b, "<td>%lld</td>", pt_report_int(n, "port", 0));
    else
      lit(b, "<td>-</td>");
    td(b, "m", pt_report_str(n, "hostname"));
    td(b, "m", pt_report_str(n, "sni"));
    json_t *h = json_object_get(n, "http");
    lit(b, "<td class=\"m\">");
    if (json_is_object(h)) {
      h_text(b, pt_report_str(h, "method"));
      lit(b, " ");
      h_text(b, pt_report_str(h, "path"));
    } else if (pt_report_str(n, "qtype")) {
      h_text(b, pt_report_str(n, "qtype"));
    }
    lit(b, "</td>");
    if (json_is_integer(json_object_get(n, "bytes")))
      pt_buf_printf(b, "<td>%lld</td>", pt_report_int(n, "bytes", 0));
    else
      lit(b, "<td>-</td>");
    const char *ex = pt_report_str(n, "excerpt");
    if (ex && *ex) {
      lit(b, "<td><code class=\"excerpt\">");
      pt_buf e;
      pt_buf_init(&e, EXCERPT_SHOWN);
      pt_buf_append(&e, ex, strlen(ex));
      h_buf(b, &e);
      pt_buf_free(&e);
      lit(b, "</code></td></tr>");
    } else {
      lit(b, "<td>-</td></tr>");
    }
  }
  lit(b, "</table></section>\n");
}

static void files_part(pt_buf *b, const json_t *rep) {
  const json_t *files = json_object_get(rep, "files");
  pt_buf_printf(b, "<section id=\"files\"><h2>Files <span class=\"n\">(%zu)"
                   "</span></h2>", json_array_size(files));
  if (json_array_size(files) == 0) {
    lit(b, "<p class=\"empty\">No file written, deleted or executed.</p>"
           "</section>\n");
    return;
  }
  lit(b, "<details><summary>show the file operations</summary><table>"
         "<tr><th>phase</th><th>op</th><th>path</th><th>pid</th></tr>");
  size_t i;
  json_t *f;
  json_array_foreach(files, i, f) {
    lit(b, "<tr>");
    td(b, NULL, pt_report_str(f, "phase"));
    td(b, NULL, pt_report_str(f, "op"));
    lit(b, "<td class=\"m\">");
    h_text(b, pt_report_str(f, "path"));
    const char *to = pt_report_str(f, "to");
    if (to) {
      lit(b, " &rarr; ");
      h_text(b, to);
    }
    pt_buf_printf(b, "</td><td>%lld</td></tr>", pt_report_int(f, "pid", 0));
  }
  lit(b, "</table></details></section>\n");
}

/* ---- the page ------------------------------------------------------------- */

static int render(pt_buf *b, const json_t *rep) {
  const json_t *pkg = json_object_get(rep, "package");
  lit(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         /* First in <head>, before anything it governs. No script source at
          * all: the page has none, so nothing injected could run. */
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action "
         "'none'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\">\n<title>pkgtrap: ");
  h_text(b, pt_report_str(rep, "verdict"));
  lit(b, " \xe2\x80\x94 ");
  h_text(b, pt_report_str(pkg, "name"));
  lit(b, " ");
  h_text(b, pt_report_str(pkg, "version"));
  lit(b, "</title>\n<style>");
  lit(b, css);
  lit(b, "</style></head>\n<body>\n");
  banner(b, rep);
  lit(b, "<main>\n");
  nav(b, rep);
  error_part(b, rep);
  findings_part(b, rep);
  honeytokens_part(b, rep);
  timeline_part(b, rep);
  processes_part(b, rep);
  network_part(b, rep);
  files_part(b, rep);
  lit(b, "<footer>");
  const json_t *tool = json_object_get(rep, "tool");
  h_text(b, pt_report_str(tool, "name") ? pt_report_str(tool, "name") : "pkgtrap");
  lit(b, " ");
  h_text(b, pt_report_str(tool, "version") ? pt_report_str(tool, "version") : "");
  lit(b, " &middot; ");
  h_text(b, pt_report_str(rep, "schema"));
  const json_t *om = json_object_get(rep, "omitted");
  long long left = pt_report_int(om, "processes", 0) + pt_report_int(om, "files", 0) +
                   pt_report_int(om, "network", 0) + pt_report_int(om, "honeytokens", 0);
  if (left > 0)
    pt_buf_printf(b, " &middot; %lld entries left out of this report (caps)", left);
  lit(b, "</footer>\n</main>\n</body></html>\n");
  return b->dropped ? -1 : 0;
}

int pt_report_write_html(const char *path, json_t *report, pt_err **err) {
  if (!json_is_object(report))
    return pt_err_make(err, EINVAL, "report: not a report object");
  pt_buf b;
  pt_buf_init(&b, PAGE_MAX);
  if (render(&b, report) < 0) {
    pt_buf_free(&b);
    return pt_err_make(err, EFBIG, "report: the HTML page exceeds %u MiB",
                       PAGE_MAX >> 20);
  }
  int rc = pt_report_write_out(path, b.data ? b.data : "", b.len, err);
  pt_buf_free(&b);
  return rc;
}
