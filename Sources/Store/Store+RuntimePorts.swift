import Northbound

/// What a host's container runtime asks for: a port on a switch of a cluster the host belongs to.
/// `tenant`, `switch` and `cluster` are ids or names (names within the tenant); an empty `cluster`
/// stands for the one cluster of the tenant that lists the host.
public struct RuntimePortRequest: Sendable, Equatable {
    public var tenant: String
    public var `switch`: String
    public var cluster: String
    public var ip: String?
    public var labels: [String: String]
    public var runtime: String
    public var containerID: String
    public var interface: String

    public init(tenant: String, switch: String, cluster: String, ip: String? = nil, labels: [String: String] = [:],
                runtime: String, containerID: String, interface: String) {
        self.tenant = tenant
        self.switch = `switch`
        self.cluster = cluster
        self.ip = ip
        self.labels = labels
        self.runtime = runtime
        self.containerID = containerID
        self.interface = interface
    }
}

extension Store {
    /// Creates the port a runtime on host `hostID` asked for, bound to that host and owned by the
    /// attachment; the same attachment asking again gets the same port. The host must be one of
    /// the cluster's hosts, and the switch the cluster's tenant's (and its project's, when both
    /// have one): that is the host's whole authority, since it holds no token.
    public func createRuntimePort(_ request: RuntimePortRequest, host hostID: String) async throws -> Committed<Port> {
        let labels = try Validate.labels(request.labels)
        let ip = try request.ip.map { try Validate.ipv4($0, field: "ip") }
        let owner = try Self.validatedOwner(host: hostID, runtime: request.runtime, containerID: request.containerID,
                                            interface: request.interface)
        return try await write { db, revision in
            if let existing = try Self.ownedPorts(db, owner: owner, interface: owner.interface).first { return existing }
            let tenant = try Self.tenantRow(db, idOrName: request.tenant)
            let tenantID: String = tenant["id"]
            let decoded = try Self.runtimeCluster(db, tenant: tenantID, idOrName: request.cluster, host: hostID)
            guard decoded.hosts.contains(hostID) else {
                throw ModelError(.forbidden, field: "cluster", "this host is not one of cluster \(decoded.name)'s hosts")
            }
            guard let switchRow = try db.row(sql: "SELECT * FROM switches WHERE tenant = ? AND (id = ? OR name = ?)",
                                                   arguments: [tenantID, request.switch, request.switch]) else {
                throw ModelError.notFound("switch", request.switch, field: "switch")
            }
            if let project = decoded.project, let switchProject: String = switchRow["project"], switchProject != project {
                throw ModelError(.forbidden, field: "switch", "switch \(request.switch) is not in cluster \(decoded.name)'s project")
            }
            try WriteChecks.requireQuota(db, tenant: tenantID, kind: \.ports, table: "ports", label: "ports")
            let name = Self.runtimePortName(owner)
            try WriteChecks.requireUnique(db, table: "ports", kind: "port on this switch", name: name, within: ("switch", switchRow["id"]))
            return try Self.insertPort(db, revision: revision, switchRow: switchRow, name: name, mac: nil, ip: ip, ip6: nil,
                                       host: hostID, cluster: decoded.id, labels: labels, owner: owner)
        }
    }

    /// The cluster a runtime named, or, when it named none, the one cluster of the tenant that lists
    /// the host (none or several is a refusal that says so).
    static func runtimeCluster(_ db: any SQLConnection, tenant: String, idOrName: String, host: String) throws -> Cluster {
        if !idOrName.isEmpty {
            guard let row = try db.row(sql: "SELECT * FROM clusters WHERE tenant = ? AND (id = ? OR name = ?)",
                                             arguments: [tenant, idOrName, idOrName]) else {
                throw ModelError.notFound("cluster", idOrName, field: "cluster")
            }
            return try decodeCluster(row)
        }
        let listing = try db.rows(sql: "SELECT * FROM clusters WHERE tenant = ? ORDER BY name", arguments: [tenant])
            .map(decodeCluster).filter { $0.hosts.contains(host) }
        guard listing.count == 1, let cluster = listing.first else {
            throw ModelError(listing.isEmpty ? .forbidden : .invalidValue, field: "cluster", listing.isEmpty
                ? "this host is in none of the tenant's clusters"
                : "this host is in several of the tenant's clusters (\(listing.map(\.name).joined(separator: ", "))): name one")
        }
        return cluster
    }

    /// Deletes the ports of a container on host `hostID` (one interface's, or all of them when
    /// `interface` is nil); deleting what is not there is not an error. Returns their ids.
    public func deleteRuntimePorts(host hostID: String, runtime: String, containerID: String,
                                   interface: String?) async throws -> Committed<[String]> {
        let owner = try Self.validatedOwner(host: hostID, runtime: runtime, containerID: containerID, interface: interface ?? "eth0")
        return try await write { db, revision in
            let ports = try Self.ownedPorts(db, owner: owner, interface: interface)
            for port in ports { try Self.removePort(db, port.id, revision: revision) }
            return ports.map(\.id)
        }
    }

    /// Adds `labels` (replacing values of the same keys) to the ports a container's attachments own
    /// on host `hostID`; a container without ports is not an error. Returns their ids.
    public func labelRuntimePorts(host hostID: String, runtime: String, containerID: String,
                                  labels: [String: String]) async throws -> Committed<[String]> {
        let labels = try Validate.labels(labels)
        let owner = try Self.validatedOwner(host: hostID, runtime: runtime, containerID: containerID, interface: "eth0")
        return try await write { db, revision in
            let ports = try Self.ownedPorts(db, owner: owner, interface: nil)
            for port in ports {
                let merged = try Validate.labels(port.labels.merging(labels) { _, new in new })
                try db.execute(sql: "UPDATE ports SET labels = ?, revision = ? WHERE id = ?",
                                     arguments: [LabelsColumn.encode(merged), revision, port.id])
            }
            return ports.map(\.id)
        }
    }

    /// Garbage collection of a runtime's attachments on one switch: deletes the ports that host
    /// `hostID`'s `runtime` created there for attachments not in `keep` (container id, interface).
    public func collectRuntimePorts(host hostID: String, runtime: String, tenant: String, switch switchName: String,
                                    keep: Set<RuntimeAttachmentKey>) async throws -> Committed<[String]> {
        try await write { db, revision in
            let tenantID: String = try Self.tenantRow(db, idOrName: tenant)["id"]
            guard let switchID = try db.value(String.self, sql: "SELECT id FROM switches WHERE tenant = ? AND (id = ? OR name = ?)",
                                                    arguments: [tenantID, switchName, switchName]) else {
                throw ModelError.notFound("switch", switchName, field: "switch")
            }
            let rows = try db.rows(sql: "SELECT * FROM ports WHERE owner_host = ? AND owner_runtime = ? AND switch = ?",
                                        arguments: [hostID, runtime, switchID])
            let leaked = try rows.map(Self.decodePort).filter { port in
                guard let owner = port.owner else { return false }
                return !keep.contains(RuntimeAttachmentKey(containerID: owner.containerID, interface: owner.interface))
            }
            for port in leaked { try Self.removePort(db, port.id, revision: revision) }
            return leaked.map(\.id)
        }
    }

    static func removePort(_ db: any SQLConnection, _ id: String, revision: Int64) throws {
        try db.execute(sql: "UPDATE floating_ips SET port = NULL, revision = ? WHERE port = ?", arguments: [revision, id])
        try db.execute(sql: "DELETE FROM ports WHERE id = ?", arguments: [id])
    }

    private static func ownedPorts(_ db: any SQLConnection, owner: PortOwner, interface: String?) throws -> [Port] {
        var filter = SQLFilter()
        filter.add("owner_host = ?", [owner.host])
        filter.add("owner_runtime = ?", [owner.runtime])
        filter.add("owner_container = ?", [owner.containerID])
        if let interface { filter.add("owner_interface = ?", [interface]) }
        return try db.rows(sql: "SELECT * FROM ports\(filter.whereClause) ORDER BY id", arguments: filter.arguments, reuse: false)
            .map(decodePort)
    }

    private static func tenantRow(_ db: any SQLConnection, idOrName: String) throws -> SQLRow {
        guard let row = try db.row(sql: "SELECT * FROM tenants WHERE id = ? OR name = ?", arguments: [idOrName, idOrName]) else {
            throw ModelError.notFound("tenant", idOrName, field: "tenant")
        }
        return row
    }

    /// A port's name from its owner: the runtime, the first 12 characters of the container id
    /// (as `docker ps` shows it) and the interface, e.g. `cni-3f2a9c1b0d4e-eth0`.
    static func runtimePortName(_ owner: PortOwner) -> String {
        let container = owner.containerID.lowercased().filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.prefix(12)
        let interface = owner.interface.lowercased().filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return "\(owner.runtime)-\(container)-\(interface)"
    }

    /// Runtimes are short lowercase words; container ids and interface names are what runtimes
    /// use (CNI: letters, digits, `-_.`; IFNAMSIZ).
    static func validatedOwner(host: String, runtime: String, containerID: String, interface: String) throws -> PortOwner {
        guard (1...16).contains(runtime.count), runtime.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
            throw ModelError(.invalidValue, field: "runtime", "a runtime is 1 to 16 letters a-z")
        }
        let allowed: (Unicode.Scalar) -> Bool = {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard (1...128).contains(containerID.count), containerID.unicodeScalars.allSatisfy(allowed),
              containerID.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw ModelError(.invalidValue, field: "containerID", "a container id is 1 to 128 characters of a-z, A-Z, 0-9, '-', '_', '.'")
        }
        guard (1...15).contains(interface.count), interface.unicodeScalars.allSatisfy(allowed), interface != ".", interface != ".." else {
            throw ModelError(.invalidValue, field: "interface", "an interface name is 1 to 15 characters of a-z, A-Z, 0-9, '-', '_', '.'")
        }
        return PortOwner(host: host, runtime: runtime, containerID: containerID, interface: interface)
    }
}

/// One attachment of a container, as CNI's GC names the ones to keep.
public struct RuntimeAttachmentKey: Hashable, Sendable {
    public var containerID: String
    public var interface: String

    public init(containerID: String, interface: String) {
        self.containerID = containerID
        self.interface = interface
    }
}
