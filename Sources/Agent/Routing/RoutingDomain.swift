import Kernel

/// How the agent separates routers' routing tables. A Linux VRF per router is the lighter domain,
/// but needs the `vrf` link kind; a network namespace per router works on every kernel. The agent
/// probes for VRF at start and reports what it found in its host status; it realizes routers as
/// namespaces either way for now (the VRF realization is not built yet).
public enum RoutingDomain: String, Codable, Sendable {
    case vrf
    case namespace

    /// The namespaces of an agent's routers are named `syrt-` + router id unless told otherwise
    /// (several simulated hosts on one machine each need their own prefix).
    public static let defaultNamespacePrefix = "syrt-"

    /// What the kernel offers: `vrf` when it can create VRF devices, else `namespace`.
    public static func detect(in kernel: any Kernel) async -> RoutingDomain {
        await kernel.supportsLinkKind("vrf", in: nil) ? .vrf : .namespace
    }
}
