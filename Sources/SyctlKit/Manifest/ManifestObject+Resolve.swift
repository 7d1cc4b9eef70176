import Northbound

extension ManifestObject {
    /// The same object with its references turned into ids, each looked up within the tenant (and switch) it belongs to.
    ///
    /// Router interfaces keep their switch names: they are resolved within the router's tenant once the router exists.
    public func resolved(with resolver: ReferenceResolver) async throws -> ManifestObject {
        switch self {
        case .tenant, .externalNetwork, .host:
            return self
        case .project(var body):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            return .project(body)
        case .logicalSwitch(var body):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            body.project = try await resolver.id(of: .project, body.project, in: .init(tenant: body.tenant))
            return .logicalSwitch(body)
        case .port(var body, let tenant):
            let tenant = try await resolver.id(of: .tenant, tenant)
            body.switch = try await resolver.requiredID(of: .logicalSwitch, body.switch, in: .init(tenant: tenant))
            body.host = try await resolver.id(of: .host, body.host)
            body.cluster = try await resolver.id(of: .cluster, body.cluster, in: .init(tenant: tenant))
            return .port(body, tenant: tenant)
        case .router(var body, let interfaces, let routes):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            body.project = try await resolver.id(of: .project, body.project, in: .init(tenant: body.tenant))
            body.externalNetwork = try await resolver.id(of: .externalNetwork, body.externalNetwork)
            return .router(body, interfaces: interfaces, routes: routes)
        case .floatingIP(var body, let portSwitch):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            body.externalNetwork = try await resolver.requiredID(of: .externalNetwork, body.externalNetwork)
            let portSwitch = try await resolver.id(of: .logicalSwitch, portSwitch, in: .init(tenant: body.tenant))
            body.port = try await resolver.id(of: .port, body.port, in: .init(tenant: body.tenant, logicalSwitch: portSwitch))
            return .floatingIP(body, portSwitch: portSwitch)
        case .cluster(var body):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            body.project = try await resolver.id(of: .project, body.project, in: .init(tenant: body.tenant))
            if let hosts = body.hosts {
                var ids: [String] = []
                for host in hosts { ids.append(try await resolver.requiredID(of: .host, host)) }
                body.hosts = ids
            }
            return .cluster(body)
        case .policy(var body):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            body.project = try await resolver.id(of: .project, body.project, in: .init(tenant: body.tenant))
            return .policy(body)
        case .service(var body):
            body.tenant = try await resolver.id(of: .tenant, body.tenant)
            let scope = ReferenceResolver.NameScope(tenant: body.tenant)
            body.project = try await resolver.id(of: .project, body.project, in: scope)
            body.router = try await resolver.requiredID(of: .router, body.router, in: scope)
            if var selector = body.selector {
                selector.project = try await resolver.id(of: .project, selector.project, in: scope)
                selector.cluster = try await resolver.id(of: .cluster, selector.cluster, in: scope)
                body.selector = selector
            }
            return .service(body)
        }
    }
}
