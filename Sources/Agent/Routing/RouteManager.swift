import Kernel
import Southbound

/// Installs each router's routes in its namespace: the static routes from the API, the default
/// route towards the edge leg over the transit segment, and on the edge host the default route
/// through the uplink to the external gateway (`ip -n syrt-ROUTER route replace DEST via NEXTHOP
/// dev LEG`). The device is the leg (or the uplink) whose subnet holds the next hop. Routes with a
/// next hop that no router wants are deleted; the kernel's own subnet routes are left alone.
///
/// Runs after the ``RouterManager`` and ``EdgeManager``, so the legs and the uplink exist.
public struct RouteManager: ReconcileManager {
    public let concern = "routes"
    let namespacePrefix: String
    /// Which routers a pass may skip (the ``RouterManager`` decides); nil: none.
    let verification: RouterVerification?

    public init(namespacePrefix: String = RoutingDomain.defaultNamespacePrefix, verification: RouterVerification? = nil) {
        self.namespacePrefix = namespacePrefix
        self.verification = verification
    }

    /// Reads the routes of each wanted router's namespace that exists (`ip -n NS route show`).
    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        try await verification.tracking { try await observeAndPlan(desired, kernel) }
    }

    private func observeAndPlan(_ desired: HostState, _ kernel: any Kernel) async throws -> Plan {
        let namespaces = Set(try await kernel.namespaces())
        let stable = await verification?.stable ?? []
        var observed: [String: [Route]] = [:]
        for id in desired.routers.keys where namespaces.contains(namespacePrefix + id) && !stable.contains(id) {
            observed[id] = try await kernel.routes(in: namespacePrefix + id)
        }
        let plan = Self.plan(desired: desired, namespacePrefix: namespacePrefix, observed: observed)
        return plan
    }

    /// The operations that make each router's routes (keyed by router; a missing key means a
    /// missing namespace or a router verified unchanged) the wanted ones.
    public static func plan(desired: HostState, namespacePrefix: String, observed: [String: [Route]]) -> Plan {
        var plan = Plan()
        for (id, router) in desired.routers.sorted(by: { $0.key < $1.key }) {
            guard let present = observed[id].map({ Set($0.filter { $0.gateway != nil }) }) else { continue }
            var routes = router.routes
            if let edge = desired.edgeRouters[id], !routes.contains(where: { $0.destination == "0.0.0.0/0" }) {
                routes.append(RouteState(destination: "0.0.0.0/0", nexthop: edge.externalGateway))
            }
            var wanted: Set<Route> = []
            for route in routes {
                guard let device = device(reaching: route.nexthop, router: router, edge: desired.edgeRouters[id], switches: desired.switches) else {
                    plan.refuse(id, because: "route \(route.destination): the next hop \(route.nexthop) is on none of the router's subnets",
                                skippingItsSteps: false)
                    continue
                }
                wanted.insert(Route(destination: route.destination, gateway: route.nexthop, device: device))
            }
            let namespace = namespacePrefix + id
            for stale in present.subtracting(wanted).sorted(by: { $0.destination < $1.destination }) {
                plan.append(.deleteRoute(stale, namespace: namespace), for: id)
            }
            for missing in wanted.subtracting(present).sorted(by: { $0.destination < $1.destination }) {
                plan.append(.addRoute(missing, namespace: namespace), for: id)
            }
        }
        return plan
    }

    /// The router's device whose subnet holds `nexthop`.
    static func device(reaching nexthop: String, router: RouterState, edge: EdgeRouterState?, switches: [String: SwitchState]) -> String? {
        for leg in RouterManager.legs(of: router) where IPv4Text.prefix(leg.ip, contains: nexthop) {
            if let vni = switches[leg.switch]?.vni { return DeviceName.legInRouter(vni: vni) }
        }
        if let edge, IPv4Text.prefix(edge.externalCIDR, contains: nexthop) { return DeviceName.uplink }
        return nil
    }
}
