public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// Dumps the namespace's IPv4 conntrack table over `NETLINK_NETFILTER` and deletes each entry
    /// whose original destination and reply source match (zones included: each entry is deleted
    /// as dumped, zone and all). Equivalent to `conntrack -D --orig-dst VIP --reply-src ENDPOINT`.
    public func deleteConnections(_ filter: ConnectionFilter, in namespace: String?) async throws {
        let operation = KernelOperation.deleteConnections(filter, namespace: namespace).description
        let destination = try NetlinkAddress.ip(filter.originalDestination, operation: operation)
        let source = try NetlinkAddress.ip(filter.replySource, operation: operation)
        let socket = try namespace.map { name in try NetworkNamespace.perform(in: name) { try NetlinkSocket(protocol: NETLINK_NETFILTER) } }
            ?? NetlinkSocket(protocol: NETLINK_NETFILTER)
        let cache = try Cache.dump(operation) { nfnl_ct_alloc_cache(socket.pointer, $0) }
        let stale = cache.withObjects { entries in
            entries.filter { entry in
                guard nfnl_ct_get_family(entry) == UInt8(AF_INET),
                      let originalDestination = nfnl_ct_get_dst(entry, 0), let replySource = nfnl_ct_get_src(entry, 1) else { return false }
                return destination.withPointer { nl_addr_cmp($0, originalDestination) == 0 }
                    && source.withPointer { nl_addr_cmp($0, replySource) == 0 }
            }.map { entry in
                nl_object_get(entry)
                return entry
            }
        }
        defer { stale.forEach { nl_object_put($0) } }
        for entry in stale {
            let result = nfnl_ct_del(socket.pointer, entry, 0)
            // An entry that expired between the dump and the delete is gone already.
            guard result >= 0 || result == -NLE_OBJ_NOTFOUND else { try Netlink.call(operation) { result } ; return }
        }
    }
}
