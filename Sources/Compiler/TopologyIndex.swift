import Northbound

/// Reverse lookups over a `DesiredState`, kept up to date change by change so that compiling one
/// host never scans the whole network.
struct TopologyIndex: Sendable {
    private(set) var portsBySwitch: [String: Set<String>] = [:]
    /// How many ports of a switch each host holds; a switch is local to the hosts listed here.
    private(set) var portHostsBySwitch: [String: [String: Int]] = [:]
    private(set) var portsByHost: [String: Set<String>] = [:]
    /// Host → policy group (``PolicyGroup``) → its ports there: policies select groups alike, so
    /// what a policy selects is found by one port of each group, not by every port.
    private(set) var policyGroupsByHost: [String: [String: Set<String>]] = [:]
    private(set) var interfacesByRouter: [String: Set<String>] = [:]
    private(set) var interfacesBySwitch: [String: Set<String>] = [:]
    private(set) var routesByRouter: [String: Set<String>] = [:]
    private(set) var floatingIPByPort: [String: String] = [:]
    private(set) var servicesByRouter: [String: Set<String>] = [:]
    /// Label (`key=value`) → the ids of the ports carrying it, for policies that select by label.
    private(set) var portsByLabel: [String: Set<String>] = [:]

    init(_ state: DesiredState) {
        for port in state.ports.values { addPort(port) }
        for interface in state.interfaces.values { addInterface(interface) }
        for route in state.routes.values { routesByRouter[route.router, default: []].insert(route.id) }
        for floatingIP in state.floatingIPs.values { if let port = floatingIP.port { floatingIPByPort[port] = floatingIP.id } }
        for service in state.services.values { servicesByRouter[service.router, default: []].insert(service.id) }
    }

    /// Updates the index for `change`, given the state before it.
    mutating func apply(_ change: DesiredChange, before: DesiredState) {
        switch change {
        case .port(let id, let port):
            if let old = before.ports[id] { removePort(old) }
            if let port { addPort(port) }
        case .interface(let id, let interface):
            if let old = before.interfaces[id] { removeInterface(old) }
            if let interface { addInterface(interface) }
        case .route(let id, let route):
            if let old = before.routes[id] { routesByRouter[old.router]?.remove(id) }
            if let route { routesByRouter[route.router, default: []].insert(id) }
        case .floatingIP(let id, let floatingIP):
            if let port = before.floatingIPs[id]?.port, floatingIPByPort[port] == id { floatingIPByPort[port] = nil }
            if let port = floatingIP?.port { floatingIPByPort[port] = id }
        case .service(let id, let service):
            if let old = before.services[id] { servicesByRouter[old.router]?.remove(id) }
            if let service { servicesByRouter[service.router, default: []].insert(id) }
        case .host, .logicalSwitch, .router, .externalNetwork, .tenant, .project, .cluster, .policy:
            break
        }
    }

    private mutating func addPort(_ port: Port) {
        portsBySwitch[port.switch, default: []].insert(port.id)
        for label in Self.labelKeys(of: port) { portsByLabel[label, default: []].insert(port.id) }
        guard let host = port.host else { return }
        portsByHost[host, default: []].insert(port.id)
        policyGroupsByHost[host, default: [:]][PolicyGroup.name(of: port), default: []].insert(port.id)
        portHostsBySwitch[port.switch, default: [:]][host, default: 0] += 1
    }

    private mutating func removePort(_ port: Port) {
        portsBySwitch[port.switch]?.remove(port.id)
        for label in Self.labelKeys(of: port) {
            portsByLabel[label]?.remove(port.id)
            if portsByLabel[label]?.isEmpty == true { portsByLabel[label] = nil }
        }
        guard let host = port.host else { return }
        portsByHost[host]?.remove(port.id)
        let group = PolicyGroup.name(of: port)
        policyGroupsByHost[host]?[group]?.remove(port.id)
        if policyGroupsByHost[host]?[group]?.isEmpty == true { policyGroupsByHost[host]?[group] = nil }
        let remaining = (portHostsBySwitch[port.switch]?[host] ?? 1) - 1
        portHostsBySwitch[port.switch]?[host] = remaining > 0 ? remaining : nil
    }

    private mutating func addInterface(_ interface: RouterInterface) {
        interfacesByRouter[interface.router, default: []].insert(interface.id)
        interfacesBySwitch[interface.switch, default: []].insert(interface.id)
    }

    private mutating func removeInterface(_ interface: RouterInterface) {
        interfacesByRouter[interface.router]?.remove(interface.id)
        interfacesBySwitch[interface.switch]?.remove(interface.id)
    }

    /// How a label is keyed in ``portsByLabel``.
    static func labelKey(_ key: String, _ value: String) -> String { "\(key)=\(value)" }

    private static func labelKeys(of port: Port) -> [String] {
        port.labels.map { labelKey($0.key, $0.value) }
    }

    /// Hosts holding at least one port of the switch.
    func hostsWithPorts(on switchID: String) -> Set<String> {
        Set(portHostsBySwitch[switchID]?.keys ?? [:].keys)
    }
}
