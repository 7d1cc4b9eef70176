import Kernel
import Southbound

/// Answers ARP and neighbour solicitations for remote ports on the host, so they never flood the
/// overlay: each switch's VXLAN device runs with `proxy` on (see ``SwitchDevices``) and holds one
/// permanent neighbour entry per remote port address
/// (`ip neigh replace IP lladdr MAC dev syvx-VNI nud permanent`). With `proxy` on, the VXLAN device
/// replies to a request for an address in its table itself and drops the request either way.
///
/// Any other permanent entry on those devices is removed (`ip neigh del …`). A switch whose VXLAN
/// device is missing gets no plan: the ``SwitchManager`` has reported why.
public struct NeighbourManager: ReconcileManager {
    public let concern = "neighbours"

    /// A manager for the agent's own namespace.
    public init() {}

    /// Reads the permanent neighbours of each desired VXLAN device that exists
    /// (`ip neigh show dev syvx-VNI nud permanent`) and plans against them.
    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let wanted = Set(desired.switches.values.map { DeviceName.vxlan(vni: $0.vni) })
        let devices = try await kernel.links(in: nil).map(\.name).filter(wanted.contains).sorted()
        var observed = Dictionary(devices.map { ($0, [Neighbour]()) }, uniquingKeysWith: { first, _ in first })
        for entry in try await kernel.neighbours(devices: devices, in: nil) { observed[entry.device, default: []].append(entry) }
        return Self.plan(desired: desired, observed: observed)
    }

    /// The operations that turn the entries `observed` (keyed by VXLAN device; a missing key means a
    /// missing device) into one entry per remote port address; empty when they already match.
    public static func plan(desired: HostState, observed: [String: [Neighbour]]) -> Plan {
        var plan = Plan()
        for (id, state) in desired.switches.sorted(by: { $0.key < $1.key }) {
            let device = DeviceName.vxlan(vni: state.vni)
            guard let reported = observed[device] else { continue }
            let present = Set(reported.map { Neighbour(ip: $0.ip, mac: $0.mac.lowercased(), device: $0.device) })
            let wanted = Set(state.remotePorts.flatMap { port in
                ([port.ip] + [port.ip6].compactMap { $0 }).map {
                    Neighbour(ip: PortManager.split($0).0, mac: port.mac.lowercased(), device: device)
                }
            })
            for entry in ordered(present.subtracting(wanted)) { plan.append(.deleteNeighbour(entry, namespace: nil), for: id) }
            for entry in ordered(wanted.subtracting(present)) { plan.append(.addNeighbour(entry, namespace: nil), for: id) }
        }
        return plan
    }

    private static func ordered(_ entries: Set<Neighbour>) -> [Neighbour] {
        entries.sorted { ($0.ip, $0.mac) < ($1.ip, $1.mac) }
    }
}
