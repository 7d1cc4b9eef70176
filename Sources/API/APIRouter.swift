import Foundation
import Hummingbird
import Northbound
import Store

/// The REST API under `/v1`. Every route but the OpenAPI document needs a bearer token.
public enum APIRouter {
    public static func make(store: Store) -> Hummingbird.Router<APIRequestContext> {
        let router = Hummingbird.Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.get("/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
        }
        let v1 = router.group("v1").add(middleware: AuthMiddleware(store: store))
        v1.get("revision") { _, context in
            _ = try context.requireScope()
            struct Revision: Encodable { let revision: Int64 }
            return try JSONResponse.make(Revision(revision: try await store.revision()))
        }
        registerResources(on: v1, store: store)
        registerRouterChildren(on: v1, store: store)
        registerTokens(on: v1, store: store)
        return router
    }

    static func registerResources(on v1: RouterGroup<APIRequestContext>, store: Store) {
        ResourceRoutes<Tenant, TenantCreate, TenantUpdate>(
            create: store.createTenant, get: store.tenant, list: store.tenants,
            update: { id, body, _, scope in try await store.updateTenant(id, body, scope: scope) }, delete: store.deleteTenant
        ).register(on: v1, path: "tenants")
        ResourceRoutes<Project, ProjectCreate, ProjectUpdate>(
            create: store.createProject, get: store.project, list: store.projects,
            update: { id, body, _, scope in try await store.updateProject(id, body, scope: scope) }, delete: store.deleteProject
        ).register(on: v1, path: "projects")
        ResourceRoutes<LogicalSwitch, LogicalSwitchCreate, LogicalSwitchUpdate>(
            create: store.createSwitch, get: store.logicalSwitch, list: store.switches,
            update: { id, body, _, scope in try await store.updateSwitch(id, body, scope: scope) }, delete: store.deleteSwitch
        ).register(on: v1, path: "switches")
        ResourceRoutes<Northbound.Port, PortCreate, PortUpdate>(
            create: store.createPort, get: store.port, list: store.ports, update: store.updatePort, delete: store.deletePort
        ).register(on: v1, path: "ports")
        ResourceRoutes<LogicalRouter, RouterCreate, RouterUpdate>(
            create: store.createRouter, get: store.router, list: store.routers, update: store.updateRouter, delete: store.deleteRouter
        ).register(on: v1, path: "routers")
        ResourceRoutes<ExternalNetwork, ExternalNetworkCreate, ExternalNetworkUpdate>(
            create: store.createExternalNetwork, get: store.externalNetwork, list: store.externalNetworks,
            update: { id, body, _, scope in try await store.updateExternalNetwork(id, body, scope: scope) },
            delete: store.deleteExternalNetwork
        ).register(on: v1, path: "external-networks")
        ResourceRoutes<FloatingIP, FloatingIPCreate, FloatingIPUpdate>(
            create: store.createFloatingIP, get: store.floatingIP, list: store.floatingIPs, update: store.updateFloatingIP,
            delete: store.deleteFloatingIP
        ).register(on: v1, path: "floating-ips")
        ResourceRoutes<Northbound.Host, HostCreate, HostUpdate>(
            create: store.createHost, get: store.host, list: store.hosts,
            update: { id, body, _, scope in try await store.updateHost(id, body, scope: scope) }, delete: store.deleteHost
        ).register(on: v1, path: "hosts")
    }

    /// Interfaces and static routes live under their router.
    static func registerRouterChildren(on v1: RouterGroup<APIRequestContext>, store: Store) {
        v1.post("routers/:id/interfaces") { request, context in
            let (body, _) = try await JSONBody.decode(RouterInterfaceCreate.self, from: request)
            return try JSONResponse.committed(
                try await store.attachInterface(router: context.parameters.require("id"), body, scope: context.requireScope()), status: .created)
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
            return try JSONResponse.committed(
                try await store.addRoute(router: context.parameters.require("id"), body, scope: context.requireScope()), status: .created)
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
