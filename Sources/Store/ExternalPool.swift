import Northbound

/// Addresses taken from an external network's pool, for router uplinks and floating IPs.
enum ExternalPool {
    static func allocate(_ db: any SQLConnection, network id: String, requested: IPv4Address?, owner: String, field: String) throws -> IPv4Address {
        guard let row = try db.row(sql: "SELECT * FROM external_networks WHERE id = ?", arguments: [id]) else {
            throw ModelError.notFound("external network", id, field: "externalNetwork")
        }
        let pool = UInt64(row["pool_start"] as Int64)...UInt64(row["pool_end"] as Int64)
        func isFree(_ value: UInt64) throws -> Bool {
            try db.value(Bool.self, sql: "SELECT 1 FROM external_addresses WHERE external_network = ? AND address = ?",
                              arguments: [id, Int64(value)]) == nil
        }
        let value: UInt64
        if let requested {
            guard pool.contains(UInt64(requested.value)) else {
                throw ModelError(.ipOutOfRange, field: field, "\(requested) is outside the pool \(IPv4Address(UInt32(pool.lowerBound)))-\(IPv4Address(UInt32(pool.upperBound)))")
            }
            guard try isFree(UInt64(requested.value)) else { throw ModelError(.ipTaken, field: field, "\(requested) is already allocated") }
            value = UInt64(requested.value)
        } else {
            let hint: Int64? = row["next_ip"]
            guard let free = try IPAM.firstFree(in: pool, from: hint.map(UInt64.init), isFree: isFree) else {
                throw ModelError(.poolExhausted, field: field, "the pool of external network '\(id)' is exhausted")
            }
            value = free
            try db.execute(sql: "UPDATE external_networks SET next_ip = ? WHERE id = ?", arguments: [Int64(free) + 1, id])
        }
        try db.execute(sql: "INSERT INTO external_addresses (external_network, address, owner) VALUES (?, ?, ?)",
                       arguments: [id, Int64(value), owner])
        return IPv4Address(UInt32(value))
    }

    static func release(_ db: any SQLConnection, owner: String) throws {
        try db.execute(sql: "DELETE FROM external_addresses WHERE owner = ?", arguments: [owner])
    }
}
