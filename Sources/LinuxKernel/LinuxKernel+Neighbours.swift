public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// Permanent IPv4/IPv6 neighbour entries of devices (see `neighbourEntries`).
    /// Equivalent to `ip neigh show dev NAME nud permanent` for each.
    public func neighbours(devices: [String], in namespace: String?) async throws -> [Neighbour] {
        let socket = try socket(for: namespace)
        let operation = "ip neigh show dev \(devices.joined(separator: ",")) nud permanent"
        return try [AF_INET, AF_INET6].flatMap { family in
            try neighbourEntries(family: family, devices: devices, socket: socket, operation: operation) { entry, device in
                guard rtnl_neigh_get_state(entry) & Int32(NUD_PERMANENT) != 0,
                      let ip = rtnl_neigh_get_dst(entry),
                      let mac = rtnl_neigh_get_lladdr(entry)
                else { return nil }
                return Neighbour(ip: NetlinkAddress.ipString(ip), mac: NetlinkAddress.macString(mac), device: device)
            }
        }
    }

    /// Equivalent to `ip neigh replace IP lladdr MAC dev NAME nud permanent`.
    public func addNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        let operation = "ip neigh replace \(neighbour.ip) lladdr \(neighbour.mac) dev \(neighbour.device) nud permanent"
        let socket = try socket(for: namespace)
        let object = try neighbourObject(neighbour, socket: socket, operation: operation)
        let mac = try NetlinkAddress.mac(neighbour.mac, operation: operation)
        mac.withPointer { rtnl_neigh_set_lladdr(object.pointer, $0) }
        rtnl_neigh_set_state(object.pointer, Int32(NUD_PERMANENT))
        try Netlink.call(operation) { rtnl_neigh_add(socket.pointer, object.pointer, NLM_F_CREATE | NLM_F_REPLACE) }
    }

    /// Equivalent to `ip neigh del IP dev NAME`.
    public func deleteNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        let operation = "ip neigh del \(neighbour.ip) dev \(neighbour.device)"
        let socket = try socket(for: namespace)
        let object = try neighbourObject(neighbour, socket: socket, operation: operation)
        try Netlink.call(operation) { rtnl_neigh_delete(socket.pointer, object.pointer, 0) }
    }

    private func neighbourObject(_ neighbour: Neighbour, socket: NetlinkSocket, operation: String) throws -> NeighbourObject {
        let index = try linkIndex(named: neighbour.device, socket: socket, for: operation)
        let ip = try NetlinkAddress.ip(neighbour.ip, operation: operation)
        let object = try NeighbourObject.make()
        rtnl_neigh_set_ifindex(object.pointer, index)
        try Netlink.call(operation) { ip.withPointer { rtnl_neigh_set_dst(object.pointer, $0) } }
        return object
    }
}
