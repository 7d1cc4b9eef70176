import Foundation
import Northbound

extension Store {
    static let serviceList = ListRequest(table: "services", filterColumns: [
        "tenant": "tenant", "project": "project", "name": "name", "router": "router", "vip": "vip",
        "type": "type", "externalIp": "external_ip",
    ], hasLabels: true)

    /// What the `spec` column holds.
    struct ServiceSpec: Codable {
        var ports: [ServicePort]
        var selector: ServiceSelector
        var algorithm: ServiceAlgorithm
        var healthCheck: HealthCheck?
    }

    public func createService(_ request: ServiceCreate, scope: Scope) async throws -> Committed<Service> {
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        let ports = try Self.validatedServicePorts(request.ports)
        let selector = try Self.validatedSelector(request.selector ?? ServiceSelector())
        let requestedVIP = try request.vip.map { try Validate.ipv4($0, field: "vip") }
        let type = request.type ?? (request.externalIp == nil ? .internal : .external)
        let requestedExternal = try request.externalIp.map { try Validate.ipv4($0, field: "externalIp") }
        if requestedExternal != nil, type != .external {
            throw ModelError(.invalidValue, field: "externalIp", "only an external service has an external address")
        }
        if requestedVIP != nil, type == .headless {
            throw ModelError(.invalidValue, field: "vip", "a headless service has no VIP: its name answers with its endpoints' addresses")
        }
        let healthCheck = try request.healthCheck.map { try Self.validatedHealthCheck($0, scope: scope) }
        return try await write { db, revision in
            let (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: request.project)
            try WriteChecks.requireQuota(db, tenant: tenant, kind: \.services, table: "services", label: "services")
            try WriteChecks.requireUnique(db, table: "services", kind: "service", name: name, within: ("tenant", tenant))
            let router = try Self.decodeRouter(Self.visibleRouter(db, request.router, scope: scope, field: "router"))
            guard router.tenant == tenant else { throw ModelError.notFound("router", request.router, field: "router") }
            try Self.requireSelectorTargets(db, selector, tenant: tenant)
            let vip = type == .headless ? nil : try Self.serviceVIP(db, router: router.id, requested: requestedVIP)
            var service = Service(id: WriteChecks.newID(.service), tenant: tenant, project: project, name: name, router: router.id,
                                  vip: vip?.description, type: type, ports: ports, selector: selector, algorithm: request.algorithm ?? .random,
                                  healthCheck: healthCheck, labels: labels, revision: revision)
            if type == .external {
                guard let network = router.externalNetwork else {
                    throw ModelError(.conflict, field: "type", "router '\(router.id)' has no external network: an external service is served at its edge")
                }
                service.externalIp = try ExternalPool.allocate(db, network: network, requested: requestedExternal, owner: service.id,
                                                               field: "externalIp").description
            }
            try db.execute(sql: """
                INSERT INTO services (id, tenant, project, name, router, vip, type, external_ip, spec, labels, revision)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [service.id, tenant, project, name, router.id, service.vip, type.rawValue, service.externalIp,
                                 try Self.encodeServiceSpec(service), LabelsColumn.encode(labels), revision])
            return service
        }
    }

    public func service(_ id: String, scope: Scope) async throws -> Service {
        try await read { db in try Self.decodeService(Self.visibleService(db, id, scope: scope)) }
    }

    public func services(_ query: ListQuery, scope: Scope) async throws -> Page<Service> {
        if let type = query.fields["type"], ServiceType(rawValue: type) == nil {
            throw ModelError(.invalidQuery, field: "type", "type is one of \(ServiceType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try await read { db in try Self.serviceList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodeService) }
    }

    /// `healthCheck: null` removes the check.
    public func updateService(_ id: String, _ request: ServiceUpdate, nulls: Set<String>, scope: Scope) async throws -> Committed<Service> {
        let labels = try request.labels.map { try Validate.labels($0) }
        let healthCheck = try request.healthCheck.map { try Self.validatedHealthCheck($0, scope: scope) }
        let ports = try request.ports.map { try Self.validatedServicePorts($0) }
        let selector = try request.selector.map { try Self.validatedSelector($0) }
        return try await write { db, revision in
            var service = try Self.decodeService(Self.visibleService(db, id, scope: scope))
            if let selector {
                try Self.requireSelectorTargets(db, selector, tenant: service.tenant)
                service.selector = selector
            }
            if let ports { service.ports = ports }
            if let algorithm = request.algorithm { service.algorithm = algorithm }
            if nulls.contains("healthCheck") {
                // Taking away a check that runs commands is placement of commands too.
                if service.healthCheck?.runsCommands == true, !scope.isAdmin {
                    throw ModelError(.forbidden, field: "healthCheck", "only an admin token removes a script or container check")
                }
                service.healthCheck = nil
            } else if let healthCheck {
                if service.healthCheck?.runsCommands == true, !scope.isAdmin {
                    throw ModelError(.forbidden, field: "healthCheck", "only an admin token replaces a script or container check")
                }
                service.healthCheck = healthCheck
            }
            if let labels { service.labels = labels }
            service.revision = revision
            try db.execute(sql: "UPDATE services SET spec = ?, labels = ?, revision = ? WHERE id = ?",
                                 arguments: [try Self.encodeServiceSpec(service), LabelsColumn.encode(service.labels), revision, id])
            return service
        }
    }

    public func deleteService(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try Self.visibleService(db, id, scope: scope)
            try db.execute(sql: "DELETE FROM services WHERE id = ?", arguments: [id])
            try ExternalPool.release(db, owner: id)
            return id
        }
    }

    /// The service's endpoints now: the bound ports of its router's switches that its selector picks.
    public func serviceEndpoints(_ id: String, scope: Scope) async throws -> [ServiceEndpoint] {
        try await read { db in
            let service = try Self.decodeService(Self.visibleService(db, id, scope: scope))
            let ports = try db.rows(sql: """
                SELECT p.* FROM ports p JOIN router_interfaces i ON i.switch = p.switch WHERE i.router = ? AND p.tenant = ?
                """, arguments: [service.router, service.tenant]).map(Self.decodePort)
            return service.endpoints(among: ports).map {
                ServiceEndpoint(port: $0.id, name: $0.name, ip: $0.ip, switch: $0.switch, host: $0.host)
            }
        }
    }

    static func validatedServicePorts(_ ports: [ServicePort]) throws -> [ServicePort] {
        guard (1...Service.maximumPorts).contains(ports.count) else {
            throw ModelError(.invalidValue, field: "ports", "a service has 1 to \(Service.maximumPorts) ports")
        }
        var seen: Set<String> = []
        return try ports.enumerated().map { index, port in
            let field = "ports[\(index)]"
            let name = try port.name.map { try Validate.name($0, field: "\(field).name") }
            _ = try Validate.range(port.port, 1...65535, field: "\(field).port")
            _ = try port.targetPort.map { try Validate.range($0, 1...65535, field: "\(field).targetPort") }
            // Each entry is valid alone; two for one protocol and port conflict with each other.
            guard seen.insert("\(port.protocol.rawValue)/\(port.port)").inserted else {
                throw ModelError(.conflict, field: "\(field).port", "\(port.protocol.rawValue) port \(port.port) is listed twice")
            }
            return ServicePort(name: name, protocol: port.protocol, port: port.port, targetPort: port.targetPort)
        }
    }

    /// Ranges as ``HealthCheck`` documents them; an HTTP path is printable ASCII without spaces
    /// (it goes into a request line); commands are admins' alone.
    static func validatedHealthCheck(_ check: HealthCheck, scope: Scope) throws -> HealthCheck {
        let field = "healthCheck"
        if check.runsCommands {
            guard scope.isAdmin else {
                throw ModelError(.forbidden, field: "\(field).type", "only an admin token sets \(check.type.rawValue) checks: they run commands on hosts")
            }
            guard let command = check.command, (1...32).contains(command.count), command[0].hasPrefix("/"),
                  command.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.count <= 1024 && !$0.contains("\0") }) else {
                throw ModelError(.invalidValue, field: "\(field).command",
                                 "a program by its absolute path and up to 31 arguments, each 1 to 1024 characters (no shell runs them)")
            }
        } else if check.command != nil {
            throw ModelError(.invalidValue, field: "\(field).command", "only script and container checks run a command")
        }
        if let path = check.path {
            guard check.type == .http else { throw ModelError(.invalidValue, field: "\(field).path", "only http checks have a path") }
            guard path.hasPrefix("/"), (1...255).contains(path.utf8.count), path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
                throw ModelError(.invalidValue, field: "\(field).path", "a path like /healthz: printable ASCII without spaces, at most 255 bytes")
            }
        }
        if let status = check.expectStatus {
            guard check.type == .http else { throw ModelError(.invalidValue, field: "\(field).expectStatus", "only http checks expect a status") }
            _ = try Validate.range(status, 100...599, field: "\(field).expectStatus")
        }
        _ = try check.port.map { try Validate.range($0, 1...65535, field: "\(field).port") }
        _ = try check.interval.map { try Validate.range($0, 1...3600, field: "\(field).interval") }
        _ = try check.timeout.map { try Validate.range($0, 1...60, field: "\(field).timeout") }
        _ = try check.rise.map { try Validate.range($0, 1...10, field: "\(field).rise") }
        _ = try check.fall.map { try Validate.range($0, 1...10, field: "\(field).fall") }
        return check
    }

    static func validatedSelector(_ selector: ServiceSelector) throws -> ServiceSelector {
        ServiceSelector(labels: try selector.labels.map { try Validate.labels($0, field: "selector.labels") },
                        project: selector.project, cluster: selector.cluster)
    }

    /// A selector's project and cluster are the tenant's own.
    static func requireSelectorTargets(_ db: any SQLConnection, _ selector: ServiceSelector, tenant: String) throws {
        for (table, kind, id) in [("projects", "project", selector.project), ("clusters", "cluster", selector.cluster)] {
            guard let id else { continue }
            guard try db.value(String.self, sql: "SELECT tenant FROM \(table) WHERE id = ?", arguments: [id]) == tenant else {
                throw ModelError.notFound(kind, id, field: "selector.\(kind)")
            }
        }
    }

    /// The requested VIP, checked, or the first free one of ``Service/defaultRange``: not on one
    /// of the router's switches and not another service's of the router.
    static func serviceVIP(_ db: any SQLConnection, router: String, requested: IPv4Address?) throws -> IPv4Address {
        let subnets = try db.values(String.self, sql: """
            SELECT s.cidr FROM router_interfaces i JOIN switches s ON s.id = i.switch WHERE i.router = ?
            """, arguments: [router]).compactMap { IPv4Network($0) }
        let taken = Set(try db.values(String.self, sql: "SELECT vip FROM services WHERE router = ? AND vip IS NOT NULL", arguments: [router]))
        if let requested {
            if let subnet = subnets.first(where: { $0.contains(requested) }) {
                throw ModelError(.invalidValue, field: "vip", "\(requested) is on the router's switch \(subnet): a VIP is an address no port has")
            }
            guard !taken.contains(requested.description) else {
                throw ModelError(.ipTaken, field: "vip", "another service of the router has VIP \(requested)")
            }
            return requested
        }
        let range = Service.defaultRange
        var candidate = range.firstHost
        while candidate <= range.lastHost {
            if !taken.contains(candidate.description), !subnets.contains(where: { $0.contains(candidate) }) { return candidate }
            candidate = IPv4Address(candidate.value + 1)
        }
        throw ModelError(.poolExhausted, field: "vip", "no free VIP left in \(range) for this router")
    }

    static func visibleService(_ db: any SQLConnection, _ id: String, scope: Scope) throws -> SQLRow {
        try WriteChecks.visibleRow(db, table: "services", kind: "service", id: id, scope: scope)
    }

    static func encodeServiceSpec(_ service: Service) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let spec = ServiceSpec(ports: service.ports, selector: service.selector, algorithm: service.algorithm, healthCheck: service.healthCheck)
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    static func decodeService(_ row: SQLRow) throws -> Service {
        let spec = try JSONDecoder().decode(ServiceSpec.self, from: Data((row["spec"] as String).utf8))
        return Service(id: row["id"], tenant: row["tenant"], project: row["project"], name: row["name"], router: row["router"],
                       vip: row["vip"], type: ServiceType(rawValue: row["type"]) ?? .internal, externalIp: row["external_ip"], ports: spec.ports, selector: spec.selector, algorithm: spec.algorithm,
                       healthCheck: spec.healthCheck, labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
