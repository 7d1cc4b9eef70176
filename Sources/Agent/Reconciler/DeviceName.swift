import Southbound

/// The names of the devices the agent owns. They derive from the VNI alone, so that a restarted
/// agent finds its devices again, fit IFNAMSIZ (at most 15 characters: a VNI has at most 8 digits),
/// and carry a prefix no other software uses: links without it are never touched.
public enum DeviceName {
    /// The prefix of a switch's bridge.
    public static let bridgePrefix = "sybr-"
    /// The prefix of a switch's VXLAN device.
    public static let vxlanPrefix = "syvx-"

    /// The bridge of the switch with this VNI, e.g. `sybr-100`.
    public static func bridge(vni: Int) -> String { bridgePrefix + String(vni) }

    /// The VXLAN device of the switch with this VNI, e.g. `syvx-100`.
    public static func vxlan(vni: Int) -> String { vxlanPrefix + String(vni) }

    /// The prefix of a port's host-side veth end.
    public static let portPrefix = "sypt-"

    /// The host end of a port's veth pair: the prefix and the last 10 hex digits of the port id
    /// (`pt-` + 16 hex digits), 15 characters in all.
    public static func port(_ id: String) -> String { portPrefix + String(id.suffix(10)) }

    /// Whether a link of this name is the host end of a port the agent manages.
    public static func isPortDevice(_ name: String) -> Bool { name.hasPrefix(portPrefix) }

    /// The prefix of the host end of a router's leg on a segment.
    public static let routerLegPrefix = "syrl"

    /// The host end of a router's leg on a segment: the prefix and 11 hex digits of a hash of both.
    public static func routerLeg(router: String, segment: String) -> String {
        routerLegPrefix + hex11(StableHash.fnv1a("leg", router, segment))
    }

    /// Whether a link of this name is the host end of a router leg the agent manages.
    public static func isRouterLegDevice(_ name: String) -> Bool { name.hasPrefix(routerLegPrefix) }

    /// The name a leg has inside its router's namespace, e.g. `leg-100`.
    public static func legInRouter(vni: Int) -> String { "leg-\(vni)" }

    /// A router's uplink inside its namespace.
    public static let uplink = "uplink"

    /// The prefix of an uplink in the agent's namespace, before it moves into its router's.
    public static let uplinkInHostPrefix = "syup"

    /// The uplink while it is created in the agent's namespace, before it moves into the router's.
    public static func uplinkInHost(router: String) -> String {
        uplinkInHostPrefix + hex11(StableHash.fnv1a("uplink", router))
    }

    /// Whether the agent made a link of this name (all its devices start with `sy`).
    public static func isAgentDevice(_ name: String) -> Bool { name.hasPrefix("sy") }

    /// Whether a link of this name belongs to the switch devices the agent manages.
    public static func isSwitchDevice(_ name: String) -> Bool {
        name.hasPrefix(bridgePrefix) || name.hasPrefix(vxlanPrefix)
    }

    /// The low 44 bits of `hash` as 11 hex digits.
    private static func hex11(_ hash: UInt64) -> String {
        let digits = String(hash & 0xfff_ffff_ffff, radix: 16)
        return String(repeating: "0", count: 11 - digits.count) + digits
    }
}
