/* The jail's network namespace, configured over netlink with libnl-route:
 * lo up, and "AnyIP" local routes (0.0.0.0/0 and ::/0 of type local on
 * lo, table local), so that every address the sample connects to is local
 * and lands on a listener the supervisor owns. No other interface exists,
 * so nothing can leave. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

static int nlerr(pt_err **err, int nl, const char *what) {
  return pt_err_make(err, 0, "%s: %s", what, nl_geterror(nl));
}

static int add_anyip(struct nl_sock *sk, int family, const char *prefix,
                     int ifindex, pt_err **err) {
  struct nl_addr *dst = NULL;
  int rc = nl_addr_parse(prefix, family, &dst);
  if (rc < 0)
    return nlerr(err, rc, "parse route prefix");
  struct rtnl_route *r = rtnl_route_alloc();
  struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
  if (r == NULL || nh == NULL) {
    nl_addr_put(dst);
    rtnl_route_put(r);
    return pt_err_make(err, ENOMEM, "route");
  }
  rtnl_route_set_family(r, (uint8_t)family);
  rtnl_route_set_table(r, RT_TABLE_LOCAL);
  rtnl_route_set_type(r, RTN_LOCAL);
  rtnl_route_set_scope(r, RT_SCOPE_HOST);
  rtnl_route_set_protocol(r, RTPROT_BOOT);
  rtnl_route_set_dst(r, dst);
  rtnl_route_nh_set_ifindex(nh, ifindex);
  rtnl_route_add_nexthop(r, nh); /* the route owns nh now */
  rc = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE);
  rtnl_route_put(r);
  nl_addr_put(dst);
  if (rc < 0)
    return pt_err_make(err, 0, "add local route %s dev lo: %s", prefix,
                       nl_geterror(rc));
  return 0;
}

int jail_net_setup(pt_err **err) {
  struct nl_sock *sk = nl_socket_alloc();
  if (sk == NULL)
    return pt_err_make(err, ENOMEM, "netlink socket");
  int ret = -1;
  struct rtnl_link *lo = NULL, *change = NULL;
  int rc = nl_connect(sk, NETLINK_ROUTE);
  if (rc < 0) {
    nlerr(err, rc, "netlink connect");
    goto out;
  }
  rc = rtnl_link_get_kernel(sk, 0, "lo", &lo);
  if (rc < 0) {
    nlerr(err, rc, "get link lo");
    goto out;
  }
  change = rtnl_link_alloc();
  if (change == NULL) {
    pt_err_make(err, ENOMEM, "link");
    goto out;
  }
  rtnl_link_set_flags(change, IFF_UP);
  rc = rtnl_link_change(sk, lo, change, 0);
  if (rc < 0) {
    nlerr(err, rc, "set lo up");
    goto out;
  }
  int ifindex = rtnl_link_get_ifindex(lo);
  if (add_anyip(sk, AF_INET, "0.0.0.0/0", ifindex, err) < 0)
    goto out;
  /* IPv6 may be disabled on the host (no ::1 on lo): then the jail has no
   * IPv6 at all, which is fine, so a failure here is not fatal. */
  pt_err *e6 = NULL;
  if (add_anyip(sk, AF_INET6, "::/0", ifindex, &e6) < 0)
    pt_err_free(e6);
  ret = 0;
out:
  rtnl_link_put(change);
  rtnl_link_put(lo);
  nl_socket_free(sk);
  return ret;
}

/* ---- a namespace made ahead (jail.h) ---------------------------------- */

struct jail_netns {
  int fd;   /* the namespace */
  int back; /* the entering thread's own, between enter and leave */
};

static int open_own_netns(void) {
  return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

struct jail_netns *jail_netns_new(pt_err **err) {
  struct jail_netns *n = calloc(1, sizeof(*n));
  if (n == NULL) {
    pt_err_make(err, ENOMEM, "network namespace");
    return NULL;
  }
  n->fd = n->back = -1;
  int own = open_own_netns();
  if (own < 0) {
    pt_err_make(err, errno, "open /proc/thread-self/ns/net");
    free(n);
    return NULL;
  }
  /* The namespace is the calling thread's alone (unshare(2) of a network
   * namespace does not need a single-threaded process), until it goes
   * back to its own below. */
  int rc = -1;
  if (unshare(CLONE_NEWNET) < 0) {
    pt_err_make(err, errno, "unshare network namespace");
  } else {
    rc = jail_net_setup(err);
    if (rc == 0 && (n->fd = open_own_netns()) < 0)
      rc = pt_err_make(err, errno, "open the new network namespace");
    if (setns(own, CLONE_NEWNET) < 0)
      abort(); /* root, back to where it was: cannot fail; never stay */
  }
  close(own);
  if (rc < 0) {
    jail_netns_free(n);
    return NULL;
  }
  return n;
}

void jail_netns_free(struct jail_netns *n) {
  if (n == NULL)
    return;
  if (n->fd >= 0)
    close(n->fd);
  if (n->back >= 0)
    close(n->back);
  free(n);
}

int jail_netns_enter(struct jail_netns *n, pt_err **err) {
  n->back = open_own_netns();
  if (n->back < 0)
    return pt_err_make(err, errno, "open /proc/thread-self/ns/net");
  if (setns(n->fd, CLONE_NEWNET) < 0) {
    int e = errno;
    close(n->back);
    n->back = -1;
    return pt_err_make(err, e, "enter the jail's network namespace");
  }
  return 0;
}

int jail_netns_leave(struct jail_netns *n) {
  int rc = setns(n->back, CLONE_NEWNET);
  close(n->back);
  n->back = -1;
  return rc;
}
