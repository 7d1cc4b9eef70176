import Kernel
import Southbound

/// Populates each switch's VXLAN device statically: one FDB entry per remote port's MAC pointing at
/// its host's VTEP (`bridge fdb append MAC dev syvx-VNI dst VTEP self permanent`), and one all-zeros
/// entry per VTEP of the flood list (`bridge fdb append 00:00:00:00:00:00 dev syvx-VNI dst VTEP …`).
/// Any other entry on those devices is removed (`bridge fdb del …`); removals come first, so a MAC
/// that moved to another host is never reached through both.
///
/// A switch whose VXLAN device is missing gets no plan: the ``SwitchManager`` has reported why.
public struct FDBManager: ReconcileManager {
    public let concern = "fdb"

    /// A manager for the agent's own namespace.
    public init() {}

    /// Reads the FDB of each desired VXLAN device that exists (`bridge fdb show dev syvx-VNI`) and
    /// plans against it.
    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let wanted = Set(desired.switches.values.map { DeviceName.vxlan(vni: $0.vni) })
        let devices = try await kernel.links(in: nil).map(\.name).filter(wanted.contains).sorted()
        var observed = Dictionary(devices.map { ($0, [FDBEntry]()) }, uniquingKeysWith: { first, _ in first })
        for entry in try await kernel.fdbEntries(devices: devices) { observed[entry.device, default: []].append(entry) }
        return Self.plan(desired: desired, observed: observed)
    }

    /// The operations that turn the entries `observed` (keyed by VXLAN device name; a missing key
    /// means a missing device) into the entries `desired` calls for; empty when they already match.
    /// Entries without a VTEP are the bridge's (`master`), not the device's, and are left alone.
    public static func plan(desired: HostState, observed: [String: [FDBEntry]]) -> Plan {
        var plan = Plan()
        for (id, state) in desired.switches.sorted(by: { $0.key < $1.key }) {
            let device = DeviceName.vxlan(vni: state.vni)
            guard let reported = observed[device] else { continue }
            let present = Set(reported.filter { !$0.vtep.isEmpty })
            let wanted = entries(of: state, on: device)
            for entry in ordered(present.subtracting(wanted)) { plan.append(.deleteFDBEntry(entry), for: id) }
            for entry in ordered(wanted.subtracting(present)) { plan.append(.addFDBEntry(entry), for: id) }
        }
        return plan
    }

    private static func entries(of state: SwitchState, on device: String) -> Set<FDBEntry> {
        let unicast = state.remotePorts.map { FDBEntry(mac: $0.mac.lowercased(), device: device, vtep: $0.vtep) }
        let flood = state.floodList.map { FDBEntry(mac: FDBEntry.floodMAC, device: device, vtep: $0) }
        return Set(unicast + flood)
    }

    private static func ordered(_ entries: Set<FDBEntry>) -> [FDBEntry] {
        entries.sorted { ($0.mac, $0.vtep) < ($1.mac, $1.vtep) }
    }
}
