// libnl-3 / libnl-route-3 / libnl-nf-3 as one Clang module for LinuxKernel. Only LinuxKernel imports it.
#ifndef SWITCHYARD_CNETLINK_SHIM_H
#define SWITCHYARD_CNETLINK_SHIM_H

// glibc before the kernel UAPI headers: <linux/libc-compat.h> then skips its own in6_addr and
// sockaddr_in6, which would otherwise clash with Glibc's in any module importing both.
#include <sys/socket.h>
#include <netinet/in.h>
#include <net/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/cache.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/rule.h>
#include <linux/fib_rules.h>
#include <netlink/netfilter/ct.h>

// Macros Swift cannot import (or imports with an awkward type), as typed constants.
static const unsigned int cnl_iff_up = IFF_UP;
static const uint8_t cnl_addr_gen_mode_eui64 = IN6_ADDR_GEN_MODE_EUI64;
static const uint8_t cnl_addr_gen_mode_none = IN6_ADDR_GEN_MODE_NONE;
// The kernel headers libnl-nf pulls in declare socket types of their own, which hide Glibc's.
static const int cnl_sock_stream_cloexec = SOCK_STREAM | SOCK_CLOEXEC;
static const int cnl_sock_raw_cloexec = SOCK_RAW | SOCK_CLOEXEC;
static const int cnl_sock_dgram_cloexec = SOCK_DGRAM | SOCK_CLOEXEC;

// setns(2) is declared by <sched.h> only under _GNU_SOURCE, which a module map cannot set.
extern int setns(int fd, int nstype);
/// Moves the calling thread into the network namespace open at `fd`.
static inline int cnl_setns_network(int fd) { return setns(fd, 0x40000000 /* CLONE_NEWNET */); }

// unshare(2) is declared by <sched.h> only under _GNU_SOURCE, too.
extern int unshare(int flags);
/// Moves the calling thread into a new, empty network namespace.
static inline int cnl_unshare_network(void) { return unshare(0x40000000 /* CLONE_NEWNET */); }

#endif
