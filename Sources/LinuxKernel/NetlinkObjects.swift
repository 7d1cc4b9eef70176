internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

// libnl objects import as `OpaquePointer`; these wrappers own one reference each and drop it in
// `deinit`, so a thrown error never leaks an object.

/// An owned `struct rtnl_link`.
final class LinkObject {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rtnl_link_put(pointer) }

    /// Runs `body` with the pointer, keeping this reference alive until it returns.
    func withPointer<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    /// An empty link object (`rtnl_link_alloc`).
    static func make() throws -> LinkObject {
        LinkObject(owning: try Netlink.allocate("rtnl_link_alloc", { rtnl_link_alloc() }))
    }
}

/// An owned `struct rtnl_neigh`.
final class NeighbourObject {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rtnl_neigh_put(pointer) }

    static func make() throws -> NeighbourObject {
        NeighbourObject(owning: try Netlink.allocate("rtnl_neigh_alloc", { rtnl_neigh_alloc() }))
    }
}

/// An owned `struct rtnl_addr`.
final class AddressObject {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rtnl_addr_put(pointer) }

    static func make() throws -> AddressObject {
        AddressObject(owning: try Netlink.allocate("rtnl_addr_alloc", { rtnl_addr_alloc() }))
    }
}

/// An owned `struct rtnl_route` (it owns its next hops).
final class RouteObject {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rtnl_route_put(pointer) }

    static func make() throws -> RouteObject {
        RouteObject(owning: try Netlink.allocate("rtnl_route_alloc", { rtnl_route_alloc() }))
    }
}

final class RuleObject {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rtnl_rule_put(pointer) }

    static func make() throws -> RuleObject {
        RuleObject(owning: try Netlink.allocate("rtnl_rule_alloc", { rtnl_rule_alloc() }))
    }
}

/// An owned `struct nl_cache`: one dump of links, neighbours, addresses or routes. The pointers
/// in `objects` are borrowed and valid only while the cache lives.
final class Cache {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { nl_cache_free(pointer) }

    /// Runs `body` with the cache's objects, keeping the cache alive until it returns.
    func withObjects<T>(_ body: ([OpaquePointer]) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(objects) }
    }

    private var objects: [OpaquePointer] {
        var result: [OpaquePointer] = []
        var object = nl_cache_get_first(pointer)
        while let current = object {
            result.append(current)
            object = nl_cache_get_next(current)
        }
        return result
    }

    /// The neighbour entries of one family (on one device, when given), filtered by the kernel: a
    /// request of our own (`RTM_GETNEIGH`, `NLM_F_DUMP`) parsed into a neighbour cache. The ARP
    /// and ND dumps take the device as `NDA_IFINDEX` after an `ndmsg`; the bridge FDB dump reads
    /// a request of that size as unfiltered, and takes the device as the `ifi_index` of an
    /// `ifinfomsg` header instead (as `bridge fdb show dev` sends it). A plain
    /// `rtnl_neigh_alloc_cache` dumps every family of every device: with a thousand ports on a
    /// bridge, thousands of FDB entries to read past.
    static func neighbours(socket: NetlinkSocket, family: Int32, device index: Int32?, operation: String) throws -> Cache {
        guard let ops = nl_cache_ops_lookup_safe("route/neigh") else { throw Netlink.invalid(operation, "no route/neigh cache in libnl") }
        defer { nl_cache_ops_put(ops) }
        let cache = Cache(owning: try Netlink.allocate(operation, { nl_cache_alloc(ops) }))
        let message = try Netlink.allocate(operation, { nlmsg_alloc_simple(Int32(RTM_GETNEIGH), NLM_F_DUMP) })
        defer { nlmsg_free(message) }
        if family == AF_BRIDGE {
            var header = ifinfomsg()
            header.ifi_family = UInt8(family)
            header.ifi_index = index ?? 0
            try Netlink.call(operation) { nlmsg_append(message, &header, MemoryLayout<ifinfomsg>.size, Int32(NLMSG_ALIGNTO)) }
        } else {
            var header = ndmsg()
            header.ndm_family = UInt8(family)
            try Netlink.call(operation) { nlmsg_append(message, &header, MemoryLayout<ndmsg>.size, Int32(NLMSG_ALIGNTO)) }
            if let index {
                try Netlink.call(operation) { nla_put_u32(message, Int32(NDA_IFINDEX), UInt32(bitPattern: index)) }
            }
        }
        try Netlink.call(operation) { nl_send_auto(socket.pointer, message) }
        try Netlink.call(operation) { nl_cache_pickup(socket.pointer, cache.pointer) }
        return cache
    }

    /// Runs an `rtnl_*_alloc_cache` call.
    static func dump(_ operation: String, _ body: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws -> Cache {
        var cache: OpaquePointer?
        try Netlink.call(operation) { body(&cache) }
        return Cache(owning: try Netlink.allocate(operation, { cache }))
    }
}

/// An owned `struct nl_addr`: an IP address (with prefix length) or a MAC address.
final class NetlinkAddress {
    let pointer: OpaquePointer
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { nl_addr_put(pointer) }

    /// Runs `body` with the pointer, keeping this reference alive until it returns.
    func withPointer<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try withExtendedLifetime(self) { try body(pointer) }
    }

    /// Parses an IPv4 or IPv6 address, optionally with `/prefix`.
    static func ip(_ text: String, operation: String) throws -> NetlinkAddress {
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" || $0 == "/" }) else {
            throw Netlink.invalid(operation, "not an IP address: \(text)")
        }
        let family = text.contains(":") ? AF_INET6 : AF_INET
        return try parse(text, family: family, operation: operation)
    }

    /// Parses a MAC address `aa:bb:cc:dd:ee:ff`.
    static func mac(_ text: String, operation: String) throws -> NetlinkAddress {
        let octets = text.split(separator: ":", omittingEmptySubsequences: false)
        guard octets.count == 6, octets.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else {
            throw Netlink.invalid(operation, "not a MAC address: \(text)")
        }
        return try parse(text, family: AF_LLC, operation: operation)
    }

    private static func parse(_ text: String, family: Int32, operation: String) throws -> NetlinkAddress {
        var address: OpaquePointer?
        try Netlink.call(operation) { nl_addr_parse(text, family, &address) }
        return NetlinkAddress(owning: try Netlink.allocate(operation, { address }))
    }

    /// Formats a borrowed IPv4/IPv6 `nl_addr` without its prefix ("0.0.0.0" for an empty one).
    static func ipString(_ address: OpaquePointer) -> String {
        let family = nl_addr_get_family(address)
        let length = Int(nl_addr_get_len(address))
        var bytes = [UInt8](repeating: 0, count: family == AF_INET6 ? 16 : 4)
        if length > 0, length <= bytes.count, let binary = nl_addr_get_binary_addr(address) {
            bytes.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: binary, count: length)) }
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = bytes.withUnsafeBytes { inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        let text = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// Formats a borrowed link-layer `nl_addr` as lower-case `aa:bb:cc:dd:ee:ff`.
    static func macString(_ address: OpaquePointer) -> String {
        let length = Int(nl_addr_get_len(address))
        guard length > 0, let binary = nl_addr_get_binary_addr(address) else { return "" }
        let bytes = UnsafeRawBufferPointer(start: binary, count: length)
        return bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
