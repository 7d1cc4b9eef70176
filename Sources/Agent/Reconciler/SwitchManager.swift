import Kernel
import Southbound

/// Realizes each logical switch as a Linux bridge and a VXLAN device enslaved to it.
///
/// For a switch with VNI 100 and MTU 1450 on a host whose underlay address is 198.18.0.1, the
/// wanted state is what these commands build:
///
/// ```sh
/// ip link add sybr-100 mtu 1450 type bridge
/// ip link set sybr-100 up
/// ip link add syvx-100 mtu 1450 type vxlan id 100 local 198.18.0.1 dstport 4789 nolearning
/// ip link set syvx-100 master sybr-100 up
/// ```
///
/// Only links named with ``DeviceName``'s prefixes are considered: those not wanted are deleted
/// (`ip link del`), a device of the wrong type or VXLAN parameters is replaced, a wrong MTU, a
/// missing master or a down link is corrected in place (`ip link set`). Deletions come first, so
/// that a VNI held by a stale device is free before it is claimed again.
public struct SwitchManager: ReconcileManager {
    /// The IANA VXLAN port, used by every VXLAN device.
    public static let vxlanPort = 4789

    public let concern = "switches"

    /// A manager for the agent's own namespace.
    public init() {}

    /// Reads the links of the agent's namespace (`ip -d link show`) and plans against them.
    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        Self.plan(desired: desired, observed: try await kernel.links(in: nil))
    }

    /// The operations that turn the links `observed` into the switches of `desired`; empty when they
    /// already match. Links that are not ours are ignored.
    public static func plan(desired: HostState, observed: [Link]) -> Plan {
        let existing = Dictionary(observed.filter { DeviceName.isSwitchDevice($0.name) }.map { ($0.name, $0) },
                                  uniquingKeysWith: { first, _ in first })
        let switches = desired.switches.sorted { $0.key < $1.key }
        let wanted = Set(switches.flatMap { [DeviceName.bridge(vni: $0.value.vni), DeviceName.vxlan(vni: $0.value.vni)] })

        var plan = Plan()
        for name in existing.keys.sorted() where !wanted.contains(name) {
            plan.append(.deleteLink(name: name, namespace: nil), for: name)
        }
        var creations = Plan()
        for (id, state) in switches {
            let devices = SwitchDevices(state, underlay: desired.host.underlay)
            let bridge = existing[devices.bridge.name]
            let bridgeFits = bridge?.kind == .bridge
            if let bridge, bridgeFits {
                creations.append(contentsOf: SwitchDevices.correction(of: bridge, to: devices.bridge, master: nil,
                                                                      reattach: false), for: id)
            } else {
                if bridge != nil { plan.append(.deleteLink(name: devices.bridge.name, namespace: nil), for: id) }
                creations.append(contentsOf: SwitchDevices.creation(of: devices.bridge, master: nil), for: id)
            }
            let vxlan = existing[devices.vxlan.name]
            if let vxlan, vxlan.kind == devices.vxlan.kind {
                creations.append(contentsOf: SwitchDevices.correction(of: vxlan, to: devices.vxlan,
                                                                      master: devices.bridge.name,
                                                                      reattach: !bridgeFits), for: id)
            } else {
                if vxlan != nil { plan.append(.deleteLink(name: devices.vxlan.name, namespace: nil), for: id) }
                creations.append(contentsOf: SwitchDevices.creation(of: devices.vxlan, master: devices.bridge.name),
                                 for: id)
            }
        }
        plan.steps += creations.steps
        return plan
    }
}

extension Plan {
    fileprivate mutating func append(contentsOf operations: [KernelOperation], for object: String) {
        for operation in operations { append(operation, for: object) }
    }
}
