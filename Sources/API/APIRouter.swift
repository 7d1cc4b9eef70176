import Foundation
import Hummingbird
import Northbound
import Store

/// The REST API under `/v1`, and the Prometheus metrics at `/metrics`. Every route but the OpenAPI
/// document and the health check needs a bearer token; the metrics need an admin's.
public enum APIRouter {
    /// - Parameter metrics: the process's metrics in the Prometheus text format, read at each scrape.
    public static func make(store: Store, southbound: (any SouthboundControl)? = nil,
                            metrics: @escaping @Sendable () async -> [UInt8] = { [] }) -> Hummingbird.Router<APIRequestContext> {
        let router = Hummingbird.Router(context: APIRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
        }
        TopologyPage.register(on: router)
        router.get("/v1/health") { _, _ in
            try JSONResponse.make(try await ControllerHealth.check(store))
        }
        router.group("metrics").add(middleware: AuthMiddleware(store: store)).get { _, context in
            guard try context.requireScope().isAdmin else { throw ModelError(.forbidden, "the metrics are for admin tokens") }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: await metrics())))
        }
        let v1 = router.group("v1").add(middleware: AuthMiddleware(store: store))
        v1.get("audit") { request, context in
            try JSONResponse.make(try await store.audit(AuditQuery(request: request), scope: context.requireScope()))
        }
        WatchStream.register(on: v1, store: store, southbound: southbound)
        v1.get("revision") { _, context in
            _ = try context.requireScope()
            struct Revision: Encodable { let revision: Int64 }
            return try JSONResponse.make(Revision(revision: try await store.revision()))
        }
        v1.get("trace") { request, context in
            guard try context.requireScope().isAdmin else { throw ModelError(.forbidden, "traces are for admin tokens") }
            let query = try TraceQuery(request: request)
            let southbound = try SouthboundViews(store: store, southbound: southbound).requireSouthbound()
            try await Self.requirePort(query.from, field: "from", store: store)
            if case .port(let id) = query.to { try await Self.requirePort(id, field: "to", store: store) }
            return try JSONResponse.make(await southbound.trace(query))
        }
        v1.get("reachability") { request, context in
            let scope = try context.requireScope()
            let query = try TraceQuery(request: request)
            let southbound = try SouthboundViews(store: store, southbound: southbound).requireSouthbound()
            try await Self.requirePort(query.from, field: "from", store: store, scope: scope)
            if case .port(let id) = query.to { try await Self.requirePort(id, field: "to", store: store, scope: scope) }
            guard let answer = await southbound.reachability(query) else {
                throw ModelError(.unavailable, field: "from", "the compiler has not seen the source port yet; retry")
            }
            return try JSONResponse.make(try await Self.visible(answer, to: scope, store: store))
        }
        let views = SouthboundViews(store: store, southbound: southbound)
        registerResources(on: v1, store: store, views: views)
        registerRouterChildren(on: v1, store: store, views: views)
        registerTokens(on: v1, store: store)
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }

    /// The answer with every decision of a policy the scope cannot read (another tenant's, the
    /// provider's) told only by its verdict and tier: explain must not tell one tenant another's rules.
    static func visible(_ answer: Reachability, to scope: Scope, store: Store) async throws -> Reachability {
        guard !scope.isAdmin else { return answer }
        var answer = answer
        // A service the scope cannot read (another project's) is not named, nor are its endpoints.
        if let service = answer.service {
            do {
                _ = try await store.service(service, scope: scope)
            } catch let error as ModelError where error.code == .notFound {
                answer.service = nil
                for side in [\Reachability.egress, \Reachability.ingress] {
                    let decision = answer[keyPath: side]
                    answer[keyPath: side] = PolicyDecision(verdict: decision.verdict, tier: decision.tier,
                                                           reason: "\(decision.verdict.rawValue) at the endpoints of a service the token cannot read")
                }
                return answer
            }
        }
        for side in [\Reachability.egress, \Reachability.ingress] {
            guard let policy = answer[keyPath: side].policy else { continue }
            do {
                _ = try await store.policy(policy, scope: scope)
            } catch let error as ModelError where error.code == .notFound {
                let decision = answer[keyPath: side]
                let owner = decision.tier == .admin ? "the provider" : "another tenant"
                answer[keyPath: side] = PolicyDecision(verdict: decision.verdict, tier: decision.tier,
                                                       reason: "\(decision.verdict.rawValue) by a policy of \(owner)")
            }
        }
        return answer
    }

    /// A 404 on `field` unless the port exists and the scope may see it.
    static func requirePort(_ id: String, field: String, store: Store, scope: Scope = .admin) async throws {
        do {
            _ = try await store.port(id, scope: scope)
        } catch let error as ModelError where error.code == .notFound {
            throw ModelError.notFound("port", id, field: field)
        }
    }

    /// Resources whose API view is exactly the stored object.
    static func registerTenancy(on v1: RouterGroup<APIRequestContext>, store: Store) {
        ResourceRoutes<Tenant, TenantCreate, TenantUpdate>(
            create: { body, scope, _ in try await store.createTenant(body, scope: scope) }, get: store.tenant, list: store.tenants,
            update: { id, body, _, scope, _ in try await store.updateTenant(id, body, scope: scope) }, delete: store.deleteTenant
        ).register(on: v1, path: "tenants")
        ResourceRoutes<Project, ProjectCreate, ProjectUpdate>(
            create: { body, scope, _ in try await store.createProject(body, scope: scope) }, get: store.project, list: store.projects,
            update: { id, body, _, scope, _ in try await store.updateProject(id, body, scope: scope) }, delete: store.deleteProject
        ).register(on: v1, path: "projects")
        ResourceRoutes<LogicalSwitch, LogicalSwitchCreate, LogicalSwitchUpdate>(
            create: { body, scope, _ in try await store.createSwitch(body, scope: scope) }, get: store.logicalSwitch, list: store.switches,
            update: { id, body, _, scope, _ in try await store.updateSwitch(id, body, scope: scope) }, delete: store.deleteSwitch
        ).register(on: v1, path: "switches")
        ResourceRoutes<Cluster, ClusterCreate, ClusterUpdate>(
            create: { body, scope, _ in try await store.createCluster(body, scope: scope) }, get: store.cluster, list: store.clusters,
            update: { id, body, _, scope, _ in try await store.updateCluster(id, body, scope: scope) }, delete: store.deleteCluster
        ).register(on: v1, path: "clusters")
        ResourceRoutes<NetworkPolicy, NetworkPolicyCreate, NetworkPolicyUpdate>(
            create: { body, scope, _ in try await store.createPolicy(body, scope: scope) }, get: store.policy, list: store.policies,
            update: { id, body, nulls, scope, _ in try await store.updatePolicy(id, body, nulls: nulls, scope: scope) },
            delete: store.deletePolicy
        ).register(on: v1, path: "policies")
        ResourceRoutes<ExternalNetwork, ExternalNetworkCreate, ExternalNetworkUpdate>(
            create: { body, scope, _ in try await store.createExternalNetwork(body, scope: scope) },
            get: store.externalNetwork, list: store.externalNetworks,
            update: { id, body, _, scope, _ in try await store.updateExternalNetwork(id, body, scope: scope) },
            delete: store.deleteExternalNetwork
        ).register(on: v1, path: "external-networks")
    }

    /// Interfaces and static routes live under their router.
    static func registerRouterChildren(on v1: RouterGroup<APIRequestContext>, store: Store, views: SouthboundViews) {
        v1.post("routers/:id/interfaces") { request, context in
            let (body, _) = try await JSONBody.decode(RouterInterfaceCreate.self, from: request)
            let (router, scope) = (try context.parameters.require("id"), try context.requireScope())
            try await views.requireRoom(switches: [body.switch], routers: [router], field: "switch") {
                _ = try await store.router(router, scope: scope)
                _ = try await store.logicalSwitch(body.switch, scope: scope)
            }
            return try JSONResponse.committed(try await store.attachInterface(router: router, body, scope: scope), status: .created)
        }
        v1.get("routers/:id/interfaces") { request, context in
            try JSONResponse.make(try await store.interfaces(router: context.parameters.require("id"), ListQuery(request: request),
                                                             scope: context.requireScope()))
        }
        v1.delete("routers/:id/interfaces/:interface") { _, context in
            try JSONResponse.deleted(try await store.detachInterface(
                router: context.parameters.require("id"), interface: context.parameters.require("interface"), scope: context.requireScope()))
        }
        v1.post("routers/:id/routes") { request, context in
            let (body, _) = try await JSONBody.decode(StaticRouteCreate.self, from: request)
            let (router, scope) = (try context.parameters.require("id"), try context.requireScope())
            try await views.requireRoom(routers: [router], field: "destination") {
                _ = try await store.router(router, scope: scope)
            }
            return try JSONResponse.committed(try await store.addRoute(router: router, body, scope: scope), status: .created)
        }
        v1.get("routers/:id/routes") { request, context in
            try JSONResponse.make(try await store.routes(router: context.parameters.require("id"), ListQuery(request: request),
                                                         scope: context.requireScope()))
        }
        v1.delete("routers/:id/routes/:route") { _, context in
            try JSONResponse.deleted(try await store.deleteRoute(
                router: context.parameters.require("id"), route: context.parameters.require("route"), scope: context.requireScope()))
        }
    }

    static func registerTokens(on v1: RouterGroup<APIRequestContext>, store: Store) {
        v1.post("tenants/:id/tokens") { request, context in
            let (body, _) = try await JSONBody.decode(TokenCreate.self, from: request)
            return try JSONResponse.committed(
                try await store.createToken(tenant: context.parameters.require("id"), body, scope: context.requireScope()), status: .created)
        }
        v1.get("tenants/:id/tokens") { _, context in
            try JSONResponse.make(try await store.tokens(tenant: context.parameters.require("id"), scope: context.requireScope()))
        }
        v1.delete("tenants/:id/tokens/:token") { _, context in
            try JSONResponse.deleted(try await store.deleteToken(
                tenant: context.parameters.require("id"), token: context.parameters.require("token"), scope: context.requireScope()))
        }
    }
}
