/* Batch driver (see scan.h): artifact discovery, hashing, the batch's deps
 * directory, and the fork-per-artifact worker pool. */
#define _GNU_SOURCE
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dl_crypto.h"
#include "pt_util.h"
#include "pt_tmpdir.h"
#include "scan_progress.h"

pt_scan_triage_fn pt_scan_triage = NULL;
int (*pt_scan_deps_index)(const char *dir, struct pt_npm_dep **out,
                          size_t *n) = NULL;
void (*pt_scan_deps_free)(struct pt_npm_dep *d, size_t n) = NULL;

#define DEFAULT_REPORT_CAP (64u << 20)
/* Directory depth of the walk: deeper trees are a loop or a mistake. */
#define WALK_MAX_DEPTH 64

/* ---- discovery ------------------------------------------------------------ */

static bool has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

static bool is_artifact_name(const char *name) {
  return name[0] != '.' &&
         (has_suffix(name, ".whl") || has_suffix(name, ".tar.gz") ||
          has_suffix(name, ".tgz") || has_suffix(name, ".zip"));
}

static int push_item(const char *path, struct pt_scan_item **items, size_t *n,
                     pt_err **err) {
  /* Grow by doubling when n reaches a power of two (amortised O(1)). */
  if ((*n & (*n - 1)) == 0) {
    size_t cap = *n ? *n * 2 : 16;
    struct pt_scan_item *p = realloc(*items, cap * sizeof(*p));
    if (p == NULL)
      return pt_err_make(err, ENOMEM, "collect");
    *items = p;
  }
  struct pt_scan_item *it = &(*items)[*n];
  memset(it, 0, sizeof(*it));
  if ((it->path = strdup(path)) == NULL)
    return pt_err_make(err, ENOMEM, "collect");
  (*n)++;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *dir, int depth, struct pt_scan_item **items,
                size_t *n, pt_err **err) {
  if (depth > WALK_MAX_DEPTH)
    return pt_err_make(err, ELOOP, "walk `%s`", dir);
  DIR *d = opendir(dir);
  if (d == NULL)
    return pt_err_make(err, errno, "walk `%s`", dir);
  /* Sorted, so a batch is scanned (and reported) in a stable order. */
  char **names = NULL;
  size_t nn = 0, cap = 0;
  struct dirent *e;
  int ret = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (nn == cap) {
      cap = cap ? cap * 2 : 32;
      char **p = realloc(names, cap * sizeof(*p));
      if (p == NULL) {
        ret = pt_err_make(err, ENOMEM, "walk `%s`", dir);
        goto out;
      }
      names = p;
    }
    if ((names[nn] = strdup(e->d_name)) == NULL) {
      ret = pt_err_make(err, ENOMEM, "walk `%s`", dir);
      goto out;
    }
    nn++;
  }
  if (nn)
    qsort(names, nn, sizeof(*names), cmp_str);
  for (size_t i = 0; i < nn && ret == 0; i++) {
    cleanup_free char *p = NULL;
    if (asprintf(&p, "%s/%s", dir, names[i]) < 0) {
      p = NULL;
      ret = pt_err_make(err, ENOMEM, "walk `%s`", dir);
      break;
    }
    struct stat sb;
    /* lstat: a symlinked directory is not descended into (loops, and
     * trees outside what the user named); a symlinked file is taken. */
    if (lstat(p, &sb) < 0)
      continue;
    if (S_ISDIR(sb.st_mode))
      ret = walk(p, depth + 1, items, n, err);
    else if (is_artifact_name(names[i]) &&
             (S_ISREG(sb.st_mode) ||
              (S_ISLNK(sb.st_mode) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))))
      ret = push_item(p, items, n, err);
  }
out:
  for (size_t i = 0; i < nn; i++)
    free(names[i]);
  free(names);
  closedir(d);
  return ret;
}

int pt_scan_collect(const char *path, struct pt_scan_item **items, size_t *n,
                    pt_err **err) {
  struct stat sb;
  if (stat(path, &sb) < 0)
    return pt_err_make(err, errno, "`%s`", path);
  if (S_ISDIR(sb.st_mode)) {
    /* Strip trailing slashes so paths print as the user would write them. */
    cleanup_free char *d = strdup(path);
    if (d == NULL)
      return pt_err_make(err, ENOMEM, "collect");
    for (size_t l = strlen(d); l > 1 && d[l - 1] == '/'; l--)
      d[l - 1] = '\0';
    return walk(d, 0, items, n, err);
  }
  if (!S_ISREG(sb.st_mode))
    return pt_err_make(err, EINVAL, "`%s`: not a file or directory", path);
  /* A file named explicitly is taken whatever its name: identification
   * is by content. */
  return push_item(path, items, n, err);
}

void pt_scan_items_free(struct pt_scan_item *items, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(items[i].path);
  free(items);
}

int pt_scan_sha256_file(const char *path, char out[65], pt_err **err) {
  if (pt_dl_crypto_load(err) < 0)
    return pt_err_wrap(err, "sha256 of `%s`", path);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return pt_err_make(err, errno, "open `%s`", path);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
    EVP_MD_CTX_free(ctx);
    return pt_err_make(err, ENOMEM, "sha256");
  }
  char buf[65536];
  for (;;) {
    ssize_t r = read(fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      EVP_MD_CTX_free(ctx);
      return pt_err_make(err, errno, "read `%s`", path);
    }
    if (r == 0)
      break;
    EVP_DigestUpdate(ctx, buf, (size_t)r);
  }
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  for (unsigned i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
  return 0;
}

json_t *pt_scan_error_report(const char *artifact, const char *sha256,
                             const char *msg) {
  const char *base = strrchr(artifact, '/');
  base = base ? base + 1 : artifact;
  return json_pack("{s:s, s:{s:n, s:s, s:n, s:s, s:s}, s:s, s:i, s:s, s:[], "
                   "s:[], s:[], s:[], s:[], s:[]}",
                   "schema", "pkgtrap/report/v1", "package", "ecosystem",
                   "name", base, "version", "artifact", artifact, "sha256",
                   sha256, "verdict", "error", "score", 0, "error", msg,
                   "phases", "findings", "processes", "files", "network",
                   "honeytokens");
}

int pt_scan_exit_status(const struct pt_scan_stats *st) {
  if (st->errors)
    return 2;
  if (st->suspicious || st->malicious)
    return 1;
  return 0;
}

/* ---- the batch's dependency directory ------------------------------------- */

static int copy_file(const char *from, const char *to) {
  cleanup_close int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return -1;
  cleanup_close int out =
      open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (out < 0)
    return -1;
  char buf[65536];
  ssize_t r;
  while ((r = read(in, buf, sizeof(buf))) > 0)
    if (pt_write_all(out, buf, (size_t)r) < 0) {
      unlink(to);
      return -1;
    }
  if (r < 0) {
    unlink(to);
    return -1;
  }
  return 0;
}

/* A directory holding every artifact of the batch under its own file name,
 * so pip --find-links / a local npm dir resolves the batch's packages
 * against one another. Hard links cost nothing; a copy (other file system)
 * keeps the directory self-contained, so a jail that binds only it still
 * sees the files, which a symlink to elsewhere would not give. The first
 * artifact of a name wins. */
static int make_deps_dir(struct pt_scan_item *items, size_t n, char **out,
                         int *lock_out, pt_err **err) {
  char made[4096];
  int lock = pt_tmpdir_make(NULL, "pkgtrap-deps-", made, sizeof(made), err);
  if (lock < 0)
    return -1;
  cleanup_free char *dir = strdup(made);
  if (dir == NULL) {
    pt_tmpdir_remove(made, lock);
    return pt_err_make(err, ENOMEM, "deps dir");
  }
  chmod(dir, 0755); /* a jail's random uid must be able to read it */
  for (size_t i = 0; i < n; i++) {
    const char *base = strrchr(items[i].path, '/');
    base = base ? base + 1 : items[i].path;
    cleanup_free char *dst = NULL;
    if (asprintf(&dst, "%s/%s", dir, base) < 0) {
      dst = NULL;
      continue;
    }
    if (access(dst, F_OK) == 0)
      continue;
    if (link(items[i].path, dst) == 0)
      continue;
    if (copy_file(items[i].path, dst) == 0)
      continue;
    /* Last resort (disk full): at least the host side resolves it. */
    cleanup_free char *abs = realpath(items[i].path, NULL);
    if (abs == NULL || symlink(abs, dst) < 0) {
      pt_err_make(err, errno, "deps dir: add `%s`", items[i].path);
      pt_tmpdir_remove(dir, lock);
      return -1;
    }
  }
  *out = steal_pointer(&dir);
  *lock_out = lock;
  return 0;
}

/* ---- workers -------------------------------------------------------------- */

struct slot {
  pid_t pid;
  int fd;
  size_t item;
  uint64_t started_ns;
  pt_buf buf;
  bool overflow;
};

/* In the child: triage one artifact and write its report to fd. */
/* The deps dir's npm tarballs, indexed once by the parent before the
 * first fork (every child inherits it). */
static struct pt_npm_dep *npm_deps;
static size_t n_npm_deps;

static void drop_deps_index(void) {
  if (npm_deps != NULL && pt_scan_deps_free != NULL)
    pt_scan_deps_free(npm_deps, n_npm_deps);
  npm_deps = NULL;
  n_npm_deps = 0;
}

__attribute__((noreturn)) static void child_main(const struct pt_scan_opts *o,
                                                 const struct pt_scan_item *it,
                                                 const char *deps, int fd) {
  /* A killed scan must not leave triage running unseen (the rerun scans
   * the artifact again anyway). */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)
    _exit(3);
  signal(SIGPIPE, SIG_IGN);
  struct pt_triage_opts to = {
      .deps_dir = deps,
      .npm_deps = npm_deps,
      .n_npm_deps = n_npm_deps,
      .phase_timeout_ms = o->phase_timeout_ms,
      .total_budget_ms = o->total_budget_ms,
      .trace_path = NULL,
  };
  json_t *report = NULL;
  pt_err *err = NULL;
  if (o->triage(it->path, &to, &report, &err) < 0 || report == NULL) {
    /* Triage interrupted by a signal (errnum -SIG): die of it, so no
     * error report is stored for an artifact nobody finished looking at. */
    if (err && err->errnum < 0) {
      signal(-err->errnum, SIG_DFL);
      raise(-err->errnum);
      _exit(128 - err->errnum);
    }
    report = pt_scan_error_report(it->path, it->sha256,
                                  err ? err->msg : "triage gave no report");
    pt_err_free(err);
  }
  char *text = json_dumps(report, JSON_COMPACT);
  if (text == NULL)
    _exit(4);
  _exit(pt_write_all(fd, text, strlen(text)) < 0 ? 5 : 0);
}

static int spawn(const struct pt_scan_opts *o, struct pt_scan_item *it,
                 size_t idx, const char *deps, struct slot *sl, size_t cap,
                 pt_err **err) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return pt_err_make(err, errno, "pipe");
  /* Flush before fork so buffered output is not written twice. */
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(p[0]);
    close(p[1]);
    return pt_err_make(err, e, "fork");
  }
  if (pid == 0) {
    close(p[0]);
    child_main(o, it, deps, p[1]);
  }
  close(p[1]);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  sl->pid = pid;
  sl->fd = p[0];
  sl->item = idx;
  sl->started_ns = pt_now_ns();
  sl->overflow = false;
  pt_buf_init(&sl->buf, cap);
  return 0;
}

/* Read what is available; true at EOF. */
static bool slot_read(struct slot *sl) {
  char buf[65536];
  for (;;) {
    ssize_t r = read(sl->fd, buf, sizeof(buf));
    if (r > 0) {
      if (pt_buf_append(&sl->buf, buf, (size_t)r) < r || sl->buf.dropped)
        sl->overflow = true;
      continue;
    }
    if (r == 0)
      return true;
    if (errno == EINTR)
      continue;
    return errno != EAGAIN;
  }
}

/* Turn what the child sent (and how it ended) into a report. */
static json_t *slot_report(struct slot *sl, const struct pt_scan_item *it,
                           int status, const char *why) {
  char msg[256];
  if (why) {
    snprintf(msg, sizeof(msg), "%s", why);
  } else if (sl->overflow) {
    snprintf(msg, sizeof(msg), "triage report larger than %zu bytes",
             sl->buf.cap);
  } else if (WIFSIGNALED(status)) {
    snprintf(msg, sizeof(msg), "triage worker killed by signal %d",
             WTERMSIG(status));
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(msg, sizeof(msg), "triage worker exited with status %d",
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    json_error_t je;
    json_t *r = json_loadb(sl->buf.data ? sl->buf.data : "", sl->buf.len, 0,
                           &je);
    if (json_is_object(r))
      return r;
    json_decref(r);
    snprintf(msg, sizeof(msg), "triage report is not a JSON object: %s",
             je.text);
  }
  return pt_scan_error_report(it->path, it->sha256, msg);
}

static const char *jstr(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Store one finished report and account for it. */
static int finish(const struct pt_scan_opts *o, struct pt_scan_item *it,
                  json_t *report, struct pt_scan_stats *st,
                  struct pt_progress *pg, pt_err **err) {
  json_t *pkg = json_object_get(report, "package");
  if (!json_is_object(pkg)) {
    pkg = json_object();
    json_object_set_new(report, "package", pkg);
  }
  /* The key is what we hashed, whatever the child claims. */
  json_object_set_new(pkg, "sha256", json_string(it->sha256));
  if (!jstr(pkg, "artifact"))
    json_object_set_new(pkg, "artifact", json_string(it->path));
  const char *v = jstr(report, "verdict");
  if (v == NULL || (strcmp(v, "clean") && strcmp(v, "suspicious") &&
                    strcmp(v, "malicious") && strcmp(v, "error"))) {
    json_object_set_new(report, "verdict", json_string("error"));
    if (!jstr(report, "error"))
      json_object_set_new(report, "error",
                          json_string("triage gave no valid verdict"));
    v = "error";
  }
  /* The JSON line goes out before the store commits, in one write: a
   * SIGKILL between the two leaves the report unstored, so the resume
   * triages it again and writes a second line for it, where the other
   * order lost the line for good (the store said done). stdio would cut
   * a long line into several writes, a torn line if killed between. */
  if (o->jsonl) {
    char *line = json_dumps(report, JSON_COMPACT);
    if (line) {
      size_t n = strlen(line);
      line[n] = '\n'; /* json_dumps's NUL: the line goes out by length */
      fflush(o->jsonl);
      if (pt_write_all(fileno(o->jsonl), line, n + 1) < 0)
        fprintf(stderr, "pkgtrap: --jsonl: %s\n", strerror(errno));
      free(line);
    }
  }
  if (pt_store_put(o->store, it->sha256, report, it->sweep, err) < 0)
    return -1;
  st->scanned++;
  if (strcmp(v, "clean") == 0)
    st->clean++;
  else if (strcmp(v, "suspicious") == 0)
    st->suspicious++;
  else if (strcmp(v, "malicious") == 0)
    st->malicious++;
  else
    st->errors++;
  pt_progress_result(pg, report, st);
  return 0;
}

static void slot_end(struct slot *sl) {
  if (sl->fd >= 0)
    close(sl->fd);
  sl->fd = -1;
  sl->pid = 0;
  pt_buf_free(&sl->buf);
}

static void kill_all(struct slot *slots, unsigned jobs) {
  for (unsigned i = 0; i < jobs; i++)
    if (slots[i].pid > 0) {
      kill(slots[i].pid, SIGKILL);
      waitpid(slots[i].pid, NULL, 0);
      slot_end(&slots[i]);
    }
}

/* Hash, de-duplicate and drop what the store has. Returns the indexes to
 * scan in *todo. */
static int plan(const struct pt_scan_opts *o, struct pt_scan_item *items,
                size_t n, size_t **todo, size_t *ntodo,
                struct pt_scan_stats *st, pt_err **err) {
  *todo = calloc(n ? n : 1, sizeof(**todo));
  if (*todo == NULL)
    return pt_err_make(err, ENOMEM, "plan");
  *ntodo = 0;
  for (size_t i = 0; i < n; i++) {
    pt_err *e = NULL;
    if (items[i].sha256[0] == '\0' &&
        pt_scan_sha256_file(items[i].path, items[i].sha256, &e) < 0) {
      /* Unreadable: nothing to key a report on; say so and count it. */
      fprintf(stderr, "pkgtrap: %s\n", e->msg);
      pt_err_free(e);
      st->errors++;
      continue;
    }
    bool dup = false;
    for (size_t j = 0; j < *ntodo && !dup; j++)
      dup = strcmp(items[(*todo)[j]].sha256, items[i].sha256) == 0;
    bool has = false;
    if (!dup && !o->rescan &&
        pt_store_has(o->store, items[i].sha256, &has, err) < 0)
      return -1;
    if (dup || has) {
      st->skipped++;
      continue;
    }
    (*todo)[(*ntodo)++] = i;
  }
  return 0;
}

int pt_scan_run(const struct pt_scan_opts *o, struct pt_scan_item *items,
                size_t n, struct pt_scan_stats *st, pt_err **err) {
  memset(st, 0, sizeof(*st));
  st->total = (unsigned)n;
  if (o->triage == NULL)
    return pt_err_make(err, ENOSYS, "scan: no triage function");
  if (o->store == NULL)
    return pt_err_make(err, EINVAL, "scan: no store");
  unsigned jobs = o->jobs;
  if (jobs == 0) {
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = c > 0 ? (unsigned)c : 1;
  }
  size_t cap = o->report_cap ? o->report_cap : DEFAULT_REPORT_CAP;
  uint64_t kill_after = o->kill_after_ms;
  if (kill_after == 0)
    kill_after = o->total_budget_ms ? o->total_budget_ms + 600000 : 3600000;

  cleanup_free size_t *todo = NULL;
  size_t ntodo = 0;
  if (plan(o, items, n, &todo, &ntodo, st, err) < 0)
    return pt_err_wrap(err, "scan");

  cleanup_free char *tmpdeps = NULL;
  int tmpdeps_lock = -1;
  const char *deps = o->deps_dir;
  if (deps == NULL && ntodo > 0) {
    if (make_deps_dir(items, n, &tmpdeps, &tmpdeps_lock, err) < 0)
      return pt_err_wrap(err, "scan");
    deps = tmpdeps;
  }
  /* This run's index (a sweep runs a scan per batch, each with its dir);
   * without one, each triage indexes the dir itself. */
  drop_deps_index();
  if (deps != NULL && ntodo > 0 && pt_scan_deps_index != NULL &&
      pt_scan_deps_index(deps, &npm_deps, &n_npm_deps) < 0)
    drop_deps_index();

  struct pt_progress pg;
  pt_progress_init(&pg, o->progress, o->label, (unsigned)ntodo, o->jsonl);
  struct slot *slots = calloc(jobs, sizeof(*slots));
  struct pollfd *pfd = calloc(jobs, sizeof(*pfd));
  if (slots == NULL || pfd == NULL) {
    free(slots);
    free(pfd);
    return pt_err_make(err, ENOMEM, "scan");
  }
  for (unsigned i = 0; i < jobs; i++)
    slots[i].fd = -1;
  int ret = 0;
  size_t next = 0;
  unsigned running = 0;
  while (next < ntodo || running > 0) {
    for (unsigned i = 0; i < jobs && next < ntodo; i++) {
      if (slots[i].pid != 0)
        continue;
      if (spawn(o, &items[todo[next]], todo[next], deps, &slots[i], cap, err) <
          0) {
        ret = -1;
        goto out;
      }
      next++;
      running++;
    }
    unsigned np = 0;
    for (unsigned i = 0; i < jobs; i++)
      if (slots[i].pid > 0) {
        pfd[np].fd = slots[i].fd;
        pfd[np].events = POLLIN;
        pfd[np].revents = 0;
        np++;
      }
    /* A tick bounds how stale the bar gets and how late a hung child is
     * noticed. */
    if (poll(pfd, np, 500) < 0 && errno != EINTR) {
      ret = pt_err_make(err, errno, "poll");
      goto out;
    }
    uint64_t now = pt_now_ns();
    for (unsigned i = 0; i < jobs; i++) {
      struct slot *sl = &slots[i];
      if (sl->pid <= 0)
        continue;
      bool eof = slot_read(sl);
      const char *why = NULL;
      int status = 0;
      if (!eof && sl->overflow) {
        kill(sl->pid, SIGKILL);
        eof = true;
      } else if (!eof && (now - sl->started_ns) / 1000000 > kill_after) {
        kill(sl->pid, SIGKILL);
        why = "triage worker did not finish in time (killed)";
        eof = true;
      } else if (!eof) {
        /* The pipe may be held open by something the child left behind;
         * the child's own exit is what counts. */
        pid_t w = waitpid(sl->pid, &status, WNOHANG);
        if (w == sl->pid) {
          slot_read(sl);
          sl->pid = -1;
          eof = true;
        }
      }
      if (!eof)
        continue;
      if (sl->pid > 0)
        waitpid(sl->pid, &status, 0);
      struct pt_scan_item *it = &items[sl->item];
      if (why == NULL && !sl->overflow && WIFSIGNALED(status) &&
          (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM ||
           WTERMSIG(status) == SIGHUP)) {
        /* Interrupted, not failed: store nothing, a rerun scans it. */
        slot_end(sl);
        running--;
        continue;
      }
      json_t *report = slot_report(sl, it, status, why);
      slot_end(sl);
      running--;
      int rc = finish(o, it, report, st, &pg, err);
      json_decref(report);
      if (rc < 0) {
        ret = -1;
        goto out;
      }
    }
    pt_progress_tick(&pg, st);
  }
out:
  kill_all(slots, jobs);
  free(slots);
  free(pfd);
  pt_progress_end(&pg, st);
  if (tmpdeps)
    pt_tmpdir_remove(tmpdeps, tmpdeps_lock);
  drop_deps_index();
  return ret < 0 ? pt_err_wrap(err, "scan") : 0;
}
