import Northbound

/// A router's interfaces and static routes, which live under `/v1/routers/{id}/`.
struct RouterChildren: Sendable {
    let client: APIClient
    let router: String

    func interfaces() async throws -> [RouterInterface] {
        try await client.list("/v1/routers/\(router)/interfaces")
    }

    func attach(_ interface: RouterInterfaceCreate) async throws -> RouterInterface {
        try await client.post("/v1/routers/\(router)/interfaces", interface)
    }

    /// Detaches every interface: the API refuses to delete a router that still has some.
    func detachAll() async throws {
        for interface in try await interfaces() {
            try await client.delete("/v1/routers/\(router)/interfaces/\(interface.id)")
        }
    }

    func routes() async throws -> [StaticRoute] {
        try await client.list("/v1/routers/\(router)/routes")
    }

    func add(_ route: StaticRouteCreate) async throws -> StaticRoute {
        try await client.post("/v1/routers/\(router)/routes", route)
    }

    func remove(_ route: StaticRoute) async throws {
        try await client.delete("/v1/routers/\(router)/routes/\(route.id)")
    }
}
