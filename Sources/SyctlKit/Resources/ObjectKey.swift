/// How to find one object: its kind, its name (or id, or a floating IP's address) and the references that scope the name.
public struct ObjectKey: Sendable {
    public var kind: ResourceKind
    public var name: String
    /// The tenant (name or id) the name is unique in.
    public var tenant: String?
    /// For ports: the switch (name or id) the name is unique on.
    public var logicalSwitch: String?

    public init(kind: ResourceKind, name: String, tenant: String? = nil, logicalSwitch: String? = nil) {
        self.kind = kind
        self.name = name
        self.tenant = tenant
        self.logicalSwitch = logicalSwitch
    }

    /// `switch/frontend`, as apply and delete report objects.
    public var reference: String { "\(kind.rawValue)/\(name)" }
}

extension ReferenceResolver {
    /// The ids that scope names of `kind`: the tenant's, and for ports the switch's within that tenant.
    public func scope(for kind: ResourceKind, tenant: String?, logicalSwitch: String?) async throws -> NameScope {
        if logicalSwitch != nil, kind != .port {
            throw SyctlError.invalidArgument("a switch narrows only port names, not \(kind.plural)")
        }
        let tenantID = try await id(of: .tenant, tenant)
        let switchID = try await id(of: .logicalSwitch, logicalSwitch, in: NameScope(tenant: tenantID))
        return NameScope(tenant: tenantID, logicalSwitch: switchID)
    }

    /// The object the key names, or nil when there is none.
    public func find<T: APIResource>(_ type: T.Type, _ key: ObjectKey) async throws -> T? {
        try await find(type, key.name, in: scope(for: key.kind, tenant: key.tenant, logicalSwitch: key.logicalSwitch))
    }
}

extension ManifestObject {
    /// The key `apply` and `delete -f` find the object by.
    public var key: ObjectKey {
        switch self {
        case .tenant(let body): ObjectKey(kind: .tenant, name: body.name)
        case .project(let body): ObjectKey(kind: .project, name: body.name, tenant: body.tenant)
        case .cluster(let body): ObjectKey(kind: .cluster, name: body.name, tenant: body.tenant)
        case .logicalSwitch(let body): ObjectKey(kind: .logicalSwitch, name: body.name, tenant: body.tenant)
        case .port(let body, let tenant): ObjectKey(kind: .port, name: body.name, tenant: tenant, logicalSwitch: body.switch)
        case .router(let body, _, _): ObjectKey(kind: .router, name: body.name, tenant: body.tenant)
        case .externalNetwork(let body): ObjectKey(kind: .externalNetwork, name: body.name)
        case .floatingIP(let body, _): ObjectKey(kind: .floatingIP, name: displayName, tenant: body.tenant)
        case .host(let body): ObjectKey(kind: .host, name: body.name)
        case .policy(let body): ObjectKey(kind: .policy, name: body.name, tenant: body.tenant)
        case .service(let body): ObjectKey(kind: .service, name: body.name, tenant: body.tenant)
        }
    }
}
