/// What `FakeKernel` holds in one network namespace.
struct FakeNamespace: Sendable {
    var links: [String: Link] = [:]
    /// Each veth end's peer: its name and namespace.
    var peers: [String: LinkAddress] = [:]
    var neighbours: Set<Neighbour> = []
    var addresses: Set<InterfaceAddress> = []
    /// Routes by `TABLE DESTINATION` (main: table 254).
    var routes: [String: Route] = [:]
    var rules: Set<RoutingRule> = []
    /// Bridge ports with hairpin mode on.
    var hairpin: Set<String> = []
    /// nftables tables by `FAMILY NAME`.
    var nftables: [String: NftablesTable] = [:]
    /// `/proc/sys` settings by key; a key never set reads as absent.
    var sysctls: [String: String] = [:]
}

/// A link's name and namespace.
struct LinkAddress: Hashable, Sendable {
    var name: String
    var namespace: String?
}
