/* Init and the supervisor on different CPUs while the jail is built.
 *
 * From the clone to CMD's start the two work side by side (init builds
 * the root and the network, the supervisor makes the honeytokens, HOME
 * and the groups). A scheduler that packs tasks onto few CPUs (as these
 * Firecracker guests' kernels do, `sched_vcpu_pack`; power-saving
 * placement elsewhere) queues init behind its parent for most of that
 * time while another CPU idles: a fork and its parent each busy for 1 ms
 * took 1.95 ms together there, 1.23 ms with the child's affinity set off
 * the parent's CPU (bench/README.md, twenty-fifth session). So init is
 * kept off the CPU the supervisor clones it on, and goes back to the
 * caller's own set of CPUs before it starts CMD, which inherits that set
 * whole. Only a hint: every failure is ignored, and with one allowed CPU
 * nothing is done. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <string.h>

void jail_cpus_read(struct jail_cpus *c) {
  memset(c, 0, sizeof(*c));
  c->valid = sched_getaffinity(0, sizeof(c->caller), &c->caller) == 0;
}

void jail_cpus_spread(const struct jail_cpus *c, pid_t init) {
  int cpu = sched_getcpu();
  if (!c->valid || cpu < 0 || cpu >= CPU_SETSIZE ||
      !CPU_ISSET(cpu, &c->caller) || CPU_COUNT(&c->caller) < 2)
    return;
  cpu_set_t others = c->caller;
  CPU_CLR(cpu, &others);
  /* init has not run yet: it moves now, without waiting for a tick. */
  (void)sched_setaffinity(init, sizeof(others), &others);
}

void jail_cpus_restore(const struct jail_cpus *c) {
  if (c->valid)
    (void)sched_setaffinity(0, sizeof(c->caller), &c->caller);
}
