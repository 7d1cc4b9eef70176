public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// Bridge port settings, over netlink so they work in any namespace (the agent runs under
/// `nsenter --net`, where /sys shows another namespace's devices).
extension LinuxKernel {
    /// The bridge ports among `ports` with hairpin mode on, from one dump of the bridge ports
    /// (`RTM_GETLINK` for `AF_BRIDGE`, whose `IFLA_PROTINFO` carries `IFLA_BRPORT_MODE`).
    public func hairpinPorts(among ports: [String], in namespace: String?) async throws -> Set<String> {
        let socket = try socket(for: namespace)
        let wanted = Set(ports)
        let cache = try Cache.dump("bridge -d link show") { rtnl_link_alloc_cache(socket.pointer, AF_BRIDGE, $0) }
        return cache.withObjects { links in
            Set(links.compactMap { link -> String? in
                guard let name = rtnl_link_get_name(link).map({ String(cString: $0) }), wanted.contains(name),
                      rtnl_link_bridge_get_flags(link) & Int32(RTNL_BRIDGE_HAIRPIN_MODE.rawValue) != 0 else { return nil }
                return name
            })
        }
    }

    /// `RTM_SETLINK` for `AF_BRIDGE` with `IFLA_PROTINFO { IFLA_BRPORT_MODE }`, which the bridge
    /// takes as a port setting. Equivalent to `bridge link set dev NAME hairpin on|off`.
    func setHairpin(index: Int32, _ on: Bool, socket: NetlinkSocket, operation: String) throws {
        let message = try Netlink.allocate(operation, { nlmsg_alloc_simple(Int32(RTM_SETLINK), 0) })
        var header = ifinfomsg()
        header.ifi_family = UInt8(AF_BRIDGE)
        header.ifi_index = index
        do {
            try Netlink.call(operation) { nlmsg_append(message, &header, MemoryLayout<ifinfomsg>.size, Int32(NLMSG_ALIGNTO)) }
            guard let nest = nla_nest_start(message, Int32(IFLA_PROTINFO) | Int32(NLA_F_NESTED)) else {
                throw Netlink.invalid(operation, "no room for IFLA_PROTINFO")
            }
            try Netlink.call(operation) { nla_put_u8(message, Int32(IFLA_BRPORT_MODE), on ? 1 : 0) }
            try Netlink.call(operation) { nla_nest_end(message, nest) }
        } catch {
            nlmsg_free(message)
            throw error
        }
        try Netlink.call(operation) { nl_send_sync(socket.pointer, message) }  // frees the message
    }
}
