/* The jail's network namespace, configured over netlink with libnl-route:
 * lo up, and "AnyIP" local routes (0.0.0.0/0 and ::/0 of type local on
 * lo, table local), so that every address the sample connects to is local
 * and lands on a listener the supervisor owns. No other interface exists,
 * so nothing can leave. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <stdlib.h>

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
  /* lo is ifindex 1 in every network namespace (LOOPBACK_IFINDEX, since
   * Linux 3.7): addressed by it, without asking the kernel for the link
   * first (a round trip and libnl's parse of a whole link: ~0.1 ms of the
   * jail's start). Asked for by name only if that fails. */
  lo = rtnl_link_alloc();
  change = rtnl_link_alloc();
  if (lo == NULL || change == NULL) {
    pt_err_make(err, ENOMEM, "link");
    goto out;
  }
  rtnl_link_set_ifindex(lo, 1);
  rtnl_link_set_flags(change, IFF_UP);
  rc = rtnl_link_change(sk, lo, change, 0);
  if (rc < 0) {
    rtnl_link_put(lo);
    lo = NULL;
    rc = rtnl_link_get_kernel(sk, 0, "lo", &lo);
    if (rc < 0) {
      nlerr(err, rc, "get link lo");
      goto out;
    }
    rc = rtnl_link_change(sk, lo, change, 0);
  }
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
