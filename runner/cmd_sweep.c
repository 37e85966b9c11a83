/* pkgtrap sweep: fetch what a registry published that the store has not
 * scanned yet, and scan it with the batch driver. Incremental (sweep_state
 * in the store), shardable by a stable hash of the package name, and
 * robust to a registry that fails or lies: that package gets a clear
 * error (kept in the store, retried next time) and the sweep goes on. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pt_util.h"
#include "pt_tmpdir.h"
#include "registry.h"
#include "scan.h"
#include "scan_cli.h"
#include "store.h"

static const char sweep_usage[] =
    "Usage: pkgtrap sweep --ecosystem npm|pypi [--registry URL]\n"
    "                     (--names FILE | --all | NAME...) [OPTION]...\n"
    "Fetch every file of every version of the named packages that the store\n"
    "has not scanned yet, verify it against the registry's hashes, and scan\n"
    "it (as pkgtrap scan). A file scanned once is never fetched again.\n"
    "\n"
    "  --ecosystem E         npm (package documents) or pypi (simple API,\n"
    "                        PEP 691 JSON, PEP 503 HTML)\n"
    "  --registry URL        npm: the registry root; pypi: the simple index\n"
    "                        (default: npm_config_registry / ~/.npmrc\n"
    "                        registry=, PIP_INDEX_URL / pip.conf index-url)\n"
    "  --names FILE          package names, one per line (- stdin, # comments)\n"
    "  --all                 every package the registry lists (pypi: the\n"
    "                        index root; npm: /-/all, else /-/v1/search)\n"
    "  --since T             only files published at or after T (ISO 8601,\n"
    "                        @EPOCH, or `last`: the newest file of the\n"
    "                        previous sweep); files without a time are taken\n"
    "  --shard K/N           only names with hash(name) mod N = K (0 <= K < N)\n"
    "  --db FILE             SQLite store (default ./pkgtrap.db)\n"
    "  -j, --jobs N          parallel triages (default: number of CPUs)\n"
    "  --jsonl FILE          also write each report as a JSON line (- stdout)\n"
    "  --batch N             files downloaded before scanning them (default 32)\n"
    "  --http-timeout S      per request (default 300); --retries N (default 3)\n"
    "  --connect-timeout S   default 10; --stall S: abort a transfer that\n"
    "                        stalls this long (default 30)\n"
    "  --max-download MB     largest artifact fetched (default 512)\n"
    "  --phase-timeout S, --budget S, --progress MODE   as for scan\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit status: 0 all clean, 1 any flagged, 2 any error (fetch or scan).\n";

enum { OPT_ECO = 256, OPT_REG, OPT_NAMES, OPT_ALL, OPT_SINCE, OPT_SHARD,
       OPT_DB, OPT_JSONL, OPT_BATCH, OPT_HTTP_TIMEOUT, OPT_RETRIES,
       OPT_CONNECT, OPT_STALL, OPT_MAXDL, OPT_PHASE, OPT_BUDGET,
       OPT_PROGRESS, OPT_BACKOFF };

static const struct option sweep_opts[] = {
    {"ecosystem", required_argument, NULL, OPT_ECO},
    {"registry", required_argument, NULL, OPT_REG},
    {"names", required_argument, NULL, OPT_NAMES},
    {"all", no_argument, NULL, OPT_ALL},
    {"since", required_argument, NULL, OPT_SINCE},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"db", required_argument, NULL, OPT_DB},
    {"jobs", required_argument, NULL, 'j'},
    {"jsonl", required_argument, NULL, OPT_JSONL},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"http-timeout", required_argument, NULL, OPT_HTTP_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT},
    {"stall", required_argument, NULL, OPT_STALL},
    {"max-download", required_argument, NULL, OPT_MAXDL},
    {"phase-timeout", required_argument, NULL, OPT_PHASE},
    {"budget", required_argument, NULL, OPT_BUDGET},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    /* Tests: first retry delay in milliseconds. */
    {"retry-backoff-ms", required_argument, NULL, OPT_BACKOFF},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct sweep {
  enum pt_registry_eco eco;
  const char *eco_name;
  pt_registry *reg;
  pt_store *store;
  struct pt_scan_opts scan;
  int64_t since;     /* 0: no limit */
  unsigned batch_max;
  char *tmp;         /* download directory of the sweep */
  int tmp_lock;      /* its lock (pt_tmpdir_make) */
  /* the batch being filled */
  struct pt_scan_item *items;
  struct pt_store_sweep_key *keys;
  size_t n;
  unsigned batch_no;
  /* totals */
  unsigned names, files, known, older, fetched, fetch_errors, meta_errors,
      reused;
  struct pt_scan_stats st;
};

static void key_free(struct pt_store_sweep_key *k) {
  free((char *)k->name);
  free((char *)k->version);
  free((char *)k->filename);
  free((char *)k->url);
}

static void batch_clear(struct sweep *sw) {
  for (size_t i = 0; i < sw->n; i++) {
    free(sw->items[i].path);
    key_free(&sw->keys[i]);
  }
  sw->n = 0;
}

/* Scan what was downloaded, then forget it. */
static int batch_run(struct sweep *sw, pt_err **err) {
  if (sw->n == 0)
    return 0;
  struct pt_scan_stats st;
  int rc = pt_scan_run(&sw->scan, sw->items, sw->n, &st, err);
  if (rc == 0) {
    sw->st.scanned += st.scanned;
    sw->st.clean += st.clean;
    sw->st.suspicious += st.suspicious;
    sw->st.malicious += st.malicious;
    sw->st.errors += st.errors;
    /* A file the driver skipped (the same bytes twice in one batch) has
     * its report now: mark it done too. */
    for (size_t i = 0; i < sw->n && rc == 0; i++)
      rc = pt_store_sweep_mark(sw->store, &sw->keys[i], sw->items[i].sha256,
                               err);
  }
  for (size_t i = 0; i < sw->n; i++)
    unlink(sw->items[i].path);
  batch_clear(sw);
  char dir[4096];
  snprintf(dir, sizeof(dir), "%s/%u", sw->tmp, sw->batch_no);
  pt_rmtree(dir, NULL);
  sw->batch_no++;
  return rc;
}

static void fetch_failed(struct sweep *sw, const struct pt_store_sweep_key *k,
                         pt_err *e, unsigned *counter) {
  fprintf(stderr, "pkgtrap sweep: %s\n", e->msg);
  pt_err *e2 = NULL;
  if (pt_store_sweep_error(sw->store, k, e->msg, &e2) < 0) {
    pt_err_print(e2);
  }
  pt_err_free(e);
  (*counter)++;
}

/* Fetch one file into the current batch (or mark it done when the store
 * already has its bytes). -1 only on a fatal (store) error. */
static int take_file(struct sweep *sw, const struct pt_registry_file *f,
                     pt_err **err) {
  struct pt_store_sweep_key k = {
      .ecosystem = sw->eco_name, .registry = pt_registry_base(sw->reg),
      .name = f->name, .version = f->version, .filename = f->filename,
      .url = f->url, .published = f->published};
  sw->files++;
  bool done = false;
  if (pt_store_sweep_done(sw->store, &k, &done, err) < 0)
    return -1;
  if (done) {
    sw->known++;
    return 0;
  }
  if (sw->since > 0 && f->published > 0 && f->published < sw->since) {
    sw->older++;
    return 0;
  }
  char dir[4096], path[4400];
  snprintf(dir, sizeof(dir), "%s/%u/%zu", sw->tmp, sw->batch_no, sw->n);
  pt_err *e = NULL;
  if (pt_mkdir_p_at(AT_FDCWD, dir, 0755, &e) < 0) {
    *err = e;
    return -1;
  }
  snprintf(path, sizeof(path), "%s/%s", dir, f->filename);
  char sha[65];
  bool unverified = false;
  if (pt_registry_download(sw->reg, f, path, sha, &unverified, &e) < 0) {
    pt_err_wrap(&e, "%s %s %s", sw->eco_name, f->name, f->version);
    fetch_failed(sw, &k, e, &sw->fetch_errors);
    return 0;
  }
  sw->fetched++;
  if (unverified)
    fprintf(stderr,
            "pkgtrap sweep: %s %s %s: the registry gives no sha256/sha512 for "
            "%s; not verified\n",
            sw->eco_name, f->name, f->version, f->filename);
  bool has = false;
  if (pt_store_has(sw->store, sha, &has, err) < 0)
    return -1;
  if (has && !sw->scan.rescan) {
    sw->reused++;
    unlink(path);
    return pt_store_sweep_mark(sw->store, &k, sha, err);
  }
  struct pt_scan_item *it = &sw->items[sw->n];
  struct pt_store_sweep_key *kk = &sw->keys[sw->n];
  memset(it, 0, sizeof(*it));
  *kk = k;
  kk->name = strdup(f->name);
  kk->version = strdup(f->version);
  kk->filename = strdup(f->filename);
  kk->url = strdup(f->url);
  it->path = strdup(path);
  memcpy(it->sha256, sha, sizeof(sha));
  it->sweep = kk;
  sw->n++;
  if (!it->path || !kk->name || !kk->version || !kk->filename || !kk->url)
    return pt_err_make(err, ENOMEM, "sweep");
  if (sw->n >= sw->batch_max)
    return batch_run(sw, err);
  return 0;
}

static int sweep_name(struct sweep *sw, const char *name, pt_err **err) {
  struct pt_registry_files files;
  pt_err *e = NULL;
  sw->names++;
  if (pt_registry_files_of(sw->reg, name, &files, &e) < 0) {
    /* Package-level failure: recorded with an empty version and file. */
    struct pt_store_sweep_key k = {.ecosystem = sw->eco_name,
                                   .registry = pt_registry_base(sw->reg),
                                   .name = name, .version = "",
                                   .filename = ""};
    fetch_failed(sw, &k, e, &sw->meta_errors);
    return 0;
  }
  int rc = 0;
  for (size_t i = 0; i < files.n && rc == 0; i++)
    rc = take_file(sw, &files.v[i], err);
  pt_registry_files_free(&files);
  return rc;
}

static int read_names(const char *path, char ***names, size_t *n,
                      pt_err **err) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
  if (f == NULL)
    return pt_err_make(err, errno, "--names `%s`", path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  int ret = 0;
  while ((len = getline(&line, &cap, f)) >= 0) {
    char *s = line;
    while (*s == ' ' || *s == '\t')
      s++;
    s[strcspn(s, "#\r\n")] = '\0';
    for (size_t l = strlen(s); l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t');)
      s[--l] = '\0';
    if (*s == '\0')
      continue;
    if (strlen(s) > 214 || strchr(s, ' ')) {
      ret = pt_err_make(err, EINVAL, "--names `%s`: bad package name `%s`",
                        path, s);
      break;
    }
    if (pt_registry_names_add(names, n, s) < 0) {
      ret = pt_err_make(err, ENOMEM, "--names");
      break;
    }
  }
  free(line);
  if (f != stdin)
    fclose(f);
  return ret;
}

int pt_cmd_sweep_with(int argc, char **argv, pt_scan_triage_fn triage) {
  struct sweep sw = {.scan = {.triage = triage, .progress = -1},
                     .tmp_lock = -1,
                     .batch_max = 32};
  struct pt_registry_opts ro = {.retries = 3};
  const char *eco = NULL, *registry = NULL, *names_file = NULL,
             *db = PT_STORE_DEFAULT_PATH, *jsonl = NULL, *since = NULL;
  bool all = false;
  unsigned shard_k = 0, shard_n = 1;
  unsigned long long v;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "+j:h", sweep_opts, NULL)) != -1) {
    switch (c) {
    case OPT_ECO: eco = optarg; break;
    case OPT_REG: registry = optarg; break;
    case OPT_NAMES: names_file = optarg; break;
    case OPT_ALL: all = true; break;
    case OPT_SINCE: since = optarg; break;
    case OPT_DB: db = optarg; break;
    case OPT_JSONL: jsonl = optarg; break;
    case OPT_SHARD:
      if (!pt_registry_parse_shard(optarg, &shard_k, &shard_n)) {
        fprintf(stderr, "pkgtrap sweep: --shard `%s`: want K/N, 0 <= K < N\n",
                optarg);
        return 2;
      }
      break;
    case 'j':
      if (!pt_scan_parse_num("--jobs", optarg, 1024, &v)) return 2;
      sw.scan.jobs = (unsigned)v;
      break;
    case OPT_BATCH:
      if (!pt_scan_parse_num("--batch", optarg, 100000, &v)) return 2;
      sw.batch_max = (unsigned)v;
      break;
    case OPT_HTTP_TIMEOUT:
      if (!pt_scan_parse_num("--http-timeout", optarg, 86400, &v)) return 2;
      ro.timeout_ms = v * 1000;
      break;
    case OPT_CONNECT:
      if (!pt_scan_parse_num("--connect-timeout", optarg, 3600, &v)) return 2;
      ro.connect_timeout_ms = v * 1000;
      break;
    case OPT_STALL:
      if (!pt_scan_parse_num("--stall", optarg, 3600, &v)) return 2;
      ro.stall_ms = v * 1000;
      break;
    case OPT_RETRIES:
      /* 0 is a valid count here. */
      ro.retries = strcmp(optarg, "0") == 0 ? 0
                   : pt_scan_parse_num("--retries", optarg, 20, &v)
                       ? (unsigned)v
                       : 99;
      if (ro.retries == 99) return 2;
      break;
    case OPT_BACKOFF:
      if (!pt_scan_parse_num("--retry-backoff-ms", optarg, 600000, &v)) return 2;
      ro.backoff_ms = v;
      break;
    case OPT_MAXDL:
      if (!pt_scan_parse_num("--max-download", optarg, 1 << 20, &v)) return 2;
      ro.max_download_bytes = v << 20;
      break;
    case OPT_PHASE:
      if (!pt_scan_parse_num("--phase-timeout", optarg, 86400, &v)) return 2;
      sw.scan.phase_timeout_ms = v * 1000;
      break;
    case OPT_BUDGET:
      if (!pt_scan_parse_num("--budget", optarg, 7 * 86400, &v)) return 2;
      sw.scan.total_budget_ms = v * 1000;
      break;
    case OPT_PROGRESS:
      if ((sw.scan.progress = pt_scan_parse_progress(optarg)) == -2) return 2;
      break;
    case 'h':
      fputs(sweep_usage, stdout);
      return 0;
    default:
      fputs(sweep_usage, stderr);
      return 2;
    }
  }
  if (eco == NULL || (strcmp(eco, "npm") && strcmp(eco, "pypi"))) {
    fprintf(stderr, "pkgtrap sweep: --ecosystem npm or pypi is required\n");
    return 2;
  }
  sw.eco = strcmp(eco, "npm") == 0 ? PT_ECO_NPM : PT_ECO_PYPI;
  sw.eco_name = eco;
  int nsrc = (names_file != NULL) + all + (optind < argc);
  if (nsrc != 1) {
    fprintf(stderr, "pkgtrap sweep: give exactly one of --names FILE, --all "
                    "or package names\n");
    return 2;
  }
  if (triage == NULL) {
    fprintf(stderr, "pkgtrap sweep: this build has no triage\n");
    return 2;
  }
  char *cfg = NULL;
  if (registry == NULL && (registry = cfg = pt_registry_from_config(sw.eco)) ==
                              NULL) {
    fprintf(stderr, "pkgtrap sweep: no --registry, and none configured for "
                    "%s\n", eco);
    return 2;
  }
  int rc = 2;
  pt_err *err = NULL;
  char **names = NULL;
  size_t nn = 0;
  sw.items = calloc(sw.batch_max, sizeof(*sw.items));
  sw.keys = calloc(sw.batch_max, sizeof(*sw.keys));
  if (sw.items == NULL || sw.keys == NULL)
    goto out;
  if (pt_registry_new(sw.eco, registry, &ro, &sw.reg, &err) < 0)
    goto fail;
  if (pt_store_open(db, &sw.store, &err) < 0)
    goto fail;
  if (since) {
    if (strcmp(since, "last") == 0) {
      if (pt_store_sweep_last(sw.store, eco, pt_registry_base(sw.reg),
                              &sw.since, &err) < 0)
        goto fail;
    } else if ((sw.since = pt_registry_parse_time(since)) < 0) {
      fprintf(stderr, "pkgtrap sweep: --since `%s`: not a time\n", since);
      goto out;
    }
  }
  if (names_file) {
    if (read_names(names_file, &names, &nn, &err) < 0)
      goto fail;
  } else if (all) {
    if (pt_registry_list_all(sw.reg, &names, &nn, &err) < 0)
      goto fail;
  } else {
      for (int i = optind; i < argc; i++)
      if (pt_registry_names_add(&names, &nn, argv[i]) < 0)
        goto out;
  }
  char made[4096];
  if ((sw.tmp_lock = pt_tmpdir_make(NULL, "pkgtrap-sweep-", made,
                                    sizeof(made), &err)) < 0)
    goto fail;
  if ((sw.tmp = strdup(made)) == NULL) {
    pt_tmpdir_remove(made, sw.tmp_lock);
    fprintf(stderr, "pkgtrap sweep: temp dir: %s\n", strerror(ENOMEM));
    goto out;
  }
  chmod(sw.tmp, 0755);
  sw.scan.store = sw.store;
  sw.scan.jsonl = pt_scan_open_jsonl(jsonl);
  if (jsonl && sw.scan.jsonl == NULL)
    goto out;
  char label[64];
  if (shard_n > 1) {
    snprintf(label, sizeof(label), "[shard %u/%u]", shard_k, shard_n);
    sw.scan.label = label;
  }
  unsigned in_shard = 0;
  for (size_t i = 0; i < nn; i++) {
    if (pt_registry_shard(sw.eco, names[i], shard_n) != shard_k)
      continue;
    in_shard++;
    if (sweep_name(&sw, names[i], &err) < 0)
      goto fail;
  }
  if (batch_run(&sw, &err) < 0)
    goto fail;
  fprintf(stderr,
          "%s%ssweep %s %s: %u of %zu names in this shard; %u files: %u "
          "already scanned, %u older than --since, %u fetched, %u reused "
          "(same bytes already stored), %u failed (%u package documents); "
          "scanned %u: clean %u, suspicious %u, malicious %u, error %u\n",
          sw.scan.label ? sw.scan.label : "", sw.scan.label ? " " : "", eco,
          pt_registry_base(sw.reg), in_shard, nn, sw.files, sw.known,
          sw.older, sw.fetched, sw.reused, sw.fetch_errors + sw.meta_errors,
          sw.meta_errors, sw.st.scanned, sw.st.clean, sw.st.suspicious,
          sw.st.malicious, sw.st.errors);
  if (sw.fetch_errors || sw.meta_errors)
    sw.st.errors++;
  rc = pt_scan_exit_status(&sw.st);
  goto out;
fail:
  pt_err_print(err);
out:
  batch_clear(&sw);
  if (sw.tmp) {
    pt_tmpdir_remove(sw.tmp, sw.tmp_lock);
    free(sw.tmp);
  }
  if (sw.scan.jsonl && sw.scan.jsonl != stdout)
    fclose(sw.scan.jsonl);
  free(sw.items);
  free(sw.keys);
  pt_registry_names_free(names, nn);
  pt_registry_free(sw.reg);
  pt_store_close(sw.store);
  free(cfg);
  return rc;
}

int pt_cmd_sweep(int argc, char **argv) {
  return pt_cmd_sweep_with(argc, argv, pt_scan_triage);
}
