import Foundation
import Hummingbird
import Northbound
import Store

/// Hosts, ports and routers as the API shows them: store objects plus what the agents report.
struct SouthboundViews: Sendable {
    let store: Store
    let southbound: (any SouthboundControl)?

    func host(_ host: Northbound.Host) async -> Northbound.Host {
        var host = host
        host.status = await southbound?.status(ofHost: host.id)
        return host
    }

    func port(_ port: Northbound.Port, wait: RealizationWait = .immediate) async -> Northbound.Port {
        guard let southbound else { return port }
        var port = port
        let revision = port.revision
        let id = port.id
        let check = { await southbound.realization(ofPort: id, revision: revision) }
        port.status = await wait.wait(check, on: southbound)
        return port
    }

    /// A service is realized when every host running its router has applied its revision.
    func service(_ service: Service, wait: RealizationWait = .immediate) async -> Service {
        guard let southbound else { return service }
        var service = service
        let (revision, router) = (service.revision, service.router)
        let check = { await southbound.realization(ofRouter: router, revision: revision) }
        service.status = await wait.wait(check, on: southbound)
        return service
    }

    func router(_ router: LogicalRouter, wait: RealizationWait = .immediate) async -> LogicalRouter {
        guard let southbound else { return router }
        var router = router
        let revision = router.revision
        let id = router.id
        let check = { await southbound.realization(ofRouter: id, revision: revision) }
        router.status = await wait.wait(check, on: southbound)
        router.edgeHost = await southbound.edgeHost(ofRouter: id)
        return router
    }

    /// Refuses with `quota_exceeded` (on `field`) what would grow a host's state past the bound
    /// (``SouthboundControl/hostStateLimitReached(switches:routers:hosts:)``). Only then is
    /// `visible` run, to check that the caller sees the objects named: a refusal must not tell
    /// anything about objects of other tenants.
    func requireRoom(switches: [String] = [], routers: [String] = [], hosts: [String] = [], field: String,
                     visible: () async throws -> Void) async throws {
        guard let limit = await southbound?.hostStateLimitReached(switches: switches, routers: routers, hosts: hosts) else { return }
        try await visible()
        throw ModelError(.quotaExceeded, field: field,
                         "a host that would hold this object already holds \(limit) entries, the most one host may; spread the workload over more switches or hosts")
    }

    /// A floating IP adds an entry at the edge host of the port's router, which runs the port's switch.
    func requireRoom(forFloatingIPOn portID: String, store: Store, scope: Scope) async throws {
        let port: Northbound.Port
        do {
            port = try await store.port(portID, scope: scope)
        } catch let error as ModelError where error.code == .notFound {
            throw ModelError.notFound("port", portID, field: "port")
        }
        try await requireRoom(switches: [port.switch], field: "port") {}
    }

    func requireSouthbound() throws -> any SouthboundControl {
        guard let southbound else { throw ModelError(.unavailable, "the southbound listener is not running") }
        return southbound
    }
}

extension APIRouter {
    static func registerResources(on v1: RouterGroup<APIRequestContext>, store: Store, views: SouthboundViews) {
        registerTenancy(on: v1, store: store)
        ResourceRoutes<Northbound.Port, PortCreate, PortUpdate>(
            create: { body, scope, _ in
                try await views.requireRoom(switches: [body.switch], hosts: body.host.map { [$0] } ?? [], field: "switch") {
                    if body.host != nil { try Store.requirePlacement(scope) }
                    _ = try await store.logicalSwitch(body.switch, scope: scope)
                }
                return try await store.createPort(body, scope: scope)
            },
            get: store.port, list: store.ports,
            update: { id, body, nulls, scope, _ in
                if let host = body.host {
                    let port = try await store.port(id, scope: scope)
                    try await views.requireRoom(switches: [port.switch], hosts: [host], field: "host") { try Store.requirePlacement(scope) }
                }
                return try await store.updatePort(id, body, nulls: nulls, scope: scope)
            },
            delete: store.deletePort
        ).viewed { port, wait in await views.port(port, wait: wait) }.register(on: v1, path: "ports")
        ResourceRoutes<LogicalRouter, RouterCreate, RouterUpdate>(
            create: { body, scope, _ in try await store.createRouter(body, scope: scope) },
            get: store.router, list: store.routers,
            update: { id, body, nulls, scope, _ in
                // An uplink brings the router's subnets and floating IPs to its edge host.
                if body.externalNetwork != nil {
                    try await views.requireRoom(routers: [id], field: "externalNetwork") { _ = try await store.router(id, scope: scope) }
                }
                return try await store.updateRouter(id, body, nulls: nulls, scope: scope)
            },
            delete: store.deleteRouter
        ).viewed { router, wait in await views.router(router, wait: wait) }.register(on: v1, path: "routers")
        ResourceRoutes<Service, ServiceCreate, ServiceUpdate>(
            create: { body, scope, _ in
                // Every host running the router load-balances the service.
                try await views.requireRoom(routers: [body.router], field: "router") { _ = try await store.router(body.router, scope: scope) }
                return try await store.createService(body, scope: scope)
            },
            get: store.service, list: store.services,
            update: { id, body, nulls, scope, _ in try await store.updateService(id, body, nulls: nulls, scope: scope) },
            delete: store.deleteService
        ).viewed { service, wait in await views.service(service, wait: wait) }.register(on: v1, path: "services")
        v1.get("services/:id/endpoints") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try await ServiceEndpointsView.make(id, scope: context.requireScope(), store: store,
                                                                            southbound: views.southbound))
        }
        ResourceRoutes<FloatingIP, FloatingIPCreate, FloatingIPUpdate>(
            create: { body, scope, _ in
                if let port = body.port { try await views.requireRoom(forFloatingIPOn: port, store: store, scope: scope) }
                return try await store.createFloatingIP(body, scope: scope)
            },
            get: store.floatingIP, list: store.floatingIPs,
            update: { id, body, nulls, scope, _ in
                if let port = body.port { try await views.requireRoom(forFloatingIPOn: port, store: store, scope: scope) }
                return try await store.updateFloatingIP(id, body, nulls: nulls, scope: scope)
            },
            delete: store.deleteFloatingIP
        ).register(on: v1, path: "floating-ips")
        ResourceRoutes<Northbound.Host, HostCreate, HostUpdate>(
            create: { body, scope, _ in try await store.createHost(body, scope: scope) },
            get: store.host, list: store.hosts,
            update: { id, body, _, scope, _ in try await store.updateHost(id, body, scope: scope) },
            delete: { id, scope in
                let name = try await store.host(id, scope: scope).name
                let committed = try await store.deleteHost(id, scope: scope)
                await views.southbound?.revoke(hostName: name, revision: committed.revision)
                return committed
            }
        ).viewed { host, _ in await views.host(host) }.register(on: v1, path: "hosts")
        registerHostEnrollment(on: v1, store: store, views: views)
    }

    /// `POST /v1/hosts/{id}/enroll-tokens` and `POST /v1/hosts/{id}/revoke`.
    static func registerHostEnrollment(on v1: RouterGroup<APIRequestContext>, store: Store, views: SouthboundViews) {
        v1.post("hosts/:id/enroll-tokens") { request, context in
            let (body, _) = try await JSONBody.decode(HostEnrollmentTokenCreate.self, from: request)
            let scope = try context.requireScope()
            let id = try context.parameters.require("id")
            let ttl = try Validate.range(body.ttlSeconds ?? 86_400, 60...(30 * 86_400), field: "ttlSeconds")
            let host = try await store.host(id, scope: scope)
            let grant = try views.requireSouthbound().makeEnrollmentToken(hostName: host.name, ttlSeconds: ttl)
            let committed = try await store.createEnrollmentToken(host: id, hash: grant.secretHash, expiresAt: grant.expiresAt, scope: scope)
            let token = HostEnrollmentToken(host: id, token: grant.secret, joinString: grant.joinString,
                                            expiresAt: ISO8601DateFormatter().string(from: grant.expiresAt), revision: committed.revision)
            return try JSONResponse.make(token, status: .created, revision: committed.revision)
        }
        v1.post("hosts/:id/revoke") { _, context in
            let committed = try await store.revokeHost(context.parameters.require("id"), scope: context.requireScope())
            await views.southbound?.revoke(hostName: committed.value.name, revision: committed.revision)
            return try JSONResponse.committed(Committed(value: await views.host(committed.value), revision: committed.revision))
        }
    }
}
