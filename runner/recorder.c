/* See recorder.h. Each notification arrives with the calling thread stopped
 * in the kernel; this file reads what it needs (bounded) from the caller's
 * memory and /proc, emits an event, and lets the jail answer (CONTINUE,
 * or a refusal the policy decided). Reading memory of a stopped thread is
 * racy against its siblings (seccomp user notification's documented
 * TOCTOU): what is recorded is what the process showed us, which a
 * hostile multi-threaded sample could forge; nothing here allows or
 * refuses based on it (the one decision taken from memory, answering a
 * long sleep early, only shortens a wait). */
#define _GNU_SOURCE
#include "recorder.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fakenet.h"
#include "pt_util.h"
#include "tokwatch.h"

#define ARGV_MAX_ARGS 256     /* argv entries read per exec */
#define ARGV_MAX_BYTES 16384  /* total argv bytes kept per exec */
#define CMDLINE_MAX 8192      /* /proc/<pid>/cmdline bytes read */
#define PROC_TABLE_MAX 20000  /* processes tracked per run */
#define RECENT_CONNECTS 256   /* connects remembered for attribution */
#define WRITTEN_MAX 128       /* written files remembered per run for scans */
#define WRITTEN_SCAN_CAP (1 << 20) /* bytes of a written file scanned */
#define ENV_MAX_VARS 512      /* environment entries read per exec */

/* ---- state ----------------------------------------------------------- */

struct proc {
  pid_t pid; /* host tgid */
  pid_t ppid, jpid;
  bool key_call; /* between the exercise's key-call beacons */
  struct proc *next; /* hash chain */
};

struct recent_connect {
  int proto;
  struct sockaddr_storage dst;
  pid_t pid;
};

/* A file a process opened for writing: scanned for honeytokens when that
 * process exits (it is still alive then, so its root — and /tmp — can be
 * reached through /proc/<pid>/root; after the run the jail's tmpfs is
 * gone). */
struct written {
  pid_t pid;
  char path[512];
};

/* An exec's strings, read while its caller is stopped (the exec replaces
 * them), recorded once it is answered (exec_finish): the exec event and
 * the token scans of its argv and environment (~30-40 us) then overlap
 * the exec instead of delaying it. */
struct pending_exec {
  bool set;
  pid_t tgid;
  int64_t when_ns; /* CLOCK_REALTIME, when it stopped */
  char path[PATH_MAX];
  pt_buf args, env; /* NUL-terminated strings, one after another */
};

struct pt_recorder {
  struct pt_recorder_config cfg;
  struct pending_exec exec;
  struct written written[WRITTEN_MAX];
  size_t n_written;
  struct jail *jail;
  struct proc *buckets[4096];
  size_t n_procs;
  uint64_t procs_untracked;
  struct recent_connect recent[RECENT_CONNECTS];
  size_t recent_next;
  pt_tokwatch *tokwatch; /* reads of the honeytoken files */
  struct pt_recorder_stats stats;
  /* sysnums resolved once */
  int nr[64];
};

enum {
  S_EXECVE, S_EXECVEAT, S_CLONE, S_FORK, S_VFORK, S_EXIT_GROUP, S_CONNECT,
  S_SENDTO, S_SENDMSG, S_SENDMMSG, S_BIND, S_LISTEN, S_OPEN, S_OPENAT,
  S_OPENAT2, S_CREAT, S_UNLINK, S_UNLINKAT, S_RENAME, S_RENAMEAT, S_RENAMEAT2,
  S_CHMOD, S_FCHMOD, S_FCHMODAT, S_CHOWN, S_FCHOWN, S_LCHOWN, S_FCHOWNAT,
  S_SYMLINK, S_SYMLINKAT, S_LINK, S_LINKAT, S_MEMFD, S_PTRACE, S_NANOSLEEP,
  S_CLOCK_NANOSLEEP, S_GETPRIORITY, S_TRUNCATE, S_COUNT
};
static const char *const sys_names[S_COUNT] = {
    "execve", "execveat", "clone", "fork", "vfork", "exit_group", "connect",
    "sendto", "sendmsg", "sendmmsg", "bind", "listen", "open", "openat",
    "openat2", "creat", "unlink", "unlinkat", "rename", "renameat",
    "renameat2", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown",
    "fchownat", "symlink", "symlinkat", "link", "linkat", "memfd_create",
    "ptrace", "nanosleep", "clock_nanosleep", "getpriority", "truncate"};

static int which(const pt_recorder *r, int nr) {
  for (int i = 0; i < S_COUNT; i++)
    if (r->nr[i] == nr)
      return i;
  return -1;
}

/* ---- reading the stopped process -------------------------------------- */

static ssize_t read_mem(pid_t pid, uint64_t addr, void *buf, size_t len) {
  struct iovec local = {buf, len};
  struct iovec remote = {(void *)(uintptr_t)addr, len};
  return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* A NUL-terminated string of the caller, at most cap-1 bytes. Reads page
 * by page: a string may end just before an unmapped page. */
static bool read_str(pid_t pid, uint64_t addr, char *buf, size_t cap) {
  if (addr == 0 || cap == 0)
    return false;
  size_t got = 0;
  while (got < cap - 1) {
    size_t page_left = 4096 - ((addr + got) & 4095);
    size_t want = cap - 1 - got < page_left ? cap - 1 - got : page_left;
    ssize_t n = read_mem(pid, addr + got, buf + got, want);
    if (n <= 0)
      break;
    void *nul = memchr(buf + got, '\0', (size_t)n);
    if (nul)
      return true;
    got += (size_t)n;
  }
  buf[got] = '\0';
  return got > 0;
}

/* A NULL-terminated vector of strings of the caller (argv, envp), read in
 * a few calls: the pointers a page at a time, then the pages the strings
 * start on (and the next, for one starting near a page's end) in one
 * process_vm_readv, a remote range per run of consecutive pages. Reading
 * one block from the lowest string to the highest was cheap after a
 * kernel exec, where they lie together, but not for a program building
 * its own vector (Python's os.execve, our init): 35 variables spread over
 * the heap made a ~200 KB block and ~45 page faults of our own, about
 * 0.15 ms of a stopped exec. Strings not found whole in those pages are
 * read one by one. Calls fn for each string (at most cap-1 bytes) until
 * it returns false or max strings were read. */
#define STRV_PAGES_MAX 64

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Sorted, distinct pages holding the strings' starts; at most max. */
static size_t strv_pages(const uint64_t *ptrs, size_t n, uint64_t *pages,
                         size_t max) {
  size_t np = 0;
  for (size_t i = 0; i < n && np + 2 <= max; i++) {
    pages[np++] = ptrs[i] >> 12;
    if ((ptrs[i] & 4095) > 4096 - 512)
      pages[np++] = (ptrs[i] >> 12) + 1;
  }
  qsort(pages, np, sizeof(*pages), cmp_u64);
  size_t w = 0;
  for (size_t i = 0; i < np; i++)
    if (w == 0 || pages[i] != pages[w - 1])
      pages[w++] = pages[i];
  return w;
}

/* Reads the pages into buf (np pages), one remote range per run. Returns
 * how many leading pages of buf are valid (a read stops at the first range
 * that is not all mapped). */
static size_t strv_read_pages(pid_t pid, const uint64_t *pages, size_t np,
                              char *buf) {
  struct iovec remote[STRV_PAGES_MAX];
  size_t nr = 0;
  for (size_t i = 0; i < np; i++) {
    if (nr > 0 && pages[i] == pages[i - 1] + 1) {
      remote[nr - 1].iov_len += 4096;
      continue;
    }
    remote[nr].iov_base = (void *)(uintptr_t)(pages[i] << 12);
    remote[nr++].iov_len = 4096;
  }
  struct iovec local = {buf, np * 4096};
  ssize_t got = process_vm_readv(pid, &local, 1, remote, (unsigned long)nr, 0);
  return got > 0 ? (size_t)got / 4096 : 0;
}

/* The string at addr if it lies whole (or cap-1 bytes of it) in the pages
 * read; NULL if it must be read alone. */
static const char *strv_lookup(uint64_t addr, const uint64_t *pages,
                               size_t valid, const char *buf, size_t cap,
                               char *one) {
  uint64_t pg = addr >> 12;
  const uint64_t *hit = bsearch(&pg, pages, valid, sizeof(*pages), cmp_u64);
  if (hit == NULL)
    return NULL;
  size_t k = (size_t)(hit - pages), last = k;
  while (last + 1 < valid && pages[last + 1] == pages[last] + 1)
    last++;
  size_t off = k * 4096 + (addr & 4095), room = (last + 1) * 4096 - off;
  if (room > cap)
    room = cap;
  if (memchr(buf + off, '\0', room))
    return buf + off;
  if (room < cap)
    return NULL; /* goes on past what was read */
  memcpy(one, buf + off, cap - 1); /* longer than cap: cut, as read_str */
  one[cap - 1] = '\0';
  return one;
}

static void read_strv(pid_t pid, uint64_t vec, size_t max, size_t cap,
                      bool (*fn)(void *ctx, const char *str), void *ctx) {
  if (vec == 0 || max == 0)
    return;
  uint64_t *ptrs = malloc(max * sizeof(*ptrs));
  char *one = malloc(cap);
  char *buf = NULL;
  if (ptrs == NULL || one == NULL)
    goto out;
  size_t n = 0;
  bool end = false;
  while (n < max && !end) {
    uint64_t at = vec + n * 8;
    size_t page_left = (4096 - (at & 4095)) / 8, want = max - n;
    want = want < page_left ? want : (page_left ? page_left : 1);
    ssize_t got = read_mem(pid, at, ptrs + n, want * 8);
    if (got < 8)
      break;
    for (size_t i = 0; i < (size_t)got / 8; i++, n++)
      if (ptrs[n] == 0) {
        end = true;
        break;
      }
  }
  uint64_t pages[STRV_PAGES_MAX];
  size_t np = n > 1 ? strv_pages(ptrs, n, pages, STRV_PAGES_MAX) : 0;
  size_t valid = 0;
  if (np > 0 && (buf = malloc(np * 4096)) != NULL)
    valid = strv_read_pages(pid, pages, np, buf);
  for (size_t i = 0; i < n; i++) {
    const char *str =
        valid ? strv_lookup(ptrs[i], pages, valid, buf, cap, one) : NULL;
    if (str == NULL) {
      if (!read_str(pid, ptrs[i], one, cap))
        break;
      str = one;
    }
    if (!fn(ctx, str))
      break;
  }
out:
  free(buf);
  free(ptrs);
  free(one);
}

static ssize_t read_proc_file(pid_t pid, const char *what, char *buf,
                              size_t cap) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = read(fd, buf, cap - 1);
  close(fd);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return n;
}

static long status_field(const char *status, const char *key) {
  const char *p = strstr(status, key);
  return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* The last number of "NStgid:\t<host>\t...\t<jail>". */
static pid_t jail_pid_of(const char *status) {
  const char *p = strstr(status, "NStgid:");
  if (p == NULL)
    return 0;
  const char *eol = strchr(p, '\n');
  const char *last = p + 7;
  for (const char *c = p + 7; *c && c != eol; c++)
    if (*c == '\t' || *c == ' ')
      last = c + 1;
  return (pid_t)atoi(last);
}

/* ---- process table ---------------------------------------------------- */

static struct proc *proc_find(pt_recorder *r, pid_t pid) {
  for (struct proc *p = r->buckets[(unsigned)pid % 4096]; p; p = p->next)
    if (p->pid == pid)
      return p;
  return NULL;
}

static json_t *argv_from_cmdline(const char *buf, size_t n) {
  json_t *a = json_array();
  /* A process that overwrote its argv area (setproctitle, our init)
   * leaves NULs up to the area's end: not arguments. */
  while (n > 1 && buf[n - 1] == '\0' && buf[n - 2] == '\0')
    n--;
  for (size_t i = 0; i < n && json_array_size(a) < ARGV_MAX_ARGS;) {
    size_t l = strnlen(buf + i, n - i);
    json_array_append_new(a, pt_json_bytes(buf + i, l, 1024));
    i += l + 1;
  }
  return a;
}

/* First sight of a thread: resolve its process, and record the process
 * (and, recursively, unknown parents) once. at_exec: first seen at its
 * exec stop, so still a copy of its parent (a fork's image, or for CMD
 * our own init's, the host's pkgtrap), which the exec event that follows
 * replaces: neither its command line nor its executable is read. */
static struct proc *proc_add(pt_recorder *r, pid_t tgid, pid_t ppid,
                             pid_t jpid, bool at_exec);

static struct proc *proc_seen(pt_recorder *r, pid_t tid, pid_t *tgid_out,
                              bool at_exec) {
  /* A process's main thread, known already: most stops. Only another
   * thread or a new process needs its status read (~20-60 us here, which
   * the stopped caller waits for). */
  struct proc *known = proc_find(r, tid);
  if (known) {
    *tgid_out = tid;
    return known;
  }
  char status[2048];
  if (read_proc_file(tid, "status", status, sizeof(status)) < 0)
    return NULL;
  pid_t tgid = (pid_t)status_field(status, "\nTgid:");
  if (tgid <= 0)
    return NULL;
  *tgid_out = tgid;
  struct proc *p = proc_find(r, tgid);
  if (p)
    return p;
  return proc_add(r, tgid, (pid_t)status_field(status, "\nPPid:"),
                  jail_pid_of(status), at_exec);
}

/* Record a process not seen before (proc_seen; cmd_exec_hook). */
static struct proc *proc_add(pt_recorder *r, pid_t tgid, pid_t ppid,
                             pid_t jpid, bool at_exec) {
  if (r->n_procs >= PROC_TABLE_MAX) {
    r->procs_untracked++;
    return NULL;
  }
  struct proc *p = calloc(1, sizeof(*p));
  if (p == NULL)
    return NULL;
  p->pid = tgid;
  p->ppid = ppid;
  p->jpid = jpid;
  unsigned b = (unsigned)tgid % 4096;
  p->next = r->buckets[b];
  r->buckets[b] = p;
  r->n_procs++;
  r->stats.processes++;
  /* The parent first, so the tree reads top-down (bounded: the jail's
   * init is always known after its first stop). */
  if (p->ppid > 0 && proc_find(r, p->ppid) == NULL && p->jpid != 1) {
    pid_t dummy;
    proc_seen(r, p->ppid, &dummy, false);
  }
  json_t *ev = json_object();
  json_object_set_new(ev, "ppid", json_integer(p->ppid));
  json_object_set_new(ev, "jpid", json_integer(p->jpid));
  if (p->jpid == 1) {
    /* The jail's own init (a clone of pkgtrap until it renames itself):
     * not the sample's, and its command line and executable are the
     * host's business (so neither is read). */
    json_t *a = json_array();
    json_array_append_new(a, json_string("init"));
    json_object_set_new(ev, "argv", a);
  } else if (at_exec) {
    json_object_set_new(ev, "argv", json_array());
  } else {
    char cmd[CMDLINE_MAX];
    ssize_t n = read_proc_file(tgid, "cmdline", cmd, sizeof(cmd));
    char exe[PATH_MAX], path[64];
    snprintf(path, sizeof(path), "/proc/%d/exe", (int)tgid);
    ssize_t el = readlink(path, exe, sizeof(exe) - 1);
    json_object_set_new(ev, "argv", n > 0 ? argv_from_cmdline(cmd, (size_t)n)
                                          : json_array());
    if (el > 0)
      json_object_set_new(ev, "exe", pt_json_bytes(exe, (size_t)el, 1024));
  }
  char stat[1024];
  if (read_proc_file(tgid, "stat", stat, sizeof(stat)) > 0) {
    /* starttime is field 22, after the parenthesised comm. */
    char *c = strrchr(stat, ')');
    unsigned long long st = 0;
    if (c && sscanf(c + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
                           "%*u %*d %*d %*d %*d %*d %*d %llu",
                    &st) == 1)
      json_object_set_new(ev, "start_ticks", json_integer((json_int_t)st));
  }
  pt_events_emit(r->cfg.events, tgid, "process", ev);
  return p;
}

/* ---- paths ------------------------------------------------------------ */

/* Resolve (dirfd, path) of the caller to an absolute path as the jail
 * sees it: /proc/<pid>/cwd and /proc/<pid>/fd/N read relative to the
 * jail's root because its mounts are not under ours. */
static void resolve_at(pid_t tgid, int dirfd, const char *path, char *out,
                       size_t cap) {
  if (path[0] == '/' || (path[0] == '\0' && dirfd == AT_FDCWD)) {
    snprintf(out, cap, "%s", path);
    return;
  }
  char link[64], base[PATH_MAX];
  if (dirfd == AT_FDCWD)
    snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tgid);
  else
    snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tgid, dirfd);
  ssize_t n = readlink(link, base, sizeof(base) - 1);
  if (n <= 0) {
    snprintf(out, cap, "%s", path);
    return;
  }
  base[n] = '\0';
  if (path[0] == '\0') { /* AT_EMPTY_PATH: the fd itself (fexecve) */
    snprintf(out, cap, "%s", base);
    return;
  }
  /* Truncation only shortens an over-long path in the record. */
  size_t bl = (size_t)n, pl = strlen(path), k = 0;
  bool slash = strcmp(base, "/") != 0;
  if (cap == 0)
    return;
  for (size_t i = 0; i < bl && k + 1 < cap; i++)
    out[k++] = base[i];
  if (slash && k + 1 < cap)
    out[k++] = '/';
  for (size_t i = 0; i < pl && k + 1 < cap; i++)
    out[k++] = path[i];
  out[k] = '\0';
}

static json_t *open_flags_json(uint64_t fl) {
  json_t *a = json_array();
  int acc = (int)(fl & O_ACCMODE);
  json_array_append_new(a, json_string(acc == O_WRONLY ? "O_WRONLY"
                                       : acc == O_RDWR ? "O_RDWR"
                                                       : "O_RDONLY"));
  static const struct {
    uint64_t bit;
    const char *name;
  } fls[] = {{O_CREAT, "O_CREAT"},   {O_EXCL, "O_EXCL"},
             {O_TRUNC, "O_TRUNC"},   {O_APPEND, "O_APPEND"},
             {O_TMPFILE & ~O_DIRECTORY, "O_TMPFILE"}};
  for (size_t i = 0; i < PT_ARRAY_LEN(fls); i++)
    if ((fl & fls[i].bit) == fls[i].bit)
      json_array_append_new(a, json_string(fls[i].name));
  return a;
}

static void emit_file(pt_recorder *r, pid_t pid, const char *op,
                      const char *path, json_t *extra) {
  json_t *o = extra ? extra : json_object();
  json_object_set_new(o, "op", json_string(op));
  json_object_set_new(o, "path", pt_json_bytes(path, strlen(path), 4096));
  pt_events_emit(r->cfg.events, pid, "file", o);
}

/* ---- honeytokens in what a process shows ------------------------------ */

struct token_ctx {
  pt_recorder *r;
  pid_t pid;
  const char *where;
};

static void emit_token(void *ctx, const pt_tok_match *m, const char *enc) {
  struct token_ctx *tc = ctx;
  pt_events_emit_token(tc->r->cfg.events, tc->pid, "honeytoken", m->id, enc,
                       tc->where, NULL);
}

/* Also under layers of base64 (pt_tok_scan_nested): a stealer stages
 * what it sends, or passes it on a command line, encoded twice as often
 * as once. */
static void scan_tokens(pt_recorder *r, pid_t pid, const void *buf,
                        size_t len, const char *where) {
  if (r->cfg.tokens == NULL || len == 0)
    return;
  struct token_ctx tc = {.r = r, .pid = pid, .where = where};
  pt_tok_scan_nested(r->cfg.tokens, buf, len, 16, 0, emit_token, &tc);
}

/* ---- handlers --------------------------------------------------------- */

/* Is NAME=... the variable a token was planted in? */
static bool planted_env(const pt_recorder *r, const char *entry,
                        const char *token_id) {
  const pt_honey *h = r->cfg.honey;
  const char *eq = strchr(entry, '=');
  if (h == NULL || eq == NULL)
    return false;
  size_t nl = (size_t)(eq - entry);
  for (size_t i = 0; i < h->n_tokens; i++) {
    if (strcmp(h->tokens[i].id, token_id) != 0)
      continue;
    for (size_t k = 0; k < h->tokens[i].n_locations; k++) {
      const char *loc = h->tokens[i].locations[k];
      if (strncmp(loc, "env:", 4) == 0 && strlen(loc + 4) == nl &&
          strncmp(loc + 4, entry, nl) == 0)
        return true;
    }
  }
  return false;
}

/* A token in the environment of an exec, outside the variables it was
 * planted in (AWS_ACCESS_KEY_ID=... is expected; LEAK=AKIA... is not). */
struct env_scan {
  pt_recorder *r;
  pid_t tgid;
};

static bool scan_env_entry(void *ctx, const char *e) {
  struct env_scan *es = ctx;
  pt_recorder *r = es->r;
  pt_tok_match m[4];
  size_t n = 0;
  if (pt_tok_scan(r->cfg.tokens, e, strlen(e), m, PT_ARRAY_LEN(m), &n) <= 0)
    return true;
  for (size_t k = 0; k < n && k < PT_ARRAY_LEN(m); k++) {
    if (planted_env(r, e, m[k].id))
      continue;
    const char *eq = strchr(e, '=');
    char where[300];
    snprintf(where, sizeof(where), "env:%.*s", eq ? (int)(eq - e) : 64, e);
    pt_events_emit_token(r->cfg.events, es->tgid, "honeytoken", m[k].id,
                         m[k].encoding, where, NULL);
  }
  return true;
}

struct argv_read {
  json_t *argv;
  char joined[ARGV_MAX_BYTES]; /* the arguments, space-separated, scanned */
  size_t jl;
};

static bool add_arg(void *ctx, const char *arg) {
  struct argv_read *ar = ctx;
  size_t l = strlen(arg);
  json_array_append_new(ar->argv, pt_json_bytes(arg, l, 1024));
  if (ar->jl + l + 1 < sizeof(ar->joined)) {
    memcpy(ar->joined + ar->jl, arg, l);
    ar->jl += l;
    ar->joined[ar->jl++] = ' ';
  }
  return true;
}

static bool keep_str(void *ctx, const char *str) {
  return pt_buf_append(ctx, str, strlen(str) + 1) >= 0;
}

static void on_exec(pt_recorder *r, pid_t tid, pid_t tgid,
                    const struct seccomp_notif *req, bool at) {
  struct pending_exec *pe = &r->exec;
  char path[PATH_MAX];
  uint64_t a_path = req->data.args[at ? 1 : 0];
  uint64_t a_argv = req->data.args[at ? 2 : 1];
  uint64_t a_envp = req->data.args[at ? 3 : 2];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (!read_str(tid, a_path, path, sizeof(path)))
    path[0] = '\0';
  resolve_at(tgid, at ? (int)req->data.args[0] : AT_FDCWD, path, pe->path,
             sizeof(pe->path));
  pe->args.len = pe->env.len = 0;
  read_strv(tid, a_argv, ARGV_MAX_ARGS, 4096, keep_str, &pe->args);
  if (r->cfg.tokens && a_envp)
    read_strv(tid, a_envp, ENV_MAX_VARS, 4096, keep_str, &pe->env);
  pe->tgid = tgid;
  pe->when_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  pe->set = true;
}

static void exec_finish(pt_recorder *r) {
  struct pending_exec *pe = &r->exec;
  if (!pe->set)
    return;
  pe->set = false;
  struct argv_read ar = {.argv = json_array()};
  for (size_t at = 0; at < pe->args.len;) {
    const char *a = pe->args.data + at;
    add_arg(&ar, a);
    at += strlen(a) + 1;
  }
  json_t *o = json_object();
  json_object_set_new(o, "path",
                      pt_json_bytes(pe->path, strlen(pe->path), 4096));
  json_object_set_new(o, "argv", ar.argv);
  pt_events_emit_at(r->cfg.events, pe->when_ns, pe->tgid, "exec", o);
  scan_tokens(r, pe->tgid, ar.joined, ar.jl, "argv");
  struct env_scan es = {r, pe->tgid};
  for (size_t at = 0; at < pe->env.len;) {
    const char *e = pe->env.data + at;
    scan_env_entry(&es, e);
    at += strlen(e) + 1;
  }
}

static void sockaddr_json(json_t *o, const struct sockaddr_storage *ss,
                          socklen_t len) {
  char host[INET6_ADDRSTRLEN] = "";
  if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
    const struct sockaddr_in *in = (const void *)ss;
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    json_object_set_new(o, "family", json_string("ipv4"));
    json_object_set_new(o, "address", json_string(host));
    json_object_set_new(o, "port", json_integer(ntohs(in->sin_port)));
  } else if (ss->ss_family == AF_INET6 &&
             len >= sizeof(struct sockaddr_in6)) {
    const struct sockaddr_in6 *in6 = (const void *)ss;
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    json_object_set_new(o, "family", json_string("ipv6"));
    json_object_set_new(o, "address", json_string(host));
    json_object_set_new(o, "port", json_integer(ntohs(in6->sin6_port)));
  } else if (ss->ss_family == AF_UNIX) {
    const struct sockaddr_un *un = (const void *)ss;
    size_t pl = len > offsetof(struct sockaddr_un, sun_path)
                    ? len - offsetof(struct sockaddr_un, sun_path)
                    : 0;
    if (pl > sizeof(un->sun_path))
      pl = sizeof(un->sun_path);
    json_object_set_new(o, "family", json_string("unix"));
    /* An abstract socket starts with NUL: keep it visible as \x00. */
    size_t sl = pl && un->sun_path[0] ? strnlen(un->sun_path, pl) : pl;
    json_object_set_new(o, "address", pt_json_bytes(un->sun_path, sl, 256));
  } else {
    json_object_set_new(o, "family", json_integer(ss->ss_family));
  }
}

/* The type of the caller's socket fd (SOCK_STREAM/DGRAM), or 0. */
static int socket_type(pid_t tgid, int fd) {
  int pfd = (int)syscall(SYS_pidfd_open, tgid, 0);
  if (pfd < 0)
    return 0;
  int s = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
  close(pfd);
  if (s < 0)
    return 0;
  int type = 0;
  socklen_t l = sizeof(type);
  if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &l) < 0)
    type = 0;
  close(s);
  return type;
}

static void remember_connect(pt_recorder *r, int proto,
                             const struct sockaddr_storage *ss, pid_t pid) {
  struct recent_connect *c = &r->recent[r->recent_next++ % RECENT_CONNECTS];
  c->proto = proto;
  c->dst = *ss;
  c->pid = pid;
  /* The fake network sees a v4-mapped IPv6 connect as plain IPv4. */
  const struct sockaddr_in6 *in6 = (const void *)ss;
  if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = in6->sin6_port};
    memcpy(&in.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
    memset(&c->dst, 0, sizeof(c->dst));
    memcpy(&c->dst, &in, sizeof(in));
  }
}

static bool same_dst(const struct sockaddr_storage *a,
                     const struct sockaddr *b) {
  if (a->ss_family != b->sa_family)
    return false;
  if (a->ss_family == AF_INET) {
    const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
    return x->sin_port == y->sin_port &&
           x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  if (a->ss_family == AF_INET6) {
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
  }
  return false;
}

pid_t pt_recorder_who(void *recorder, int proto, const struct sockaddr *dst,
                      socklen_t len) {
  (void)len;
  pt_recorder *r = recorder;
  /* Newest first: a connection is accepted right after its connect. */
  for (size_t i = 0; i < RECENT_CONNECTS && i < r->recent_next; i++) {
    struct recent_connect *c =
        &r->recent[(r->recent_next - 1 - i) % RECENT_CONNECTS];
    if ((proto == 0 || c->proto == proto) && same_dst(&c->dst, dst))
      return c->pid;
  }
  return 0;
}

static void on_net(pt_recorder *r, pid_t tid, pid_t tgid, int which_sys,
                   const struct seccomp_notif *req) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof(ss));
  socklen_t len = 0;
  uint64_t a_addr = 0, a_len = 0;
  int fd = (int)req->data.args[0];
  const char *op = sys_names[which_sys];
  if (which_sys == S_CONNECT || which_sys == S_BIND) {
    a_addr = req->data.args[1];
    a_len = req->data.args[2];
  } else if (which_sys == S_SENDTO) {
    a_addr = req->data.args[4];
    a_len = req->data.args[5];
  } else if (which_sys == S_SENDMSG) {
    struct msghdr mh;
    if (read_mem(tid, req->data.args[1], &mh, sizeof(mh)) == sizeof(mh)) {
      a_addr = (uint64_t)(uintptr_t)mh.msg_name;
      a_len = mh.msg_namelen;
    }
  } else if (which_sys == S_SENDMMSG) {
    struct mmsghdr mh;
    if (read_mem(tid, req->data.args[1], &mh, sizeof(mh)) == sizeof(mh)) {
      a_addr = (uint64_t)(uintptr_t)mh.msg_hdr.msg_name;
      a_len = mh.msg_hdr.msg_namelen;
    }
  }
  if (which_sys == S_LISTEN) {
    json_t *o = json_object();
    json_object_set_new(o, "fd", json_integer(fd));
    pt_events_emit(r->cfg.events, tgid, "listen", o);
    return;
  }
  if (a_addr == 0 || a_len == 0)
    return; /* a connected socket's send: the fake network sees it */
  len = a_len > sizeof(ss) ? sizeof(ss) : (socklen_t)a_len;
  if (read_mem(tid, a_addr, &ss, len) != (ssize_t)len)
    return;
  int type = (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)
                 ? socket_type(tgid, fd)
                 : 0;
  json_t *o = json_object();
  json_object_set_new(o, "syscall", json_string(op));
  sockaddr_json(o, &ss, len);
  if (type)
    json_object_set_new(o, "proto", json_string(type == SOCK_DGRAM ? "udp"
                                                : type == SOCK_STREAM ? "tcp"
                                                                      : "raw"));
  if (r->cfg.net && (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)) {
    const char *name =
        pt_fakenet_name_for(r->cfg.net, (const struct sockaddr *)&ss, len);
    if (name)
      json_object_set_new(o, "hostname", json_string(name));
  }
  struct proc *p = proc_find(r, tgid);
  if (p != NULL && p->key_call)
    json_object_set_new(o, "key_call", json_true());
  /* kind: connect, send, bind (the attempt, as the syscall named it; what
   * was sent comes as the fake network's "net" events). */
  pt_events_emit(r->cfg.events, tgid,
                 which_sys == S_CONNECT ? "connect"
                 : which_sys == S_BIND  ? "bind"
                                        : "send",
                 o);
  if (r->cfg.net == NULL)
    return;
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
    return;
  if (type != SOCK_STREAM && type != SOCK_DGRAM)
    return;
  uint16_t port = ss.ss_family == AF_INET
                      ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                      : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  if (which_sys == S_BIND) {
    /* The sample serves on this port itself: our listener must step
     * aside before its bind runs. */
    if (port)
      pt_fakenet_release(r->cfg.net, type, port);
    return;
  }
  if (port == 0)
    return; /* refused by the kernel: nothing to serve (the exercise's bait) */
  remember_connect(r, type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP, &ss,
                   tgid);
  /* Before CONTINUE: the kernel performs the connect (or delivers the
   * datagram) as soon as we answer, so someone must listen there now. */
  pt_err *e = NULL;
  if (pt_fakenet_prepare(r->cfg.net, r->jail, ss.ss_family, type, port, &e) <
      0) {
    json_t *w = json_object();
    json_object_set_new(w, "what", json_string(e && e->msg ? e->msg : "?"));
    pt_events_emit(r->cfg.events, tgid, "recorder-warning", w);
    pt_err_free(e);
  }
}

/* The size of a regular file of the HOME that the user had before the
 * run, which an open is about to empty or write over (the open waits for
 * this notification's answer, so the file is still whole), or -1: not in
 * the HOME, in the project's tree (installs write thousands of files
 * there), absent, empty, reached through a link, or the run's own (its
 * mtime not before the HOME was made up: a package rewriting a file it
 * wrote in an earlier phase destroys nothing of the user's). What the
 * user had and a package wiped (a wiper, ransomware writing over
 * documents) then differs from a file the package made. */
static long long user_file_size(pt_recorder *r, const char *path) {
  const char *home = r->cfg.home_jail;
  size_t hl = home ? strlen(home) : 0;
  int dirfd = r->jail ? jail_home_fd(r->jail) : -1;
  if (hl == 0 || dirfd < 0 || strncmp(path, home, hl) != 0 ||
      path[hl] != '/' || strncmp(path + hl + 1, "project/", 8) == 0)
    return -1;
  struct open_how how = {.flags = O_PATH | O_CLOEXEC,
                         .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
                                    RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
  int fd = (int)syscall(SYS_openat2, dirfd, path + hl + 1, &how, sizeof(how));
  if (fd < 0)
    return -1;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  close(fd);
  const struct timespec *made = r->cfg.honey ? &r->cfg.honey->made : NULL;
  if (ok && made && made->tv_sec > 0)
    ok = st.st_mtim.tv_sec < made->tv_sec ||
         (st.st_mtim.tv_sec == made->tv_sec &&
          st.st_mtim.tv_nsec < made->tv_nsec);
  return ok ? (long long)st.st_size : -1;
}

/* What an open does to a file the user had: "truncated" (O_TRUNC empties
 * it, O_APPEND or not) or "in_place" (opened for writing without
 * appending: its bytes can be written over where they are, as in-place
 * encryption does), with the size it had. Nothing for a read, an append,
 * or O_CREAT | O_EXCL: that open fails on a file that exists, so it
 * empties or overwrites nothing (and needs no look at the HOME). */
static void note_user_file(pt_recorder *r, uint64_t fl, const char *path,
                           json_t *extra) {
  if ((fl & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
    return;
  const char *key = (fl & O_TRUNC) ? "truncated"
                    : (fl & O_APPEND) || (fl & O_ACCMODE) == O_RDONLY
                        ? NULL
                        : "in_place";
  long long had = key ? user_file_size(r, path) : -1;
  if (had > 0)
    json_object_set_new(extra, key, json_integer(had));
}

static void remember_written(pt_recorder *r, pid_t pid, const char *path) {
  if (r->cfg.tokens == NULL || path[0] != '/' || strlen(path) >= 512)
    return;
  /* The token files themselves hold tokens by design. */
  size_t hl = r->cfg.home_jail ? strlen(r->cfg.home_jail) : 0;
  for (size_t i = 0; hl && i < r->cfg.n_token_files; i++)
    if (strncmp(path, r->cfg.home_jail, hl) == 0 && path[hl] == '/' &&
        strcmp(path + hl + 1, r->cfg.token_files[i]) == 0)
      return;
  if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
    return;
  for (size_t i = 0; i < r->n_written; i++)
    if (r->written[i].pid == pid && strcmp(r->written[i].path, path) == 0)
      return;
  if (r->n_written == WRITTEN_MAX)
    return; /* bounded; the first ones are the interesting ones */
  struct written *w = &r->written[r->n_written];
  /* A path cut short would name another file: one that does not fit is
   * not scanned at exit (its writes were still recorded). */
  if ((size_t)snprintf(w->path, sizeof(w->path), "%s", path) >=
      sizeof(w->path))
    return;
  w->pid = pid;
  r->n_written++;
}

/* Scan what pid wrote, through its own root, before it is gone. */
static void scan_written(pt_recorder *r, pid_t pid) {
  for (size_t i = 0; i < r->n_written;) {
    if (r->written[i].pid != pid) {
      i++;
      continue;
    }
    char proc_path[640];
    snprintf(proc_path, sizeof(proc_path), "/proc/%d/root%s", (int)pid,
             r->written[i].path);
    int fd = open(proc_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd >= 0) {
      struct stat st;
      if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t cap = st.st_size < WRITTEN_SCAN_CAP ? (size_t)st.st_size
                                                   : WRITTEN_SCAN_CAP;
        char *buf = malloc(cap + 1);
        ssize_t n = buf ? read(fd, buf, cap) : -1;
        if (n > 0) {
          char where[600];
          snprintf(where, sizeof(where), "file:%s", r->written[i].path);
          scan_tokens(r, pid, buf, (size_t)n, where);
        }
        free(buf);
      }
      close(fd);
    }
    r->written[i] = r->written[--r->n_written];
  }
}

static void on_file(pt_recorder *r, pid_t tid, pid_t tgid, int s,
                    const struct seccomp_notif *req) {
  char p1[PATH_MAX], p2[PATH_MAX], f1[PATH_MAX], f2[PATH_MAX];
  const __u64 *a = req->data.args;
  json_t *extra = json_object();
  switch (s) {
  case S_OPEN:
  case S_CREAT:
  case S_OPENAT:
  case S_OPENAT2: {
    int dirfd = (s == S_OPENAT || s == S_OPENAT2) ? (int)a[0] : AT_FDCWD;
    uint64_t pa = (s == S_OPENAT || s == S_OPENAT2) ? a[1] : a[0];
    uint64_t fl = s == S_CREAT  ? (O_CREAT | O_WRONLY | O_TRUNC)
                  : s == S_OPEN ? a[1]
                                : a[2];
    if (s == S_OPENAT2) {
      uint64_t how[3] = {0};
      fl = read_mem(tid, a[2], how, sizeof(how)) > 0 ? how[0] : 0;
      if ((fl & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) == 0) {
        json_decref(extra);
        return; /* a read: the token-file watch covers what matters */
      }
    }
    if (!read_str(tid, pa, p1, sizeof(p1)))
      p1[0] = '\0';
    resolve_at(tgid, dirfd, p1, f1, sizeof(f1));
    json_object_set_new(extra, "flags", open_flags_json(fl));
    note_user_file(r, fl, f1, extra);
    emit_file(r, tgid, (fl & O_CREAT) ? "create" : "write", f1, extra);
    remember_written(r, tgid, f1);
    return;
  }
  case S_UNLINK:
  case S_UNLINKAT:
    read_str(tid, s == S_UNLINK ? a[0] : a[1], p1, sizeof(p1)) || (p1[0] = 0);
    resolve_at(tgid, s == S_UNLINK ? AT_FDCWD : (int)a[0], p1, f1, sizeof(f1));
    emit_file(r, tgid, "delete", f1, extra);
    return;
  case S_RENAME:
  case S_RENAMEAT:
  case S_RENAMEAT2: {
    bool at = s != S_RENAME;
    read_str(tid, at ? a[1] : a[0], p1, sizeof(p1)) || (p1[0] = 0);
    read_str(tid, at ? a[3] : a[1], p2, sizeof(p2)) || (p2[0] = 0);
    resolve_at(tgid, at ? (int)a[0] : AT_FDCWD, p1, f1, sizeof(f1));
    resolve_at(tgid, at ? (int)a[2] : AT_FDCWD, p2, f2, sizeof(f2));
    json_object_set_new(extra, "to", pt_json_bytes(f2, strlen(f2), 4096));
    emit_file(r, tgid, "rename", f1, extra);
    return;
  }
  case S_SYMLINK:
  case S_SYMLINKAT:
  case S_LINK:
  case S_LINKAT: {
    bool at = s == S_SYMLINKAT || s == S_LINKAT;
    uint64_t target = a[0];
    uint64_t lp = s == S_SYMLINK ? a[1]
                  : s == S_SYMLINKAT ? a[2]
                  : s == S_LINK      ? a[1]
                                     : a[3];
    int dfd = s == S_SYMLINKAT ? (int)a[1] : s == S_LINKAT ? (int)a[2]
                                                           : AT_FDCWD;
    if (s == S_LINKAT)
      target = a[1];
    (void)at;
    read_str(tid, target, p2, sizeof(p2)) || (p2[0] = 0);
    read_str(tid, lp, p1, sizeof(p1)) || (p1[0] = 0);
    resolve_at(tgid, dfd, p1, f1, sizeof(f1));
    json_object_set_new(extra, "target", pt_json_bytes(p2, strlen(p2), 4096));
    emit_file(r, tgid,
              (s == S_SYMLINK || s == S_SYMLINKAT) ? "symlink" : "link", f1,
              extra);
    return;
  }
  case S_TRUNCATE: {
    /* By path, no open: a wiper's way to empty a file unseen otherwise
     * (ftruncate needs an open for writing, which stops). */
    read_str(tid, a[0], p1, sizeof(p1)) || (p1[0] = 0);
    resolve_at(tgid, AT_FDCWD, p1, f1, sizeof(f1));
    json_object_set_new(extra, "length", json_integer((json_int_t)a[1]));
    long long had = user_file_size(r, f1);
    if (had > (long long)a[1])
      json_object_set_new(extra, "truncated", json_integer(had));
    emit_file(r, tgid, "truncate", f1, extra);
    return;
  }
  case S_CHMOD:
  case S_FCHMODAT:
  case S_FCHMOD: {
    uint64_t mode;
    if (s == S_FCHMOD) {
      char link[64];
      snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tgid, (int)a[0]);
      ssize_t n = readlink(link, f1, sizeof(f1) - 1);
      f1[n > 0 ? n : 0] = '\0';
      mode = a[1];
    } else {
      read_str(tid, s == S_CHMOD ? a[0] : a[1], p1, sizeof(p1)) || (p1[0] = 0);
      resolve_at(tgid, s == S_CHMOD ? AT_FDCWD : (int)a[0], p1, f1,
                 sizeof(f1));
      mode = s == S_CHMOD ? a[1] : a[2];
    }
    char m[16];
    snprintf(m, sizeof(m), "%04o", (unsigned)(mode & 07777));
    json_object_set_new(extra, "mode", json_string(m));
    emit_file(r, tgid, "chmod", f1, extra);
    return;
  }
  case S_CHOWN:
  case S_LCHOWN:
  case S_FCHOWNAT:
  case S_FCHOWN:
    if (s == S_FCHOWN) {
      char link[64];
      snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)tgid, (int)a[0]);
      ssize_t n = readlink(link, f1, sizeof(f1) - 1);
      f1[n > 0 ? n : 0] = '\0';
    } else {
      read_str(tid, s == S_FCHOWNAT ? a[1] : a[0], p1, sizeof(p1)) ||
          (p1[0] = 0);
      resolve_at(tgid, s == S_FCHOWNAT ? (int)a[0] : AT_FDCWD, p1, f1,
                 sizeof(f1));
    }
    emit_file(r, tgid, "chown", f1, extra);
    return;
  }
  json_decref(extra);
}

/* A wait of ms shortened (by us, or in the jail when via is "timer"):
 * counted, and a sleep-shortened event. */
static void count_shortened(pt_recorder *r, pid_t tgid, uint64_t ms,
                            const char *via) {
  r->stats.sleeps_shortened++;
  r->stats.sleep_ms_skipped += ms;
  json_t *o = json_object();
  json_object_set_new(o, "requested_ms", json_integer((json_int_t)ms));
  if (via)
    json_object_set_new(o, "via", json_string(via));
  pt_events_emit(r->cfg.events, tgid, "sleep-shortened", o);
}

/* Long sleeps are answered at once (success), so a payload that waits
 * out a sandbox acts within the budget. Decided from the caller's memory
 * (racy by design): the worst a forger gets is a shorter sleep. */
static bool maybe_shorten_sleep(pt_recorder *r, pid_t tid, pid_t tgid,
                                int s, const struct seccomp_notif *req,
                                struct seccomp_notif_resp *resp) {
  if (r->cfg.max_sleep_ms == 0)
    return false;
  struct timespec ts;
  uint64_t addr = s == S_NANOSLEEP ? req->data.args[0] : req->data.args[2];
  if (read_mem(tid, addr, &ts, sizeof(ts)) != sizeof(ts))
    return false;
  double want_ms = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
  if (s == S_CLOCK_NANOSLEEP && (req->data.args[1] & TIMER_ABSTIME)) {
    struct timespec now;
    if (clock_gettime((clockid_t)req->data.args[0], &now) < 0)
      return false;
    want_ms -= (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
  }
  if (want_ms <= (double)r->cfg.max_sleep_ms)
    return false;
  resp->flags = 0;
  resp->error = 0;
  resp->val = 0;
  count_shortened(r, tgid, (uint64_t)want_ms, NULL);
  return true;
}

/* A wait the jail shortened itself (profiles/ecosystems/node-timers.cjs
 * and python-site/sitecustomize.py: Node's timers, Python's Event.wait and
 * asyncio.sleep are no sleep syscall) announces it with
 * getpriority(PRIO_PROCESS, PT_TIMER_BEACON | ms), the only getpriority
 * that stops (recorder_rules.c): no process has such an id, so the
 * kernel's answer, ESRCH, is given. Anyone in the jail can make one: the
 * worst a forger gets is an event against itself. */
static void timer_shortened(pt_recorder *r, pid_t tgid,
                            const struct seccomp_notif *req,
                            struct seccomp_notif_resp *resp) {
  uint64_t ms = req->data.args[1] & ~(uint64_t)PT_TIMER_BEACON;
  resp->flags = 0;
  resp->error = -ESRCH;
  resp->val = 0;
  count_shortened(r, tgid, ms, "timer");
}

/* The exercise phase's key calls (recorder_rules.h, PT_KEY_CALL_BEACON):
 * a process in one has its network attempts marked key_call, for the
 * rule that a function handed a secret reached the network. Answered
 * ESRCH, as for any id no process has. Anyone in the jail can send one:
 * the worst a forger gets is its own attempts marked, or unmarked by an
 * end it sends early. */
static void key_call(pt_recorder *r, pid_t tgid,
                     const struct seccomp_notif *req,
                     struct seccomp_notif_resp *resp) {
  struct proc *p = proc_find(r, tgid);
  if (p != NULL)
    p->key_call = (req->data.args[1] & 1) != 0;
  resp->flags = 0;
  resp->error = -ESRCH;
  resp->val = 0;
}

static void notify(void *ctx, struct jail *j, const struct seccomp_notif *req,
                   struct seccomp_notif_resp *resp, bool refused) {
  pt_recorder *r = ctx;
  r->jail = j;
  r->stats.notifications++;
  pid_t tid = (pid_t)req->pid, tgid = tid;
  int s = which(r, req->data.nr);
  if (proc_seen(r, tid, &tgid, s == S_EXECVE || s == S_EXECVEAT) == NULL &&
      tgid == tid) {
    /* Gone already, or beyond the table: record what we can. */
  }
  if (refused) {
    r->stats.refused++;
    json_t *o = json_object();
    const char *name = seccomp_syscall_resolve_num_arch(
        SCMP_ARCH_NATIVE, req->data.nr);
    json_object_set_new(o, "syscall", json_string(name ? name : "?"));
    json_t *args = json_array();
    for (int i = 0; i < 3; i++)
      json_array_append_new(args, json_integer((json_int_t)req->data.args[i]));
    json_object_set_new(o, "args", args);
    pt_events_emit(r->cfg.events, tgid, "refused", o);
    free((void *)name);
    return;
  }
  switch (s) {
  case S_EXECVE:
  case S_EXECVEAT:
    on_exec(r, tid, tgid, req, s == S_EXECVEAT);
    break;
  case S_CLONE:
  case S_FORK:
  case S_VFORK:
    /* The child shows itself at its first stop or its exit; the parent
     * is already known. */
    break;
  case S_EXIT_GROUP: {
    scan_written(r, tgid);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_integer((json_int_t)(int)req->data.args[0]));
    pt_events_emit(r->cfg.events, tgid, "exit", o);
    break;
  }
  case S_CONNECT:
  case S_SENDTO:
  case S_SENDMSG:
  case S_SENDMMSG:
  case S_BIND:
  case S_LISTEN:
    on_net(r, tid, tgid, s, req);
    break;
  case S_MEMFD: {
    char name[256];
    if (!read_str(tid, req->data.args[0], name, sizeof(name)))
      name[0] = '\0';
    json_t *o = json_object();
    json_object_set_new(o, "name", pt_json_bytes(name, strlen(name), 256));
    pt_events_emit(r->cfg.events, tgid, "memfd", o);
    break;
  }
  case S_PTRACE: {
    json_t *o = json_object();
    json_object_set_new(o, "request", json_integer((json_int_t)req->data.args[0]));
    json_object_set_new(o, "target", json_integer((json_int_t)req->data.args[1]));
    pt_events_emit(r->cfg.events, tgid, "ptrace", o);
    break;
  }
  case S_NANOSLEEP:
  case S_CLOCK_NANOSLEEP:
    maybe_shorten_sleep(r, tid, tgid, s, req, resp);
    break;
  case S_GETPRIORITY:
    if ((req->data.args[1] & ~(uint64_t)1) == PT_KEY_CALL_BEACON)
      key_call(r, tgid, req, resp);
    else
      timer_shortened(r, tgid, req, resp);
    break;
  case -1:
    break;
  default:
    on_file(r, tid, tgid, s, req);
    break;
  }
}

/* ---- reads of the token files (tokwatch.h) ---------------------------- */

/* Neither atime nor inotify says who read, so the event has pid 0 (the
 * phase still attributes it); atime says when. */
static void on_token_read(void *ctx, const char *file, const char *how,
                          int64_t when_ns) {
  pt_recorder *r = ctx;
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", r->cfg.home_jail, file);
  json_t *o = json_object();
  json_object_set_new(o, "op", json_string("read"));
  json_object_set_new(o, "path", pt_json_bytes(path, strlen(path), 4096));
  json_object_set_new(o, "token_file", json_string(file));
  json_object_set_new(o, "seen_by", json_string(how));
  pt_events_emit_at(r->cfg.events, when_ns, 0, "file", o);
}

static void on_tokwatch_fd(void *ctx, int fd, uint32_t ev) {
  pt_recorder *r = ctx;
  (void)fd;
  (void)ev;
  pt_tokwatch_poll(r->tokwatch, on_token_read, r);
}

static int start(void *ctx, struct jail *j, pt_err **err) {
  pt_recorder *r = ctx;
  r->jail = j;
  if (r->cfg.net && pt_fakenet_start(r->cfg.net, j, err) < 0)
    return pt_err_wrap(err, "fake network");
  if (!r->cfg.no_events && jail_home_fd(j) >= 0 && r->cfg.n_token_files) {
    r->tokwatch = pt_tokwatch_arm(jail_home_fd(j), r->cfg.token_files,
                                  r->cfg.n_token_files, err);
    if (r->tokwatch == NULL)
      return pt_err_wrap(err, "honeytoken files");
    int fd = pt_tokwatch_fd(r->tokwatch);
    if (fd >= 0 &&
        pt_loop_add(jail_loop(j), fd, EPOLLIN, on_tokwatch_fd, r, err) < 0)
      return -1;
  }
  return 0;
}

static int on_building(void *ctx, struct jail *j, pt_err **err) {
  pt_recorder *r = ctx;
  r->jail = j;
  /* init's first stop (its clone of CMD) is on the way to CMD's start:
   * record init now, while it builds the root, so that stop only answers. */
  pid_t tgid;
  proc_seen(r, jail_init_pid(j), &tgid, false);
  return r->cfg.building ? r->cfg.building(r->cfg.prepare_ctx, err) : 0;
}

static int on_late(void *ctx, struct jail *j, struct jail_late *out,
                   pt_err **err) {
  pt_recorder *r = ctx;
  r->jail = j;
  return r->cfg.late ? r->cfg.late(r->cfg.prepare_ctx, out, err) : 0;
}

/* Possibly on a thread of its own, side by side with on_building (jail.h):
 * it touches nothing of the recorder (r->jail was set by on_late). */
static int on_spawn(void *ctx, struct jail *j, pt_err **err) {
  const pt_recorder *r = ctx;
  return r->cfg.prepare
             ? r->cfg.prepare(r->cfg.prepare_ctx, jail_home_fd(j), err)
             : 0;
}

/* jail_hooks.on_cmd_exec: CMD's own exec, which stops nowhere (jail.h).
 * What on_exec would read from the stopped caller is known here: the
 * file (the jail's), CMD's argv (the spec's). Its environment is ours
 * whole, every token in it planted, so it is not scanned. CMD may have
 * exec'ed, even exited, by now: without its /proc, init is its parent
 * and its pid in the jail unknown (0). */
static void cmd_exec_hook(void *ctx, struct jail *j, pid_t pid,
                          const char *path, char *const *argv) {
  pt_recorder *r = ctx;
  exec_finish(r);
  pid_t tgid = pid;
  if (proc_find(r, pid) == NULL && proc_seen(r, pid, &tgid, true) == NULL &&
      r->n_procs < PROC_TABLE_MAX)
    proc_add(r, pid, jail_init_pid(j), 0, true);
  struct pending_exec *pe = &r->exec;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  snprintf(pe->path, sizeof(pe->path), "%s", path);
  pe->args.len = pe->env.len = 0;
  for (size_t i = 0; argv[i] && i < ARGV_MAX_ARGS; i++) {
    size_t l = strnlen(argv[i], 4096); /* as read_strv cuts them */
    if (pt_buf_append(&pe->args, argv[i], l) < 0 ||
        pt_buf_append(&pe->args, "", 1) < 0)
      break;
  }
  pe->tgid = tgid;
  pe->when_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  pe->set = true;
  exec_finish(r);
}

/* jail_hooks.on_answered: what a stop's answer did not wait for. */
static void answered(void *ctx, struct jail *j) {
  (void)j;
  exec_finish(ctx);
}

static void on_exit_hook(void *ctx, struct jail *j) {
  pt_recorder *r = ctx;
  (void)j;
  exec_finish(r);
  if (r->tokwatch) {
    int fd = pt_tokwatch_fd(r->tokwatch);
    if (fd >= 0)
      pt_loop_del(jail_loop(j), fd);
    pt_tokwatch_finish(r->tokwatch, on_token_read, r);
  }
  if (r->cfg.net)
    pt_fakenet_finish(r->cfg.net);
}

static const struct jail_hooks hooks = {.late = on_late,
                                       .on_building = on_building,
                                       .on_spawn = on_spawn,
                                       .on_start = start,
                                       .on_notify = notify,
                                       .on_cmd_exec = cmd_exec_hook,
                                       .on_answered = answered,
                                       .on_exit = on_exit_hook};

const struct jail_hooks *pt_recorder_hooks(void) { return &hooks; }

pt_recorder *pt_recorder_new(const struct pt_recorder_config *cfg,
                             pt_err **err) {
  pt_recorder *r = calloc(1, sizeof(*r));
  if (r == NULL) {
    pt_err_make(err, ENOMEM, "recorder");
    return NULL;
  }
  r->cfg = *cfg;
  /* Room for every string read_strv may keep, NULs included: none cut. */
  pt_buf_init(&r->exec.args, (size_t)ARGV_MAX_ARGS * 4097);
  pt_buf_init(&r->exec.env, (size_t)ENV_MAX_VARS * 4097);
  for (int i = 0; i < S_COUNT; i++)
    r->nr[i] = seccomp_syscall_resolve_name(sys_names[i]);
  return r;
}

void pt_recorder_free(pt_recorder *r) {
  if (r == NULL)
    return;
  for (size_t b = 0; b < 4096; b++)
    for (struct proc *p = r->buckets[b], *n; p; p = n) {
      n = p->next;
      free(p);
    }
  pt_tokwatch_free(r->tokwatch);
  pt_buf_free(&r->exec.args);
  pt_buf_free(&r->exec.env);
  free(r);
}

void pt_recorder_set_net(pt_recorder *r, struct pt_fakenet *net) {
  r->cfg.net = net;
}

void pt_recorder_set_honey(pt_recorder *r, const pt_honey *honey,
                           const char *home_jail, char *const *token_files,
                           size_t n_token_files) {
  r->cfg.honey = honey;
  r->cfg.home_jail = home_jail;
  r->cfg.token_files = token_files;
  r->cfg.n_token_files = n_token_files;
}

void pt_recorder_stats(const pt_recorder *r, struct pt_recorder_stats *out) {
  *out = r->stats;
}
