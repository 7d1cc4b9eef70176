import Northbound

// The columns of each kind's `-o table` output.

extension Tenant {
    public static var columns: [String] { ["NAME", "ID", "SWITCH-QUOTA", "PORT-QUOTA", "ROUTER-QUOTA", "FIP-QUOTA"] }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, String(quotas.switches), String(quotas.ports), String(quotas.routers), String(quotas.floatingIps)]
    }
}

extension Project {
    public static var columns: [String] { ["NAME", "ID", "TENANT"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.tenant, tenant)] }
    public func cells(names: NameDirectory) -> [String] { [name, id, names.name(tenant)] }
}

extension AuditEntry: TableRepresentable {
    public static var columns: [String] { ["SEQ", "REVISION", "AT", "ACTOR", "SCOPE", "OPERATION", "KIND", "OBJECT"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [] }
    public func cells(names: NameDirectory) -> [String] {
        [String(sequence), String(revision), at, actor?.token ?? "controller", actor?.scope ?? "-", operation.rawValue, kind, object]
    }
}

extension Cluster {
    public static var columns: [String] { ["NAME", "ID", "TENANT", "KIND", "HOSTS"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.tenant, tenant)] + hosts.map { (.host, $0) } }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, names.name(tenant), clusterKind.rawValue, hosts.isEmpty ? "-" : hosts.map(names.name).joined(separator: ",")]
    }
}

extension LogicalSwitch {
    public static var columns: [String] { ["NAME", "ID", "TENANT", "CIDR", "GATEWAY", "VNI", "MTU"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.tenant, tenant)] }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, names.name(tenant), cidr, gateway, String(vni), String(mtu)]
    }
}

extension Port {
    public static var columns: [String] { ["NAME", "ID", "SWITCH", "IP", "MAC", "HOST"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.logicalSwitch, self.switch)] + (host.map { [(.host, $0)] } ?? []) }
    public func cells(names: NameDirectory) -> [String] { [name, id, names.name(self.switch), ip, mac, names.name(host)] }
}

extension LogicalRouter {
    public static var columns: [String] { ["NAME", "ID", "TENANT", "EXTERNAL-NETWORK", "UPLINK-IP", "SNAT"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] {
        [(.tenant, tenant)] + (externalNetwork.map { [(.externalNetwork, $0)] } ?? [])
    }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, names.name(tenant), names.name(externalNetwork), uplinkIp ?? "-", externalNetwork == nil ? "-" : String(snat)]
    }
}

extension ExternalNetwork {
    public static var columns: [String] { ["NAME", "ID", "CIDR", "GATEWAY", "POOL", "DNS-SERVERS"] }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, cidr, gateway, "\(poolStart)-\(poolEnd)", dnsServers.isEmpty ? "-" : dnsServers.joined(separator: ",")]
    }
}

extension FloatingIP {
    public static var columns: [String] { ["ADDRESS", "ID", "TENANT", "EXTERNAL-NETWORK", "PORT"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] {
        [(.tenant, tenant), (.externalNetwork, externalNetwork)] + (port.map { [(.port, $0)] } ?? [])
    }
    public func cells(names: NameDirectory) -> [String] {
        [address, id, names.name(tenant), names.name(externalNetwork), names.name(port)]
    }
}

extension Host {
    /// CONNECTED and ACKED come from the agent's status, which a controller without its southbound listener leaves out (`-`).
    public static var columns: [String] { ["NAME", "ID", "ADDRESS", "ROLE", "CONNECTED", "ACKED"] }
    public func cells(names: NameDirectory) -> [String] {
        [name, id, address, role.rawValue, status.map { String($0.connected) } ?? "-", status.map { String($0.ackedRevision) } ?? "-"]
    }
}

extension RouterInterface: TableRepresentable {
    public static var columns: [String] { ["ROUTER", "SWITCH", "IP", "ID"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.router, router), (.logicalSwitch, self.switch)] }
    public func cells(names: NameDirectory) -> [String] { [names.name(router), names.name(self.switch), ip, id] }
}

extension StaticRoute: TableRepresentable {
    public static var columns: [String] { ["ROUTER", "DESTINATION", "NEXTHOP", "ID"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.router, router)] }
    public func cells(names: NameDirectory) -> [String] { [names.name(router), destination, nexthop, id] }
}

extension NetworkPolicy {
    public static var columns: [String] { ["NAME", "ID", "TENANT", "TIER", "PRIORITY", "APPLIES-TO", "INGRESS", "EGRESS"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { tenant.map { [(.tenant, $0)] } ?? [] }
    public func cells(names: NameDirectory) -> [String] {
        let selector = [("tenant", appliesTo.tenant), ("project", appliesTo.project), ("cluster", appliesTo.cluster)]
            .compactMap { key, value in value.map { "\(key)=\($0)" } }
            + (appliesTo.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        func rules(_ rules: [PolicyRule]?) -> String { rules.map { $0.count == 1 ? "1 rule" : "\($0.count) rules" } ?? "-" }
        return [name, id, tenant.map { names.name($0) } ?? "(admin)", tier.rawValue, String(priority),
                selector.isEmpty ? "*" : selector.joined(separator: ","), rules(ingress), rules(egress)]
    }
}

extension Service {
    public static var columns: [String] { ["NAME", "ID", "TENANT", "ROUTER", "VIP", "EXTERNAL-IP", "PORTS", "SELECTOR", "ALGORITHM"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.tenant, tenant), (.router, router)] }
    public func cells(names: NameDirectory) -> [String] {
        let ports = self.ports.map { "\($0.port):\($0.targetPort ?? $0.port)/\($0.protocol.rawValue)" }.joined(separator: ",")
        let selector = (selector.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [("project", selector.project), ("cluster", selector.cluster)].compactMap { key, value in value.map { "\(key)=\(names.name($0))" } }
        return [name, id, names.name(tenant), names.name(router), vip ?? "None", externalIp ?? "-", ports, selector.isEmpty ? "*" : selector.joined(separator: ","),
                algorithm.rawValue]
    }
}

extension ServiceEndpoint: TableRepresentable {
    public static var columns: [String] { ["PORT", "IP", "SWITCH", "HOST", "HEALTH", "CHECK", "ID"] }
    public var referencedIDs: [(kind: ResourceKind, id: String)] { [(.logicalSwitch, self.switch)] + (host.map { [(.host, $0)] } ?? []) }
    public func cells(names: NameDirectory) -> [String] {
        let verdict = health.map { $0.healthy ? "healthy" : "unhealthy" } ?? "-"
        let output = health.map { String($0.output.prefix(40)).replacingOccurrences(of: "\n", with: " ") } ?? "-"
        return [name, ip, names.name(self.switch), names.name(host), verdict, output, port]
    }
}
