import Northbound

/// MAC and IP assignment for a new port on one switch, inside the port's write transaction.
///
/// The single writer plus the UNIQUE indexes on (switch, ip) make double allocation impossible;
/// the per-switch hints keep allocation from rescanning the subnet.
struct PortAddressing {
    let db: any SQLConnection
    let switchID: String
    let network: IPv4Network
    let gateway: IPv4Address
    let network6: IPv6Network?
    let gateway6: IPv6Address?
    private(set) var nextIP: Int64?
    private(set) var nextIP6: Int64?

    init(db: any SQLConnection, switchRow: SQLRow) throws {
        self.db = db
        switchID = switchRow["id"]
        network = IPv4Network(switchRow["cidr"] as String)!
        gateway = IPv4Address(switchRow["gateway"] as String)!
        network6 = (switchRow["cidr6"] as String?).flatMap { IPv6Network($0) }
        gateway6 = (switchRow["gateway6"] as String?).flatMap { IPv6Address($0) }
        nextIP = switchRow["next_ip"]
        nextIP6 = switchRow["next_ip6"]
    }

    func mac(_ requested: MACAddress?) throws -> MACAddress {
        if let requested {
            guard try !taken(mac: requested) else {
                throw ModelError(.macTaken, field: "mac", "MAC \(requested) is already in use")
            }
            return requested
        }
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = MACAddress.randomLocal(using: &generator)
            if try !taken(mac: candidate) { return candidate }
        }
    }

    private func taken(mac: MACAddress) throws -> Bool {
        try db.value(Bool.self, sql: "SELECT 1 FROM ports WHERE mac = ?", arguments: [mac.description]) ?? false
    }

    mutating func ipv4(_ requested: IPv4Address?) throws -> IPv4Address {
        if let requested {
            guard network.containsHost(requested) else {
                throw ModelError(.ipOutOfRange, field: "ip", "\(requested) is not a host address of the switch's subnet \(network)")
            }
            guard try isFree(requested.value) else { throw ModelError(.ipTaken, field: "ip", "\(requested) is already in use on this switch") }
            return requested
        }
        let range = UInt64(network.firstHost.value)...UInt64(network.lastHost.value)
        guard let value = try IPAM.firstFree(in: range, from: nextIP.map(UInt64.init), isFree: { try isFree(UInt32($0)) }) else {
            throw ModelError(.poolExhausted, field: "ip", "no free address left in \(network)")
        }
        nextIP = Int64(value) + 1
        return IPv4Address(UInt32(value))
    }

    private func isFree(_ value: UInt32) throws -> Bool {
        guard value != gateway.value else { return false }
        let used = try db.value(Bool.self, sql: """
            SELECT 1 FROM ports WHERE switch = ?1 AND ip_value = ?2
            UNION ALL SELECT 1 FROM router_interfaces WHERE switch = ?1 AND ip_value = ?2
            """, arguments: [switchID, Int64(value)])
        return used == nil
    }

    mutating func ipv6(_ requested: IPv6Address?) throws -> IPv6Address? {
        guard let network6 else {
            if requested != nil { throw ModelError(.invalidValue, field: "ip6", "the switch has no IPv6 subnet") }
            return nil
        }
        if let requested {
            guard network6.contains(requested), requested != network6.address else {
                throw ModelError(.ipOutOfRange, field: "ip6", "\(requested) is not a host address of \(network6)")
            }
            guard try isFree6(requested) else { throw ModelError(.ipTaken, field: "ip6", "\(requested) is already in use on this switch") }
            return requested
        }
        guard let offset = try IPAM.firstFree(in: IPAM.ipv6Offsets(network6), from: nextIP6.map(UInt64.init),
                                              isFree: { try isFree6(network6.address.adding($0)) }) else {
            throw ModelError(.poolExhausted, field: "ip6", "no free address left in \(network6)")
        }
        nextIP6 = Int64(offset) + 1
        return network6.address.adding(offset)
    }

    private func isFree6(_ address: IPv6Address) throws -> Bool {
        guard address != gateway6 else { return false }
        return try db.value(Bool.self, sql: "SELECT 1 FROM ports WHERE switch = ? AND ip6 = ?", arguments: [switchID, address.description]) == nil
    }

    func saveHints() throws {
        try db.execute(sql: "UPDATE switches SET next_ip = ?, next_ip6 = ? WHERE id = ?", arguments: [nextIP, nextIP6, switchID])
    }
}
