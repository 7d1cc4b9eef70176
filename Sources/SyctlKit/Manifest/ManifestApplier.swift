import Northbound

/// Makes the controller match a manifest, one object at a time in file order, like `kubectl apply`.
///
/// Each object is looked up by its key: absent, it is created; present, the fields that differ are patched.
/// Router interfaces and routes are added when missing. `delete(_:report:)` undoes a manifest in reverse order.
public struct ManifestApplier: Sendable {
    let client: APIClient
    let resolver: ReferenceResolver

    public init(client: APIClient) {
        self.client = client
        self.resolver = ReferenceResolver(client: client)
    }

    /// What apply did to one object.
    public enum Outcome: String, Sendable {
        case created, configured, unchanged
    }

    /// Applies every entry, reporting `switch/frontend created` (or `configured`, `unchanged`) after each.
    /// The first failure stops the run; the objects before it stay applied.
    public func apply(_ entries: [ManifestEntry], report: (String) -> Void) async throws {
        for entry in entries {
            let outcome = try await attributing(entry) { try await apply(entry.object) }
            report("\(entry.object.reference) \(outcome.rawValue)")
        }
    }

    /// Deletes every entry in reverse file order, so dependents go before what they depend on;
    /// reports `switch/frontend deleted`, or `not found` for objects already gone.
    public func delete(_ entries: [ManifestEntry], report: (String) -> Void) async throws {
        let deleter = ObjectDeleter(client: client, resolver: resolver)
        for entry in entries.reversed() {
            let deleted = try await attributing(entry) { try await deleter.delete(entry.object.key) }
            report("\(entry.object.reference) \(deleted ? "deleted" : "not found")")
        }
    }

    func apply(_ object: ManifestObject) async throws -> Outcome {
        let resolved = try await object.resolved(with: resolver)
        let key = resolved.key
        switch resolved {
        case .tenant(let body):
            return try await converge(Tenant.self, key, create: body) { UpdatePlanner.update($0, toward: body) }.outcome
        case .project(let body):
            return try await converge(Project.self, key, create: body) { UpdatePlanner.update($0, toward: body) }.outcome
        case .logicalSwitch(let body):
            return try await converge(LogicalSwitch.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .port(let body, _):
            return try await converge(Port.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .router(let body, let interfaces, let routes):
            let (router, outcome) = try await converge(LogicalRouter.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }
            let wired = try await wire(router, interfaces: interfaces, routes: routes)
            return wired && outcome == .unchanged ? .configured : outcome
        case .externalNetwork(let body):
            return try await converge(ExternalNetwork.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .floatingIP(let body, _):
            return try await converge(FloatingIP.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .host(let body):
            return try await converge(Host.self, key, create: body) { UpdatePlanner.update($0, toward: body) }.outcome
        case .cluster(let body):
            return try await converge(Cluster.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .policy(let body):
            return try await converge(NetworkPolicy.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        case .service(let body):
            return try await converge(Service.self, key, create: body) { try UpdatePlanner.update($0, toward: body) }.outcome
        }
    }

    /// Creates the object when absent, patches it when `plan` finds differences.
    private func converge<T: APIResource, Update: Encodable>(
        _ type: T.Type, _ key: ObjectKey, create: some Encodable, plan: (T) throws -> Update?
    ) async throws -> (object: T, outcome: Outcome) {
        guard let current = try await resolver.find(T.self, key) else {
            return (try await client.post(T.kind.path, create), .created)
        }
        guard let update = try plan(current) else { return (current, .unchanged) }
        return (try await client.patch("\(T.kind.path)/\(current.id)", update), .configured)
    }

    /// Adds the manifest's missing interfaces (switches looked up in the router's tenant), then its routes,
    /// since a route's next hop must sit on an attached subnet. True when anything changed.
    private func wire(_ router: LogicalRouter, interfaces: [RouterInterfaceCreate], routes: [StaticRouteCreate]) async throws -> Bool {
        guard !interfaces.isEmpty || !routes.isEmpty else { return false }
        let children = RouterChildren(client: client, router: router.id)
        var wanted: [RouterInterfaceCreate] = []
        for interface in interfaces {
            let id = try await resolver.requiredID(of: .logicalSwitch, interface.switch, in: .init(tenant: router.tenant))
            wanted.append(RouterInterfaceCreate(switch: id, ip: interface.ip))
        }
        let attach = try UpdatePlanner.interfacesToAttach(try await children.interfaces(), desired: wanted)
        for interface in attach { _ = try await children.attach(interface) }
        let (remove, add) = UpdatePlanner.routeChanges(try await children.routes(), desired: routes)
        for route in remove { try await children.remove(route) }
        for route in add { _ = try await children.add(route) }
        return !attach.isEmpty || !add.isEmpty
    }

    /// Names the manifest object a failure happened at; a failure from a manifest-wide check passes through.
    private func attributing<Result>(_ entry: ManifestEntry, _ work: () async throws -> Result) async throws -> Result {
        do {
            return try await work()
        } catch let error as any UserFacingError {
            throw SyctlError.objectFailed(object: entry.object.reference, location: entry.location, reason: error.description)
        }
    }
}
