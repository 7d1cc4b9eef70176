import Northbound

/// Decides what `apply` changes on an object that already exists; a nil update means it already matches.
///
/// Fields the manifest leaves out are not managed. A differing field the API cannot change in place is an error
/// that tells the operator to delete and recreate. Desired values are ids and normalized addresses, as
/// `ManifestParser` and `ManifestObject.resolved(with:)` produce them.
public enum UpdatePlanner {
    public static func update(_ current: Tenant, toward desired: TenantCreate) -> TenantUpdate? {
        var update = TenantUpdate()
        if let limits = desired.quotas, differs(limits, from: current.quotas) { update.quotas = limits }
        update.labels = changed(current.labels, desired.labels)
        return update.quotas == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: Project, toward desired: ProjectCreate) -> ProjectUpdate? {
        changed(current.labels, desired.labels).map { ProjectUpdate(labels: $0) }
    }

    public static func update(_ current: LogicalSwitch, toward desired: LogicalSwitchCreate) throws -> LogicalSwitchUpdate? {
        try requireSame(current.cidr, desired.cidr, field: "cidr")
        try requireSame(current.gateway, desired.gateway, field: "gateway")
        try requireSame(current.cidr6, desired.cidr6, field: "cidr6")
        try requireSame(current.gateway6, desired.gateway6, field: "gateway6")
        try requireSame(current.project, desired.project, field: "project")
        let update = LogicalSwitchUpdate(mtu: changed(current.mtu, desired.mtu), labels: changed(current.labels, desired.labels))
        return update.mtu == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: Port, toward desired: PortCreate) throws -> PortUpdate? {
        try requireSame(current.ip, desired.ip, field: "ip")
        try requireSame(current.ip6, desired.ip6, field: "ip6")
        try requireSame(current.mac, desired.mac, field: "mac")
        let update = PortUpdate(host: changed(current.host, desired.host), cluster: changed(current.cluster, desired.cluster),
                                labels: changed(current.labels, desired.labels))
        return update.host == nil && update.cluster == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: LogicalRouter, toward desired: RouterCreate) throws -> RouterUpdate? {
        try requireSame(current.project, desired.project, field: "project")
        let update = RouterUpdate(externalNetwork: changed(current.externalNetwork, desired.externalNetwork),
                                  snat: changed(current.snat, desired.snat), labels: changed(current.labels, desired.labels))
        return update.externalNetwork == nil && update.snat == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: ExternalNetwork, toward desired: ExternalNetworkCreate) throws -> ExternalNetworkUpdate? {
        try requireSame(current.cidr, desired.cidr, field: "cidr")
        try requireSame(current.gateway, desired.gateway, field: "gateway")
        try requireSame(current.poolStart, desired.poolStart, field: "poolStart")
        try requireSame(current.poolEnd, desired.poolEnd, field: "poolEnd")
        let update = ExternalNetworkUpdate(dnsServers: changed(current.dnsServers, desired.dnsServers), labels: changed(current.labels, desired.labels))
        return update.dnsServers == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: FloatingIP, toward desired: FloatingIPCreate) throws -> FloatingIPUpdate? {
        try requireSame(current.tenant, desired.tenant, field: "tenant")
        try requireSame(current.externalNetwork, desired.externalNetwork, field: "externalNetwork")
        let update = FloatingIPUpdate(port: changed(current.port, desired.port), labels: changed(current.labels, desired.labels))
        return update.port == nil && update.labels == nil ? nil : update
    }

    public static func update(_ current: Cluster, toward desired: ClusterCreate) throws -> ClusterUpdate? {
        try requireSame(current.clusterKind.rawValue, desired.kind.rawValue, field: "kind")
        try requireSame(current.project, desired.project, field: "project")
        let hosts = desired.hosts.flatMap { Set($0) == Set(current.hosts) ? nil : $0 }
        let update = ClusterUpdate(hosts: hosts, labels: changed(current.labels, desired.labels))
        return update.hosts == nil && update.labels == nil ? nil : update
    }

    /// A service's router, VIP, type and external address stay; its ports, selector and algorithm
    /// are replaced when they differ.
    public static func update(_ current: Service, toward desired: ServiceCreate) throws -> ServiceUpdate? {
        try requireSame(current.router, desired.router, field: "router")
        try requireSame(current.project, desired.project, field: "project")
        if let vip = desired.vip { try requireSame(current.vip, vip, field: "vip") }
        let type = desired.type ?? (desired.externalIp == nil ? .internal : .external)
        try requireSame(current.type.rawValue, type.rawValue, field: "type")
        if let external = desired.externalIp { try requireSame(current.externalIp, external, field: "externalIp") }
        let update = ServiceUpdate(ports: changed(current.ports, desired.ports), selector: changed(current.selector, desired.selector ?? ServiceSelector()),
                                   algorithm: changed(current.algorithm, desired.algorithm ?? .random),
                                   healthCheck: changed(current.healthCheck, desired.healthCheck), labels: changed(current.labels, desired.labels))
        return update.ports == nil && update.selector == nil && update.algorithm == nil && update.healthCheck == nil && update.labels == nil
            ? nil : update
    }

    /// A policy's selectors and rules are replaced whole when they differ; a direction the manifest
    /// leaves out is cleared (`null`).
    public static func update(_ current: NetworkPolicy, toward desired: NetworkPolicyCreate) throws -> PolicyPatch? {
        try requireSame(current.tier.rawValue, (desired.tier ?? .tenant).rawValue, field: "tier")
        try requireSame(current.project, desired.project, field: "project")
        let patch = PolicyPatch(priority: changed(current.priority, desired.priority ?? 0),
                                appliesTo: changed(current.appliesTo, desired.appliesTo ?? PolicySelector()),
                                ingress: current.ingress == desired.ingress ? nil : .some(desired.ingress),
                                egress: current.egress == desired.egress ? nil : .some(desired.egress),
                                labels: changed(current.labels, desired.labels))
        return patch.isEmpty ? nil : patch
    }

    public static func update(_ current: Host, toward desired: HostCreate) -> HostUpdate? {
        let update = HostUpdate(address: changed(current.address, desired.address), role: changed(current.role, desired.role),
                                labels: changed(current.labels, desired.labels))
        return update.address == nil && update.role == nil && update.labels == nil ? nil : update
    }

    /// The interfaces to attach: those on switches the router is not on yet. An existing interface
    /// with another address than the manifest asks for cannot be moved in place.
    public static func interfacesToAttach(_ current: [RouterInterface], desired: [RouterInterfaceCreate]) throws -> [RouterInterfaceCreate] {
        try desired.filter { wanted in
            guard let existing = current.first(where: { $0.switch == wanted.switch }) else { return true }
            try requireSame(existing.ip, wanted.ip, field: "the interface address on switch \(wanted.switch)")
            return false
        }
    }

    /// Routes to add, and existing routes to remove first because the manifest gives their destination another next hop.
    public static func routeChanges(_ current: [StaticRoute], desired: [StaticRouteCreate]) -> (remove: [StaticRoute], add: [StaticRouteCreate]) {
        var remove: [StaticRoute] = []
        var add: [StaticRouteCreate] = []
        for wanted in desired {
            if let existing = current.first(where: { $0.destination == wanted.destination }) {
                guard existing.nexthop != wanted.nexthop else { continue }
                remove.append(existing)
            }
            add.append(wanted)
        }
        return (remove, add)
    }

    /// The desired value when the manifest gives one and it differs from the current value.
    static func changed<Value: Equatable>(_ current: Value?, _ desired: Value?) -> Value? {
        guard let desired, desired != current else { return nil }
        return desired
    }

    static func differs(_ limits: QuotaLimits, from quotas: Quotas) -> Bool {
        let pairs: [(Int?, Int)] = [(limits.switches, quotas.switches), (limits.ports, quotas.ports), (limits.routers, quotas.routers),
                                    (limits.floatingIps, quotas.floatingIps), (limits.policies, quotas.policies),
                                    (limits.services, quotas.services)]
        return pairs.contains { wanted, current in wanted.map { $0 != current } ?? false }
    }

    static func requireSame(_ current: String?, _ desired: String?, field: String) throws {
        guard let desired, desired != current else { return }
        throw SyctlError.immutableField(field: field, current: current ?? "unset", desired: desired)
    }
}
