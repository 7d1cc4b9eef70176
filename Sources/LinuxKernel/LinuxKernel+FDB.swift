public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The remote entries (`self`, with a VTEP) of VXLAN devices in the default namespace.
    /// Equivalent to `bridge fdb show dev NAME` for each, keeping the entries that have a `dst`.
    public func fdbEntries(devices: [String]) async throws -> [FDBEntry] {
        try fdbEntries(devices: devices, in: nil)
    }

    /// Equivalent to `bridge fdb append MAC dev NAME dst VTEP self permanent` for the
    /// `00:00:00:00:00:00` flood entries (one per remote VTEP, they coexist), and to
    /// `bridge fdb replace MAC dev NAME dst VTEP self permanent` for a unicast MAC, which lives
    /// behind exactly one VTEP.
    public func addFDBEntry(_ entry: FDBEntry) async throws {
        try addFDBEntry(entry, in: nil)
    }

    /// Equivalent to `bridge fdb del MAC dev NAME dst VTEP self`.
    public func deleteFDBEntry(_ entry: FDBEntry) async throws {
        try deleteFDBEntry(entry, in: nil)
    }

    /// `fdbEntries(devices:)` in a namespace. Equivalent to `ip netns exec NS bridge fdb show dev NAME`.
    public func fdbEntries(devices: [String], in namespace: String?) throws -> [FDBEntry] {
        let socket = try socket(for: namespace)
        return try neighbourEntries(family: AF_BRIDGE, devices: devices, socket: socket,
                                    operation: "bridge fdb show dev \(devices.joined(separator: ","))") { entry, device in
            guard rtnl_neigh_get_flags(entry) & UInt32(NTF_SELF) != 0,
                  let mac = rtnl_neigh_get_lladdr(entry),
                  let vtep = rtnl_neigh_get_dst(entry)
            else { return nil }
            return FDBEntry(mac: NetlinkAddress.macString(mac), device: device, vtep: NetlinkAddress.ipString(vtep))
        }
    }

    /// `addFDBEntry(_:)` in a namespace.
    public func addFDBEntry(_ entry: FDBEntry, in namespace: String?) throws {
        let isFlood = entry.mac == FDBEntry.floodMAC
        let operation = "bridge fdb \(isFlood ? "append" : "replace") \(entry.mac) dev \(entry.device) dst \(entry.vtep) self permanent"
        let socket = try socket(for: namespace)
        let neighbour = try fdbNeighbour(entry, socket: socket, operation: operation)
        rtnl_neigh_set_state(neighbour.pointer, Int32(NUD_PERMANENT | NUD_NOARP))
        let flags = NLM_F_CREATE | (isFlood ? NLM_F_APPEND : NLM_F_REPLACE)
        try Netlink.call(operation) { rtnl_neigh_add(socket.pointer, neighbour.pointer, flags) }
    }

    /// `deleteFDBEntry(_:)` in a namespace.
    public func deleteFDBEntry(_ entry: FDBEntry, in namespace: String?) throws {
        let operation = "bridge fdb del \(entry.mac) dev \(entry.device) dst \(entry.vtep) self"
        let socket = try socket(for: namespace)
        let neighbour = try fdbNeighbour(entry, socket: socket, operation: operation)
        try Netlink.call(operation) { rtnl_neigh_delete(socket.pointer, neighbour.pointer, 0) }
    }

    /// An `AF_BRIDGE` neighbour for a VXLAN device's own table (`NTF_SELF`). The destination
    /// is set before the family: libnl rejects an IPv4 `dst` on an object already marked
    /// `AF_BRIDGE` with `NLE_AF_MISMATCH`.
    private func fdbNeighbour(_ entry: FDBEntry, socket: NetlinkSocket, operation: String) throws -> NeighbourObject {
        let index = try linkIndex(named: entry.device, socket: socket, for: operation)
        let mac = try NetlinkAddress.mac(entry.mac, operation: operation)
        let vtep = try NetlinkAddress.ip(entry.vtep, operation: operation)
        let neighbour = try NeighbourObject.make()
        rtnl_neigh_set_ifindex(neighbour.pointer, index)
        mac.withPointer { rtnl_neigh_set_lladdr(neighbour.pointer, $0) }
        try Netlink.call(operation) { vtep.withPointer { rtnl_neigh_set_dst(neighbour.pointer, $0) } }
        rtnl_neigh_set_family(neighbour.pointer, AF_BRIDGE)
        rtnl_neigh_set_flags(neighbour.pointer, UInt32(NTF_SELF))
        return neighbour
    }
}
