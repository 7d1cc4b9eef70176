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

    /// Whether a link of this name belongs to the switch devices the agent manages.
    public static func isSwitchDevice(_ name: String) -> Bool {
        name.hasPrefix(bridgePrefix) || name.hasPrefix(vxlanPrefix)
    }
}
