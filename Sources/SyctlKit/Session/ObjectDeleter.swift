import Northbound

/// Deletes objects by key; a router's interfaces are detached first, since its manifest object owns them.
struct ObjectDeleter: Sendable {
    let client: APIClient
    let resolver: ReferenceResolver

    /// Deletes the object and returns true, or returns false when it does not exist, including when the tenant
    /// or switch its name lives in is already gone.
    func delete(_ key: ObjectKey) async throws -> Bool {
        let id: String?
        do {
            id = try await existingID(key)
        } catch SyctlError.notFound {
            return false
        }
        guard let id else { return false }
        if key.kind == .router { try await RouterChildren(client: client, router: id).detachAll() }
        try await client.delete("\(key.kind.path)/\(id)")
        return true
    }

    private func existingID(_ key: ObjectKey) async throws -> String? {
        switch key.kind {
        case .tenant: try await resolver.find(Tenant.self, key)?.id
        case .project: try await resolver.find(Project.self, key)?.id
        case .cluster: try await resolver.find(Cluster.self, key)?.id
        case .policy: try await resolver.find(NetworkPolicy.self, key)?.id
        case .service: try await resolver.find(Service.self, key)?.id
        case .logicalSwitch: try await resolver.find(LogicalSwitch.self, key)?.id
        case .port: try await resolver.find(Port.self, key)?.id
        case .router: try await resolver.find(LogicalRouter.self, key)?.id
        case .externalNetwork: try await resolver.find(ExternalNetwork.self, key)?.id
        case .floatingIP: try await resolver.find(FloatingIP.self, key)?.id
        case .host: try await resolver.find(Host.self, key)?.id
        }
    }
}
