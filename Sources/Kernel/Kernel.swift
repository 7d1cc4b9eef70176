/// The narrow interface between the agent and the Linux kernel: links, FDB entries, neighbours,
/// addresses, routes and nftables tables, per network namespace. `LinuxKernel` implements it over
/// netlink and libnftables; `FakeKernel` records operations and fails on purpose for unit tests of
/// the reconciler.
///
/// Every name and address passed here comes from validated values (`[a-z0-9-]` names, parsed
/// addresses); nothing is spliced into a command line. Each call's doc comment names its `ip`,
/// `bridge` or `nft` equivalent.
public protocol Kernel: Sendable {
    /// The links of a namespace (nil: the agent's own). Equivalent to `ip -d link show`.
    func links(in namespace: String?) async throws -> [Link]

    /// Creates a link. Equivalent to `ip link add NAME type bridge|vxlan|veth …`.
    func addLink(_ link: LinkSpec, in namespace: String?) async throws

    /// Deletes a link (and a veth's peer with it). Equivalent to `ip link del NAME`.
    func deleteLink(named name: String, in namespace: String?) async throws

    /// Changes a link's MTU, master, administrative state, name or namespace.
    /// Equivalent to `ip link set NAME mtu M master BR up name NEW netns NS`.
    func setLink(named name: String, _ change: LinkChange, in namespace: String?) async throws

    /// The bridge forwarding entries of VXLAN devices. Equivalent to `bridge fdb show dev NAME`
    /// for each. Entries of the device itself (`self`) carry their remote `dst` as `vtep`; the
    /// reconciler owns those and ignores any entry whose `vtep` is empty (the bridge's `master` entries).
    func fdbEntries(devices: [String]) async throws -> [FDBEntry]

    /// Equivalent to `bridge fdb append MAC dev NAME dst VTEP self permanent`.
    func addFDBEntry(_ entry: FDBEntry) async throws

    /// Equivalent to `bridge fdb del MAC dev NAME dst VTEP self`.
    func deleteFDBEntry(_ entry: FDBEntry) async throws

    /// Permanent neighbour entries of devices. Equivalent to `ip neigh show dev NAME nud permanent`
    /// for each.
    func neighbours(devices: [String], in namespace: String?) async throws -> [Neighbour]

    /// Equivalent to `ip neigh replace IP lladdr MAC dev NAME nud permanent`.
    func addNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws

    /// Equivalent to `ip neigh del IP dev NAME`.
    func deleteNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws

    /// Equivalent to `ip addr show dev NAME`.
    func addresses(device: String, in namespace: String?) async throws -> [InterfaceAddress]

    /// Equivalent to `ip addr add ADDRESS/PREFIX dev NAME`.
    func addAddress(_ address: InterfaceAddress, in namespace: String?) async throws

    /// Equivalent to `ip addr del ADDRESS/PREFIX dev NAME`.
    func deleteAddress(_ address: InterfaceAddress, in namespace: String?) async throws

    /// Equivalent to `ip route show table main`.
    func routes(in namespace: String?) async throws -> [Route]

    /// The unicast routes of one table other than main. Equivalent to `ip route show table TABLE`.
    func routes(table: Int, in namespace: String?) async throws -> [Route]

    /// Equivalent to `ip route replace DESTINATION via GATEWAY dev NAME [table TABLE]`.
    func addRoute(_ route: Route, in namespace: String?) async throws

    /// Equivalent to `ip route del DESTINATION [table TABLE]`.
    func deleteRoute(_ route: Route, in namespace: String?) async throws

    /// The routing rules that select a table by input interface. Equivalent to `ip rule show`,
    /// keeping the `iif NAME lookup TABLE` rules.
    func rules(in namespace: String?) async throws -> [RoutingRule]

    /// Equivalent to `ip rule add priority P iif NAME lookup TABLE`.
    func addRule(_ rule: RoutingRule, in namespace: String?) async throws

    /// Equivalent to `ip rule del priority P iif NAME lookup TABLE`.
    func deleteRule(_ rule: RoutingRule, in namespace: String?) async throws

    /// The bridge ports among `ports` that send frames back out the port they came in on.
    /// Equivalent to `bridge -d link show` (`hairpin on`).
    func hairpinPorts(among ports: [String], in namespace: String?) async throws -> Set<String>

    /// The namespace's nftables tables whose names start with `sy` (ours), with their comments.
    /// Equivalent to `nft list tables` (plus `nft list table F N` for each comment).
    func nftablesTables(in namespace: String?) async throws -> [NftablesTable]

    /// Creates or atomically replaces a table with `ruleset` (its body: chains, sets, maps as nft
    /// text) in one transaction; a ruleset that fails leaves the old table as it was.
    /// Equivalent to `nft -f -` with `table F N`, `delete table F N`, `table F N { comment "C"; BODY }`.
    func replaceNftablesTable(_ table: NftablesTable, ruleset: String, in namespace: String?) async throws

    /// Deletes a table; a missing table is not an error. Equivalent to `nft delete table F N`.
    func deleteNftablesTable(_ table: NftablesTable, in namespace: String?) async throws

    /// Takes elements out of and puts elements into sets of an existing table, all in one
    /// transaction: a missing element, set or table fails the whole change and leaves every set as
    /// it was. Equivalent to `nft -f -` with `delete element F N SET { … }` and `add element F N SET { … }`.
    func updateNftablesSets(_ table: NftablesTable, _ changes: [NftablesSetChange], in namespace: String?) async throws

    /// The named network namespaces. Equivalent to `ip netns list`.
    func namespaces() async throws -> [String]

    /// Creates a named network namespace. Equivalent to `ip netns add NAME`.
    func addNamespace(named name: String) async throws

    /// Deletes a named network namespace and the devices in it (a veth's peer with them).
    /// Equivalent to `ip netns del NAME`.
    func deleteNamespace(named name: String) async throws

    /// The values of kernel settings under `/proc/sys`, e.g. `net.ipv4.ip_forward`, in a namespace;
    /// a setting that does not exist is left out. Equivalent to `ip netns exec NS sysctl -n KEY…`.
    func sysctls(_ keys: [String], in namespace: String?) async throws -> [String: String]

    /// Sets a kernel setting. Equivalent to `ip netns exec NS sysctl -w KEY=VALUE`.
    func setSysctl(_ key: String, to value: String, in namespace: String?) async throws

    /// Deletes the tracked connections (any zone) that were addressed to `filter.originalDestination`
    /// and are answered by `filter.replySource`: a load balancer's connections to an endpoint
    /// that left. Equivalent to `conntrack -D --orig-dst VIP --reply-src ENDPOINT`.
    func deleteConnections(_ filter: ConnectionFilter, in namespace: String?) async throws

    /// Connects over TCP to `address:port` from inside `namespace`, sends `request`, and returns
    /// what the peer answers (at most `limit` bytes, until it closes or `timeout` passes); throws
    /// when no connection is made in `timeout`. Runs on a thread of its own, never holding up the
    /// kernel's other calls. Equivalent to `ip netns exec NS nc -w T ADDRESS PORT`.
    func probe(_ address: String, port: Int, sending request: [UInt8], limit: Int, timeout: Duration,
               in namespace: String?) async throws -> [UInt8]

    /// A UDP socket and a listening TCP socket on `port` of every address of `namespace`, created
    /// inside it (a socket stays in the namespace it was made in): the descriptors, the caller's
    /// to close. Equivalent to a server started with `ip netns exec NS`.
    func listeningSockets(port: Int, in namespace: String) async throws -> ListeningSockets

    /// Whether the kernel can create links of `kind` (e.g. `vrf`), found by asking it to in the
    /// namespace (a link it makes is deleted at once).
    func supportsLinkKind(_ kind: String, in namespace: String?) async -> Bool
}

/// A link as the kernel reports it.
public struct Link: Equatable, Hashable, Sendable {
    public var name: String
    public var kind: LinkKind
    public var mtu: Int
    public var isUp: Bool
    /// The bridge this link is enslaved to.
    public var master: String?
    public var mac: String
    /// The interface index in its namespace (0: unknown).
    public var index: Int
    /// For one end of a veth pair, the interface index of the other end, in the other end's
    /// namespace (`IFLA_LINK`); with ``index`` it tells two ends of one pair from lookalikes.
    public var peerIndex: Int?

    public init(name: String, kind: LinkKind, mtu: Int, isUp: Bool, master: String? = nil, mac: String = "", index: Int = 0,
                peerIndex: Int? = nil) {
        self.name = name
        self.kind = kind
        self.mtu = mtu
        self.isUp = isUp
        self.master = master
        self.mac = mac
        self.index = index
        self.peerIndex = peerIndex
    }
}

public enum LinkKind: Equatable, Hashable, Sendable {
    case bridge
    /// A VXLAN device: its VNI, local VTEP address, UDP port, whether it learns, and whether it
    /// answers ARP and neighbour solicitations itself from its neighbour table (`proxy`).
    case vxlan(vni: Int, local: String, port: Int, learning: Bool, proxy: Bool)
    /// One end of a veth pair.
    case veth
    /// A macvlan device in bridge mode on the `parent` link.
    case macvlan(parent: String)
    case other(String)
}

/// A link to create.
public struct LinkSpec: Equatable, Hashable, Sendable {
    public var name: String
    public var kind: LinkKind
    public var mtu: Int
    /// For a veth: the peer's name and the namespace it is moved into (nil: stays here).
    public var peer: String?
    public var peerNamespace: String?
    /// For a veth or bridge: the MAC to set (nil: kernel-chosen).
    public var mac: String?
    /// The bridge the link is enslaved to as it is made (nil: none).
    public var master: String?

    public init(name: String, kind: LinkKind, mtu: Int, peer: String? = nil, peerNamespace: String? = nil, mac: String? = nil,
                master: String? = nil) {
        self.name = name
        self.kind = kind
        self.mtu = mtu
        self.peer = peer
        self.peerNamespace = peerNamespace
        self.mac = mac
        self.master = master
    }
}

/// What `setLink` changes; nil fields are left alone.
public struct LinkChange: Equatable, Hashable, Sendable {
    public var mtu: Int?
    /// `.some(nil)` releases the link from its master.
    public var master: String??
    public var isUp: Bool?
    public var mac: String?
    public var newName: String?
    public var namespace: String?
    /// For a bridge port: whether the bridge may send a frame back out the port it came in on
    /// (`bridge link set dev NAME hairpin on`).
    public var hairpin: Bool?
    /// Whether the kernel gives the link IPv6 addresses of its own (a link-local one) when it comes
    /// up (`addrgenmode eui64|none`). Set it while the link is down: the kernel changes flags
    /// before this, so in one request with `up` the address would already be there.
    public var generatesIPv6Addresses: Bool?

    public init(mtu: Int? = nil, master: String?? = nil, isUp: Bool? = nil, mac: String? = nil, newName: String? = nil,
                namespace: String? = nil, hairpin: Bool? = nil, generatesIPv6Addresses: Bool? = nil) {
        self.mtu = mtu
        self.master = master
        self.isUp = isUp
        self.mac = mac
        self.newName = newName
        self.namespace = namespace
        self.hairpin = hairpin
        self.generatesIPv6Addresses = generatesIPv6Addresses
    }
}

/// A bridge forwarding entry on a VXLAN device: `00:00:00:00:00:00` entries make the flood list.
public struct FDBEntry: Equatable, Hashable, Sendable {
    public var mac: String
    public var device: String
    public var vtep: String

    public static let floodMAC = "00:00:00:00:00:00"

    public init(mac: String, device: String, vtep: String) {
        self.mac = mac
        self.device = device
        self.vtep = vtep
    }
}

public struct Neighbour: Equatable, Hashable, Sendable {
    public var ip: String
    public var mac: String
    public var device: String

    public init(ip: String, mac: String, device: String) {
        self.ip = ip
        self.mac = mac
        self.device = device
    }
}

/// An address with its prefix length on a device, e.g. `10.0.0.2/24` on `eth0`.
public struct InterfaceAddress: Equatable, Hashable, Sendable {
    public var address: String
    public var prefixLength: Int
    public var device: String

    public init(address: String, prefixLength: Int, device: String) {
        self.address = address
        self.prefixLength = prefixLength
        self.device = device
    }
}

/// A route in the main table: `destination` is a prefix (`0.0.0.0/0` for the default route).
public struct Route: Equatable, Hashable, Sendable {
    public var destination: String
    public var gateway: String?
    public var device: String
    /// The routing table; nil for main.
    public var table: Int?

    public init(destination: String, gateway: String? = nil, device: String, table: Int? = nil) {
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.table = table
    }
}

/// The descriptors ``Kernel/listeningSockets(port:in:)`` opened.
public struct ListeningSockets: Equatable, Sendable {
    public var udp: Int32
    public var tcp: Int32

    public init(udp: Int32, tcp: Int32) {
        self.udp = udp
        self.tcp = tcp
    }
}

/// Tracked connections to a VIP that an endpoint answers (IPv4 addresses).
public struct ConnectionFilter: Equatable, Hashable, Sendable {
    public var originalDestination: String
    public var replySource: String

    public init(originalDestination: String, replySource: String) {
        self.originalDestination = originalDestination
        self.replySource = replySource
    }
}

/// `ip rule … iif DEVICE lookup TABLE`: packets that arrive on `device` are routed by `table`.
public struct RoutingRule: Equatable, Hashable, Sendable {
    public var device: String
    public var table: Int
    public var priority: Int

    public init(device: String, table: Int, priority: Int) {
        self.device = device
        self.table = table
        self.priority = priority
    }
}

extension Kernel {
    /// The bridge forwarding entries of one device.
    public func fdbEntries(device: String) async throws -> [FDBEntry] {
        try await fdbEntries(devices: [device])
    }

    /// The permanent neighbour entries of one device.
    public func neighbours(device: String, in namespace: String?) async throws -> [Neighbour] {
        try await neighbours(devices: [device], in: namespace)
    }
}
