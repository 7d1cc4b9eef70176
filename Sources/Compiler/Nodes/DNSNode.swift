import Northbound
import Southbound

/// The DNS zone each router instance serves: its services (`SERVICE.PROJECT`, or `SERVICE` without
/// a project) with SRV records per port, and the ports of its switches (`PORT.SWITCH`), under
/// `TENANT.switchyard.internal`. Only names that are DNS labels (lower-case letters, digits,
/// hyphens) get records.
struct DNSNode {
    let state: DesiredState
    let index: TopologyIndex
    /// Each router's zone: every host running the router gets the same one.
    let cache: RunMemo<DNSZoneState?>

    static let provider = "switchyard.internal"

    /// The zones of `routers`, by router id; nil when none has one.
    func zones(of routers: Set<String>) -> [String: DNSZoneState]? {
        var result: [String: DNSZoneState] = [:]
        for router in routers {
            if let zone = cache.value(for: router, { zone(of: router) }) { result[router] = zone }
        }
        return result.isEmpty ? nil : result
    }

    func zone(of routerID: String) -> DNSZoneState? {
        guard let router = state.routers[routerID], let tenant = state.tenants[router.tenant], Self.isLabel(tenant.name) else { return nil }
        var zone = DNSZoneState(provider: Self.provider, zone: "\(tenant.name).\(Self.provider)")
        if let network = router.externalNetwork.flatMap({ state.externalNetworks[$0] }), !network.dnsServers.isEmpty {
            zone.upstreams = network.dnsServers
        }
        let switches = (index.interfacesByRouter[routerID] ?? []).compactMap { state.interfaces[$0]?.switch }
        for switchID in switches {
            guard let logicalSwitch = state.switches[switchID], Self.isLabel(logicalSwitch.name) else { continue }
            for portID in index.portsBySwitch[switchID] ?? [] {
                guard let port = state.ports[portID], Self.isLabel(port.name) else { continue }
                zone.addresses["\(port.name).\(logicalSwitch.name)", default: []].append(port.ip)
            }
        }
        for serviceID in index.servicesByRouter[routerID] ?? [] {
            guard let service = state.services[serviceID], Self.isLabel(service.name) else { continue }
            let project = service.project.flatMap { state.projects[$0]?.name }
            if let project, !Self.isLabel(project) { continue }
            let name = [service.name, project].compactMap { $0 }.joined(separator: ".")
            if let vip = service.vip {
                zone.addresses[name, default: []].append(vip)
            } else {
                zone.headless = (zone.headless ?? [:]).merging([name: service.id]) { $1 }
            }
            for port in service.ports {
                let label = port.name.map { Self.isLabel($0) ? $0 : String(port.port) } ?? String(port.port)
                zone.services["_\(label)._\(port.protocol.rawValue).\(name)", default: []].append(DNSServiceTarget(port: port.port, target: name))
            }
        }
        for key in zone.addresses.keys { zone.addresses[key]?.sort() }
        return zone
    }

    /// A DNS label as hosts expect one (RFC 1123): letters, digits and inner hyphens, at most 63.
    static func isLabel(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 63 && text.first != "-" && text.last != "-"
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
