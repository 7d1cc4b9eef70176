import Foundation
import Northbound

extension Store {
    static let externalNetworkList = ListRequest(table: "external_networks", filterColumns: ["name": "name"], hasLabels: true)

    /// External networks are created by admins and readable by every tenant, which picks them for uplinks and floating IPs.
    public func createExternalNetwork(_ request: ExternalNetworkCreate, scope: Scope) async throws -> Committed<ExternalNetwork> {
        try Self.requireAdmin(scope)
        let name = try Validate.name(request.name)
        let addressing = try request.validatedAddressing()
        let labels = try Validate.labels(request.labels)
        let dnsServers = try ExternalNetwork.validatedDNSServers(request.dnsServers ?? [])
        return try await write { db, revision in
            try WriteChecks.requireUnique(db, table: "external_networks", kind: "external network", name: name)
            for other in try db.rows(sql: "SELECT name, cidr FROM external_networks") {
                if let cidr = IPv4Network(other["cidr"] as String), cidr.overlaps(addressing.network) {
                    throw ModelError(.cidrOverlap, field: "cidr", "\(addressing.network) overlaps external network '\(other["name"] as String)' (\(cidr))")
                }
            }
            let network = ExternalNetwork(
                id: WriteChecks.newID(.externalNetwork), name: name, cidr: addressing.network.description,
                gateway: addressing.gateway.description, poolStart: addressing.pool.lowerBound.description,
                poolEnd: addressing.pool.upperBound.description, dnsServers: dnsServers, labels: labels, revision: revision)
            try db.execute(sql: """
                INSERT INTO external_networks (id, name, cidr, gateway, pool_start, pool_end, dns_servers, labels, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [network.id, name, network.cidr, network.gateway, Int64(addressing.pool.lowerBound.value),
                                 Int64(addressing.pool.upperBound.value), Self.encodeAddresses(dnsServers), LabelsColumn.encode(labels), revision])
            return network
        }
    }

    public func externalNetwork(_ id: String, scope: Scope) async throws -> ExternalNetwork {
        try await read { db in try Self.decodeExternalNetwork(Self.externalNetworkRow(db, id)) }
    }

    public func externalNetworks(_ query: ListQuery, scope: Scope) async throws -> Page<ExternalNetwork> {
        try await read { db in
            try Self.externalNetworkList.page(db, query: query, visibility: SQLFilter(), decode: Self.decodeExternalNetwork)
        }
    }

    public func updateExternalNetwork(_ id: String, _ request: ExternalNetworkUpdate, scope: Scope) async throws -> Committed<ExternalNetwork> {
        try Self.requireAdmin(scope)
        let labels = try request.labels.map { try Validate.labels($0) }
        let dnsServers = try request.dnsServers.map { try ExternalNetwork.validatedDNSServers($0) }
        return try await write { db, revision in
            var network = try Self.decodeExternalNetwork(Self.externalNetworkRow(db, id))
            if let labels { network.labels = labels }
            if let dnsServers { network.dnsServers = dnsServers }
            network.revision = revision
            try db.execute(sql: "UPDATE external_networks SET dns_servers = ?, labels = ?, revision = ? WHERE id = ?",
                                 arguments: [Self.encodeAddresses(network.dnsServers), LabelsColumn.encode(network.labels), revision, id])
            return network
        }
    }

    public func deleteExternalNetwork(_ id: String, scope: Scope) async throws -> Committed<String> {
        try Self.requireAdmin(scope)
        return try await write { db, _ in
            _ = try Self.externalNetworkRow(db, id)
            try WriteChecks.requireUnused(db, kind: "external network", id: id, references: [
                ("routers", "external_network", "router uplinks"), ("floating_ips", "external_network", "floating IPs"),
            ])
            try db.execute(sql: "DELETE FROM external_networks WHERE id = ?", arguments: [id])
            return id
        }
    }

    static func externalNetworkRow(_ db: any SQLConnection, _ id: String, field: String? = nil) throws -> SQLRow {
        guard let row = try db.row(sql: "SELECT * FROM external_networks WHERE id = ?", arguments: [id]) else {
            throw ModelError.notFound("external network", id, field: field)
        }
        return row
    }

    static func decodeExternalNetwork(_ row: SQLRow) throws -> ExternalNetwork {
        ExternalNetwork(id: row["id"], name: row["name"], cidr: row["cidr"], gateway: row["gateway"],
                        poolStart: IPv4Address(UInt32(row["pool_start"] as Int64)).description,
                        poolEnd: IPv4Address(UInt32(row["pool_end"] as Int64)).description,
                        dnsServers: (try? JSONDecoder().decode([String].self, from: Data((row["dns_servers"] as String).utf8))) ?? [],
                        labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }

    /// A list of addresses as the JSON array its column holds.
    static func encodeAddresses(_ addresses: [String]) -> String {
        "[" + addresses.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}
