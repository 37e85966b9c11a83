/* timeit: wall-clock start-to-exit time of a few commands, interleaved.
 *
 *   timeit [-n ROUNDS] [-w WARMUP] [-r RAWFILE] \
 *          LABEL [-u USER] [NAME=VALUE]... CMD [ARG]... ::: LABEL ... :::
 *
 * Each round runs every command once (fork, optional drop to USER, execve,
 * waitpid), timed with CLOCK_MONOTONIC around the whole thing; the order
 * rotates each round so no command always follows the same neighbour on a
 * noisy machine. stdout/stderr of the commands go to /dev/null; a command
 * that exits non-zero stops the benchmark (a failing jail is fast, and
 * wrong). Prints one line per command:
 *
 *   LABEL median_ms p25_ms p75_ms min_ms rounds
 *
 * Dropping to USER is done here (setgroups/setgid/setuid before execve),
 * not with runuser(1), whose PAM session would be timed too. NAME=VALUE
 * entries replace or add to the inherited environment, as env(1) does.
 * Built by bench/start.sh with `cc -O2`; not part of the CMake build. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
  const char *label;
  uid_t uid;
  gid_t gid;
  bool drop;
  char **env;
  char **argv;
  double *ms;
};

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(const double *sorted, int n, double p) {
  double pos = p * (n - 1);
  int lo = (int)pos;
  int hi = lo + 1 < n ? lo + 1 : lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

static char **make_env(char **sets, int n) {
  size_t base = 0;
  while (environ[base])
    base++;
  char **env = calloc(base + (size_t)n + 1, sizeof(char *));
  if (env == NULL)
    exit(2);
  size_t k = 0;
  for (size_t i = 0; i < base; i++) {
    bool replaced = false;
    for (int j = 0; j < n; j++) {
      size_t l = (size_t)(strchr(sets[j], '=') - sets[j]) + 1;
      if (strncmp(environ[i], sets[j], l) == 0)
        replaced = true;
    }
    if (!replaced)
      env[k++] = environ[i];
  }
  for (int j = 0; j < n; j++)
    env[k++] = sets[j];
  env[k] = NULL;
  return env;
}

static double run_once(const struct cmd *c) {
  double t0 = now_ms();
  pid_t pid = fork();
  if (pid < 0) {
    perror("timeit: fork");
    exit(2);
  }
  if (pid == 0) {
    int nul = open("/dev/null", O_RDWR);
    if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 ||
        (getenv("TIMEIT_SHOW_STDERR") == NULL && dup2(nul, 2) < 0))
      _exit(120);
    if (c->drop && (setgroups(0, NULL) < 0 || setgid(c->gid) < 0 ||
                    setuid(c->uid) < 0))
      _exit(121);
    execve(c->argv[0], c->argv, c->env);
    _exit(122);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) {
      perror("timeit: waitpid");
      exit(2);
    }
  double dt = now_ms() - t0;
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr,
            "timeit: `%s` (%s) failed: %s %d (rerun with "
            "TIMEIT_SHOW_STDERR=1 to see why)\n",
            c->label, c->argv[0], WIFEXITED(st) ? "exit" : "signal",
            WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    exit(1);
  }
  return dt;
}

static void usage(void) {
  fputs("usage: timeit [-n ROUNDS] [-w WARMUP] [-r RAWFILE] LABEL [-u USER] "
        "[NAME=VALUE]... CMD [ARG]... [::: LABEL ...]\n",
        stderr);
  exit(2);
}

int main(int argc, char **argv) {
  int rounds = 40, warmup = 3;
  const char *raw = NULL;
  int opt;
  while ((opt = getopt(argc, argv, "+n:w:r:")) != -1) {
    switch (opt) {
    case 'n':
      rounds = atoi(optarg);
      break;
    case 'w':
      warmup = atoi(optarg);
      break;
    case 'r':
      raw = optarg;
      break;
    default:
      usage();
    }
  }
  if (rounds < 1 || warmup < 0 || optind >= argc)
    usage();
  struct cmd cmds[16];
  int nc = 0;
  for (int i = optind; i < argc;) {
    if (nc == 16)
      usage();
    struct cmd *c = &cmds[nc++];
    memset(c, 0, sizeof(*c));
    c->label = argv[i++];
    if (i + 1 < argc && strcmp(argv[i], "-u") == 0) {
      struct passwd *pw = getpwnam(argv[i + 1]);
      if (pw == NULL) {
        fprintf(stderr, "timeit: no user `%s`\n", argv[i + 1]);
        return 2;
      }
      c->uid = pw->pw_uid;
      c->gid = pw->pw_gid;
      c->drop = true;
      i += 2;
    }
    int set0 = i;
    while (i < argc && strchr(argv[i], '=') && argv[i][0] != '/')
      i++;
    c->env = make_env(argv + set0, i - set0);
    int a0 = i;
    while (i < argc && strcmp(argv[i], ":::") != 0)
      i++;
    if (i == a0)
      usage();
    c->argv = calloc((size_t)(i - a0 + 1), sizeof(char *));
    memcpy(c->argv, argv + a0, (size_t)(i - a0) * sizeof(char *));
    if (i < argc)
      argv[i++] = NULL;
    c->ms = calloc((size_t)rounds, sizeof(double));
    if (c->argv == NULL || c->ms == NULL)
      return 2;
  }
  for (int w = 0; w < warmup; w++)
    for (int k = 0; k < nc; k++)
      (void)run_once(&cmds[k]);
  for (int r = 0; r < rounds; r++)
    for (int k = 0; k < nc; k++) {
      struct cmd *c = &cmds[(k + r) % nc];
      c->ms[r] = run_once(c);
    }
  FILE *rf = raw ? fopen(raw, "w") : NULL;
  for (int k = 0; k < nc; k++) {
    struct cmd *c = &cmds[k];
    if (rf) {
      fprintf(rf, "%s", c->label);
      for (int r = 0; r < rounds; r++)
        fprintf(rf, " %.3f", c->ms[r]);
      fputc('\n', rf);
    }
    qsort(c->ms, (size_t)rounds, sizeof(double), cmp_double);
    printf("%s %.3f %.3f %.3f %.3f %d\n", c->label, pct(c->ms, rounds, 0.5),
           pct(c->ms, rounds, 0.25), pct(c->ms, rounds, 0.75), c->ms[0],
           rounds);
  }
  if (rf)
    fclose(rf);
  return 0;
}
