/* The probe: a multi-call binary that runs inside the jail and tries one
 * thing per subcommand, printing a result the tests compare (crun's
 * tests/init.c, bwrap's try-syscall.c). Every bomb here is bounded. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static const char *ename(int e) {
  switch (e) {
  case 0: return "OK";
  case EPERM: return "EPERM";
  case EACCES: return "EACCES";
  case ENOENT: return "ENOENT";
  case EROFS: return "EROFS";
  case ENOSYS: return "ENOSYS";
  case EINVAL: return "EINVAL";
  case ENOSPC: return "ENOSPC";
  case EAGAIN: return "EAGAIN";
  case ENOMEM: return "ENOMEM";
  case EFBIG: return "EFBIG";
  case EBADF: return "EBADF";
  case EFAULT: return "EFAULT";
  case ESRCH: return "ESRCH";
  case ENOTTY: return "ENOTTY";
  case EEXIST: return "EEXIST";
  default: return strerror(e);
  }
}

/* One refused family per name; each prints NAME ERRNO. */
static long try_syscall(const char *name) {
  errno = 0;
  long r = -2;
  if (!strcmp(name, "mount"))
    r = mount("none", "/tmp", "tmpfs", 0, NULL);
  else if (!strcmp(name, "umount2"))
    r = umount2("/proc", MNT_DETACH);
  else if (!strcmp(name, "pivot_root"))
    r = syscall(SYS_pivot_root, "/tmp", "/tmp");
  else if (!strcmp(name, "chroot"))
    r = chroot("/tmp");
  else if (!strcmp(name, "unshare"))
    r = unshare(CLONE_NEWUSER);
  else if (!strcmp(name, "setns"))
    r = setns(open("/proc/self/ns/net", O_RDONLY), 0);
  else if (!strcmp(name, "clone-newnet")) {
    /* raw clone with a namespace flag (fork-like: no stack) */
    r = syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0);
    if (r == 0)
      _exit(0);
    if (r > 0)
      waitpid((pid_t)r, NULL, 0), r = 0;
  } else if (!strcmp(name, "clone3"))
    r = syscall(SYS_clone3, NULL, 0);
  else if (!strcmp(name, "bpf")) {
    union bpf_attr a;
    memset(&a, 0, sizeof(a));
    r = syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
  } else if (!strcmp(name, "perf_event_open")) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof(a));
    a.size = sizeof(a);
    r = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
  } else if (!strcmp(name, "userfaultfd"))
    r = syscall(SYS_userfaultfd, 0);
  else if (!strcmp(name, "keyctl"))
    r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
  else if (!strcmp(name, "add_key"))
    r = syscall(SYS_add_key, "user", "probe", "x", 1, -3);
  else if (!strcmp(name, "request_key"))
    r = syscall(SYS_request_key, "user", "probe", NULL, 0);
  else if (!strcmp(name, "init_module"))
    r = syscall(SYS_init_module, NULL, 0, "");
  else if (!strcmp(name, "finit_module"))
    r = syscall(SYS_finit_module, 0, "", 0);
  else if (!strcmp(name, "delete_module"))
    r = syscall(SYS_delete_module, "probe", 0);
  else if (!strcmp(name, "kexec_load"))
    r = syscall(SYS_kexec_load, 0, 0, NULL, 0);
  else if (!strcmp(name, "reboot"))
    r = syscall(SYS_reboot, 0, 0, 0, NULL);
  else if (!strcmp(name, "swapon"))
    r = syscall(SYS_swapon, "/tmp/none", 0);
  else if (!strcmp(name, "open_by_handle_at"))
    r = syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
  else if (!strcmp(name, "io_uring_setup"))
    r = syscall(SYS_io_uring_setup, 1, NULL);
  else if (!strcmp(name, "ptrace-init"))
    r = ptrace(PTRACE_ATTACH, 1, 0, 0);
  else if (!strcmp(name, "ptrace-child")) {
    /* Allowed: a debugger attaching to its own child. */
    pid_t c = fork();
    if (c == 0) {
      pause();
      _exit(0);
    }
    r = ptrace(PTRACE_SEIZE, c, 0, 0);
    int e = errno;
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    errno = e;
  } else if (!strcmp(name, "tiocsti")) {
    char ch = 'x';
    r = ioctl(1, TIOCSTI, &ch);
  } else if (!strcmp(name, "x32")) {
    r = syscall(0x40000000 | SYS_getpid);
  } else if (!strcmp(name, "int80")) {
    /* i386 getpid through the 32-bit entry point: a non-native arch. */
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20) : "memory");
    if (ret < 0) {
      errno = (int)-ret;
      r = -1;
    } else
      r = 0;
  } else {
    fprintf(stderr, "probe: unknown syscall family %s\n", name);
    exit(2);
  }
  printf("%s %s\n", name, r < 0 ? ename(errno) : "OK");
  return r;
}

static int cmd_status(void) {
  /* The capability and security lines of /proc/self/status, and the
   * CPUs it may run on. */
  FILE *f = fopen("/proc/self/status", "r");
  char line[512];
  while (f && fgets(line, sizeof(line), f))
    if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) ||
        !strncmp(line, "Seccomp:", 8) || !strncmp(line, "Uid:", 4) ||
        !strncmp(line, "Gid:", 4) ||
        !strncmp(line, "Cpus_allowed_list:", 18))
      fputs(line, stdout);
  if (f)
    fclose(f);
  return 0;
}

static int cmd_ps(void) {
  DIR *d = opendir("/proc");
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d)))
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9') {
      char p[300], comm[64] = "";
      snprintf(p, sizeof(p), "/proc/%s/comm", e->d_name);
      FILE *f = fopen(p, "r");
      if (f) {
        if (fgets(comm, sizeof(comm), f))
          comm[strcspn(comm, "\n")] = 0;
        fclose(f);
      }
      printf("pid %s %s\n", e->d_name, comm);
      n++;
    }
  printf("processes %d\n", n);
  return 0;
}

static int cmd_ifaces(void) {
  struct if_nameindex *ni = if_nameindex();
  for (struct if_nameindex *i = ni; i && i->if_index; i++)
    printf("iface %s\n", i->if_name);
  if_freenameindex(ni);
  return 0;
}

/* The network namespace's identity (net:[inode]), to compare with the
 * host's: an outer `unshare --net` has only lo too, so ifaces alone would
 * not tell the jail's namespace from the test's. */
static int cmd_netns(void) {
  char buf[64];
  ssize_t n = readlink("/proc/self/ns/net", buf, sizeof(buf) - 1);
  buf[n > 0 ? n : 0] = '\0';
  printf("netns %s\n", buf);
  return 0;
}

/* The jail's init holds the supervisor's memory (it is a copy of it):
 * nothing in the jail may read it, and what its memory, environment and
 * fds would show must stay closed ("init-closed mem EACCES" and so on). */
static int cmd_init_closed(void) {
  static const char *files[] = {"/proc/1/mem", "/proc/1/environ"};
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char b[64];
    int fd = open(files[i], O_RDONLY);
    int e = fd < 0 ? errno : 0;
    if (fd >= 0 && read(fd, b, sizeof(b)) < 0)
      e = errno;
    if (fd >= 0)
      close(fd);
    printf("init-closed %s %s\n", strrchr(files[i], '/') + 1, ename(e));
  }
  errno = 0;
  DIR *d = opendir("/proc/1/fd");
  int e = errno;
  if (d != NULL) {
    errno = 0;
    while (readdir(d) != NULL)
      ;
    e = errno;
    closedir(d);
  }
  printf("init-closed fd %s\n", ename(e));
  return 0;
}

static int cmd_write(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int e = fd < 0 ? errno : 0;
  if (fd >= 0) {
    if (write(fd, "x\n", 2) < 0)
      e = errno;
    close(fd);
  }
  printf("write %s %s\n", path, ename(e));
  return 0;
}

static int cmd_exists(const char *path) {
  struct stat st;
  printf("exists %s %s\n", path, lstat(path, &st) == 0 ? "yes" : "no");
  return 0;
}

static int cmd_forkbomb(void) {
  /* Fork until refused, at most 20000; children wait a little and go. */
  int n = 0, e = 0;
  for (; n < 20000; n++) {
    pid_t p = fork();
    if (p < 0) {
      e = errno;
      break;
    }
    if (p == 0) {
      sleep(2);
      _exit(0);
    }
  }
  printf("forkbomb stopped %s after %d\n", n < 20000 ? ename(e) : "NEVER", n);
  fflush(stdout);
  while (wait(NULL) > 0)
    ;
  return 0;
}

static int cmd_membomb(long mb) {
  /* Touch memory 16 MiB at a time up to mb MiB. */
  long got = 0;
  for (; got < mb; got += 16) {
    char *p = malloc(16 << 20);
    if (p == NULL) {
      printf("membomb refused ENOMEM at %ld MiB\n", got);
      return 0;
    }
    memset(p, 1, 16 << 20);
  }
  printf("membomb NEVER stopped at %ld MiB\n", got);
  return 0;
}

static int cmd_diskfill(const char *path, long mb) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    printf("diskfill open %s\n", ename(errno));
    return 0;
  }
  static char buf[1 << 20];
  memset(buf, 'A', sizeof(buf));
  long written = 0;
  for (; written < mb; written++)
    if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
      printf("diskfill stopped %s at %ld MiB\n", ename(errno), written);
      close(fd);
      unlink(path);
      return 0;
    }
  printf("diskfill NEVER stopped at %ld MiB\n", written);
  close(fd);
  unlink(path);
  return 0;
}

static int cmd_flood(long mb) {
  static char buf[1 << 16];
  memset(buf, 'F', sizeof(buf));
  for (long i = 0; i < mb * 16; i++)
    if (write(1, buf, sizeof(buf)) < 0)
      return 1;
  return 0;
}

static int cmd_daemon(long secs) {
  /* Double fork + setsid: the grandchild is reparented to the jail's init
   * and outlives the command. */
  pid_t p = fork();
  if (p == 0) {
    setsid();
    if (fork() == 0) {
      close(0);
      close(1);
      close(2);
      sleep((unsigned)secs);
      _exit(0);
    }
    _exit(0);
  }
  waitpid(p, NULL, 0);
  printf("daemon started\n");
  return 0;
}

static int cmd_mounts(void) {
  /* Every mount's options: the tests check nosuid everywhere and
   * read-only where expected. */
  FILE *f = fopen("/proc/self/mountinfo", "r");
  char line[4096];
  while (f && fgets(line, sizeof(line), f)) {
    char mp[1024], opts[512];
    if (sscanf(line, "%*d %*d %*s %*s %1023s %511s", mp, opts) == 2)
      printf("mount %s %s\n", mp, opts);
  }
  if (f)
    fclose(f);
  return 0;
}

int probe_rec_main(int argc, char **argv);

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    fprintf(stderr, "usage: probe CMD [ARG]...\n");
    return 2;
  }
  const char *c = argv[1];
  const char *a = argc > 2 ? argv[2] : "";
  long n = argc > 2 ? atol(argv[2]) : 0;
  if (!strcmp(c, "status"))
    return cmd_status();
  if (!strcmp(c, "ps"))
    return cmd_ps();
  if (!strcmp(c, "ifaces"))
    return cmd_ifaces();
  if (!strcmp(c, "netns"))
    return cmd_netns();
  if (!strcmp(c, "init-closed"))
    return cmd_init_closed();
  if (!strcmp(c, "write"))
    return cmd_write(a);
  if (!strcmp(c, "exists")) {
    for (int i = 2; i < argc; i++)
      cmd_exists(argv[i]);
    return 0;
  }
  if (!strcmp(c, "syscall")) {
    for (int i = 2; i < argc; i++)
      try_syscall(argv[i]);
    return 0;
  }
  if (!strcmp(c, "forkbomb"))
    return cmd_forkbomb();
  if (!strcmp(c, "membomb"))
    return cmd_membomb(n);
  if (!strcmp(c, "diskfill"))
    return cmd_diskfill(a, argc > 3 ? atol(argv[3]) : 1024);
  if (!strcmp(c, "flood"))
    return cmd_flood(n);
  if (!strcmp(c, "daemon"))
    return cmd_daemon(n);
  if (!strcmp(c, "mounts"))
    return cmd_mounts();
  if (!strcmp(c, "exit"))
    return (int)n;
  if (!strcmp(c, "signal")) {
    signal((int)n, SIG_DFL);
    raise((int)n);
    return 99;
  }
  if (!strcmp(c, "sleep")) {
    sleep((unsigned)n);
    return 0;
  }
  if (!strcmp(c, "hostname")) {
    char h[256];
    gethostname(h, sizeof(h));
    printf("hostname %s\nhome %s\nuser %s\n", h, getenv("HOME"),
           getenv("USER"));
    return 0;
  }
  return probe_rec_main(argc, argv);
}
