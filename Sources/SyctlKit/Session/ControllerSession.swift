import Foundation
import Northbound

/// What the `syctl` commands do, each as one call: resolve names, call the API, render the answer.
public struct ControllerSession: Sendable {
    let client: APIClient
    let resolver: ReferenceResolver
    let renderer: OutputRenderer

    public init(configuration: ClientConfiguration, format: OutputFormat) {
        client = APIClient(configuration: configuration)
        resolver = ReferenceResolver(client: client)
        renderer = OutputRenderer(format: format, client: client)
    }

    /// Creates the object after resolving its references, and renders the created object.
    /// A router's interfaces and routes are not part of a create; `attach` and `addRoute` add them.
    public func create<T: APIResource>(_ object: ManifestObject, as type: T.Type) async throws -> String {
        precondition(T.kind == object.kind, "create(\(object.kind), as: \(T.kind))")
        let created: T = try await client.post(T.kind.path, try await object.resolved(with: resolver).createRequest)
        return try await renderer.render(created)
    }

    /// Issues a token for the tenant (narrowed to one of its projects, if given): in table format just the secret,
    /// shown only this once, so that scripts can capture it; in JSON the whole token.
    public func issueToken(tenant: String, project: String?) async throws -> String {
        let tenantID = try await resolver.requiredID(of: .tenant, tenant)
        let projectID = try await resolver.id(of: .project, project, in: .init(tenant: tenantID))
        let token: Token = try await client.post("/v1/tenants/\(tenantID)/tokens", TokenCreate(project: projectID))
        guard renderer.format == .table else { return try renderer.json(token) }
        guard let secret = token.token else {
            throw SyctlError.unexpectedResponse(status: 201, detail: "the new token \(token.id) came without its secret")
        }
        return secret
    }

    /// Creates a one-time enrollment token for the host (admin): in table format just the join string, shown only
    /// this once, so that scripts can capture it; in JSON the whole token.
    public func enrollHost(_ host: String, ttlSeconds: Int?) async throws -> String {
        let ttl = try HostEnrollment.validatedTTL(ttlSeconds)
        let hostID = try await resolver.requiredID(of: .host, host)
        let token: HostEnrollmentToken = try await client.post("/v1/hosts/\(hostID)/enroll-tokens", HostEnrollmentTokenCreate(ttlSeconds: ttl))
        return try HostEnrollment.output(token, format: renderer.format)
    }

    /// Revokes the host's certificate (admin): its agent is cut off until it enrolls again. Says so, like
    /// `host/hv-1 revoked`; in JSON the host.
    public func revokeHost(_ host: String) async throws -> String {
        let hostID = try await resolver.requiredID(of: .host, host)
        let revoked: Northbound.Host = try await client.post("/v1/hosts/\(hostID)/revoke")
        return renderer.format == .json ? try renderer.json(revoked) : HostEnrollment.revokedMessage(revoked)
    }

    /// Attaches the router to a switch, looked up in the router's tenant.
    public func attach(router: String, tenant: String?, switch logicalSwitch: String, ip: String?) async throws -> String {
        let router = try await findRouter(router, tenant: tenant)
        let switchID = try await resolver.requiredID(of: .logicalSwitch, logicalSwitch, in: .init(tenant: router.tenant))
        let interface = try await RouterChildren(client: client, router: router.id).attach(RouterInterfaceCreate(switch: switchID, ip: ip))
        return try await renderer.render(interface)
    }

    /// Adds a static route to the router.
    public func addRoute(router: String, tenant: String?, destination: String, nexthop: String) async throws -> String {
        let router = try await findRouter(router, tenant: tenant)
        let route = try await RouterChildren(client: client, router: router.id).add(StaticRouteCreate(destination: destination, nexthop: nexthop))
        return try await renderer.render(route)
    }

    /// Lists a kind, filtered by tenant, switch (ports) and labels; or, given a name, shows that one object.
    public func get(_ kind: ResourceKind, name: String?, tenant: String?, switch logicalSwitch: String?,
                    labels: [String: String]) async throws -> String {
        let selection = Selection(name: name, tenant: tenant, logicalSwitch: logicalSwitch, labels: labels)
        return switch kind {
        case .tenant: try await get(Tenant.self, selection)
        case .project: try await get(Project.self, selection)
        case .logicalSwitch: try await get(LogicalSwitch.self, selection)
        case .port: try await get(Port.self, selection)
        case .router: try await get(LogicalRouter.self, selection)
        case .externalNetwork: try await get(ExternalNetwork.self, selection)
        case .floatingIP: try await get(FloatingIP.self, selection)
        case .host: try await get(Host.self, selection)
        case .cluster: try await get(Cluster.self, selection)
        case .policy: try await get(NetworkPolicy.self, selection)
        case .service: try await get(Service.self, selection)
        }
    }

    /// Deletes one object (a router after detaching its interfaces) and says so, like `switch/frontend deleted`.
    public func delete(_ key: ObjectKey) async throws -> String {
        guard try await ObjectDeleter(client: client, resolver: resolver).delete(key) else {
            throw SyctlError.notFound(kind: key.kind, name: key.name, scope: nil)
        }
        return "\(key.reference) deleted"
    }

    /// Applies a manifest; see `ManifestApplier.apply(_:report:)`.
    public func apply(_ entries: [ManifestEntry], report: (String) -> Void) async throws {
        try await ManifestApplier(client: client).apply(entries, report: report)
    }

    /// Deletes a manifest's objects in reverse order; see `ManifestApplier.delete(_:report:)`.
    public func delete(_ entries: [ManifestEntry], report: (String) -> Void) async throws {
        try await ManifestApplier(client: client).delete(entries, report: report)
    }

    /// The controller's current revision.
    public func revision() async throws -> String {
        struct Revision: Codable { let revision: Int64 }
        let revision: Revision = try await client.get("/v1/revision")
        return renderer.format == .json ? try renderer.json(revision) : String(revision.revision)
    }

    /// The last `last` entries of the audit trail the token may read (all when nil), oldest first,
    /// narrowed by `kind` (a collection, like `ports`) and `object` (an id).
    public func audit(kind: String?, object: String?, last: Int?) async throws -> String {
        var filters: [URLQueryItem] = []
        if let kind { filters.append(URLQueryItem(name: "kind", value: kind)) }
        if let object { filters.append(URLQueryItem(name: "object", value: object)) }
        let entries: [AuditEntry] = try await client.list("/v1/audit", filters: filters)
        return try await renderer.render(last.map { Array(entries.suffix($0)) } ?? entries)
    }

    /// The path a packet takes from a port to a port or an IPv4 address (admin): ports by name are
    /// looked up in `tenant`, each hop on a line, ending in `delivered` or `dropped: why`; and whether
    /// it was delivered.
    public func trace(from: String, to: String, tenant: String?, protocol proto: String?, port: Int?) async throws -> (String, Bool) {
        let query = try await flowQuery(from: from, to: to, tenant: tenant, protocol: proto, port: port)
        let trace: Trace = try await client.get("/v1/trace", query: query)
        return (renderer.format == .json ? try renderer.json(trace) : TraceText.render(trace), trace.verdict == .delivered)
    }

    /// Whether policies allow a connection and what decided; the text and whether it is allowed.
    public func explain(from: String, to: String, tenant: String?, protocol proto: String?, port: Int?) async throws -> (String, Bool) {
        let query = try await flowQuery(from: from, to: to, tenant: tenant, protocol: proto, port: port)
        let answer: Reachability = try await client.get("/v1/reachability", query: query)
        return (renderer.format == .json ? try renderer.json(answer) : ReachabilityText.render(answer, from: from, to: to), answer.allowed)
    }

    /// `from`, `to`, `protocol` and `port` as trace and reachability take them, ports by name looked up in `tenant`.
    private func flowQuery(from: String, to: String, tenant: String?, protocol proto: String?, port: Int?) async throws -> [URLQueryItem] {
        let tenantID = try await resolver.id(of: .tenant, tenant)
        let fromID = try await resolver.requiredID(of: .port, from, in: .init(tenant: tenantID))
        let toValue = IPv4Address(to) != nil ? to : try await resolver.requiredID(of: .port, to, in: .init(tenant: tenantID))
        var query = [URLQueryItem(name: "from", value: fromID), URLQueryItem(name: "to", value: toValue)]
        if let proto { query.append(URLQueryItem(name: "protocol", value: proto)) }
        if let port { query.append(URLQueryItem(name: "port", value: String(port))) }
        return query
    }

    /// Applies the policies of a manifest to one tenant: each must be a policy, of that tenant or of none.
    public func applyPolicies(tenant: String, _ entries: [ManifestEntry], report: (String) -> Void) async throws {
        let tenantID = try await resolver.requiredID(of: .tenant, tenant)
        var owned: [ManifestEntry] = []
        for var entry in entries {
            guard case .policy(var body) = entry.object else {
                throw ManifestError(location: entry.location, field: "kind", "apply-policy takes policies only, not a \(entry.object.kind.rawValue)")
            }
            if let named = body.tenant, try await resolver.id(of: .tenant, named) != tenantID {
                throw ManifestError(location: entry.location, field: "TenantSelector", "the policy names tenant '\(named)', not '\(tenant)'")
            }
            body.tenant = tenantID
            entry.object = .policy(body)
            owned.append(entry)
        }
        try await apply(owned, report: report)
    }

    /// What `get` asks for: one object by name, or all in a tenant (or on a switch) with the labels.
    private struct Selection {
        let name: String?
        let tenant: String?
        let logicalSwitch: String?
        let labels: [String: String]
    }

    private func get<T: APIResource>(_ type: T.Type, _ selection: Selection) async throws -> String {
        if let name = selection.name {
            let key = ObjectKey(kind: T.kind, name: name, tenant: selection.tenant, logicalSwitch: selection.logicalSwitch)
            guard let object = try await resolver.find(T.self, key) else { throw SyctlError.notFound(kind: T.kind, name: name, scope: nil) }
            return try await renderer.render(object)
        }
        let scope = try await resolver.scope(for: T.kind, tenant: selection.tenant, logicalSwitch: selection.logicalSwitch)
        let labelFilters = selection.labels.sorted { $0.key < $1.key }.map { URLQueryItem(name: "label", value: "\($0.key)=\($0.value)") }
        let objects: [T] = try await client.list(T.kind.path, filters: scope.filters + labelFilters)
        return try await renderer.render(objects)
    }

    /// The endpoints of a service (name or id) as the controller picks them now.
    public func endpoints(service reference: String, tenant: String?) async throws -> String {
        let service = try await resolver.require(Service.self, reference, in: resolver.scope(for: .service, tenant: tenant, logicalSwitch: nil))
        let endpoints: ServiceEndpoints = try await client.get("/v1/services/\(service.id)/endpoints")
        return try await renderer.render(endpoints.items)
    }

    private func findRouter(_ reference: String, tenant: String?) async throws -> LogicalRouter {
        try await resolver.require(LogicalRouter.self, reference, in: resolver.scope(for: .router, tenant: tenant, logicalSwitch: nil))
    }
}
