import Kernel
import Southbound

/// The bridge and VXLAN device one switch wants, and the operations that create or correct them.
struct SwitchDevices {
    let bridge: LinkSpec
    let vxlan: LinkSpec

    init(_ state: SwitchState, underlay: String) {
        bridge = LinkSpec(name: DeviceName.bridge(vni: state.vni), kind: .bridge, mtu: state.mtu)
        vxlan = LinkSpec(name: DeviceName.vxlan(vni: state.vni),
                         kind: .vxlan(vni: state.vni, local: underlay, port: SwitchManager.vxlanPort, learning: false,
                                proxy: true),
                         mtu: state.mtu)
    }

    /// `ip link add …` then `ip link set NAME [master BR] up`.
    static func creation(of spec: LinkSpec, master: String?) -> [KernelOperation] {
        var change = LinkChange(isUp: true)
        if let master { change.master = .some(master) }
        return [.addLink(spec, namespace: nil), .setLink(name: spec.name, change, namespace: nil)]
    }

    /// The `ip link set NAME [mtu M] [master BR] [up]` that brings `link` to `spec`, if any is needed.
    /// `reattach` sets the master even when `link` reports it, because that master is being replaced.
    static func correction(of link: Link, to spec: LinkSpec, master: String?, reattach: Bool) -> [KernelOperation] {
        var change = LinkChange()
        if link.mtu != spec.mtu { change.mtu = spec.mtu }
        if let master, reattach || link.master != master { change.master = .some(master) }
        if !link.isUp { change.isUp = true }
        return change == LinkChange() ? [] : [.setLink(name: link.name, change, namespace: nil)]
    }
}
