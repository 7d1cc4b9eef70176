import Kernel
import Southbound

/// Gives each router whose uplink this host carries its edge instance, inside the router's
/// namespace: a macvlan on the host's external link (by default the underlay link), named
/// `uplink`, with the router's derived uplink MAC, the uplink address, every floating IP and
/// external service address, and the NAT table with its guard (``NATRuleset``). External services
/// follow the uplink: the host it moves to has them already, as it runs the router. For a router with uplink 203.0.113.10/24:
///
/// ```sh
/// ip netns exec syrt-ROUTER nft -f nat.nft                      # table ip sy-nat, replaced whole
/// ip link add syupHASH link eth0 address UPLINK-MAC type macvlan mode bridge
/// ip link set syupHASH netns syrt-ROUTER name uplink
/// ip netns exec syrt-ROUTER sysctl -w net.ipv4.conf.uplink.arp_notify=1
/// ip -n syrt-ROUTER addr add 203.0.113.10/24 dev uplink
/// ip -n syrt-ROUTER addr add 203.0.113.50/32 dev uplink        # a floating IP
/// ip -n syrt-ROUTER link set uplink up
/// ```
///
/// The table comes first and fails closed: its guard drops whatever arrives on `uplink` that NAT
/// did not create, and a router whose table cannot be written gets no uplink at all (the
/// ``Reconciler`` skips an object's later steps and deletes the uplink it created in the pass).
/// The kernel answers ARP for every address on `uplink`, and with `arp_notify` it sends a
/// gratuitous ARP for each of them when the link comes up: the addresses are added first, so a
/// router moved here after a failover announces itself at once. A router whose uplink left this
/// host loses its `uplink` (first) and its table; its namespace stays while the router has legs here.
/// Until the controller has confirmed placement since the agent started (``EdgePlacement``), the
/// manager plans nothing.
public struct EdgeManager: ReconcileManager {
    public let concern = "edges"
    let namespacePrefix: String
    /// The link the uplinks attach to; nil: the link holding the underlay address.
    let externalLink: String?
    /// Which routers a pass may skip (the ``RouterManager`` decides); nil: none.
    let verification: RouterVerification?
    /// Whether the controller has confirmed where uplinks belong since the agent started.
    let placement: EdgePlacement
    private let underlay = UnderlayLink()

    public init(namespacePrefix: String = RoutingDomain.defaultNamespacePrefix, externalLink: String? = nil,
                verification: RouterVerification? = nil, placement: EdgePlacement) {
        self.namespacePrefix = namespacePrefix
        self.externalLink = externalLink
        self.verification = verification
        self.placement = placement
    }

    static func notifySetting(_ device: String) -> String { "net.ipv4.conf.\(device).arp_notify" }

    /// What the kernel holds of one router's edge side.
    public struct Observed: Equatable, Sendable {
        public var uplink: Link?
        public var addresses: [InterfaceAddress]
        public var notify: String?
        public var tables: [NftablesTable]

        public init(uplink: Link?, addresses: [InterfaceAddress], notify: String?, tables: [NftablesTable]) {
            self.uplink = uplink
            self.addresses = addresses
            self.notify = notify
            self.tables = tables
        }
    }

    /// Reads, in each wanted router's namespace, its uplink, the uplink's addresses and setting, and
    /// its nftables tables.
    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        guard placement.isConfirmed else {
            // Nothing was looked at: no router counts as verified for the passes to come.
            await verification?.markAllDirty()
            return Plan()
        }
        return try await verification.tracking { try await observeAndPlan(desired, kernel) }
    }

    private func observeAndPlan(_ desired: HostState, _ kernel: any Kernel) async throws -> Plan {
        let namespaces = Set(try await kernel.namespaces())
        let stable = await verification?.stable ?? []
        var observed: [String: Observed] = [:]
        for id in desired.routers.keys where namespaces.contains(namespacePrefix + id) && !stable.contains(id) {
            let namespace = namespacePrefix + id
            let uplink = try await kernel.links(in: namespace).first { $0.name == DeviceName.uplink }
            observed[id] = Observed(
                uplink: uplink,
                addresses: uplink == nil ? [] : try await kernel.addresses(device: DeviceName.uplink, in: namespace),
                notify: uplink == nil ? nil : try await kernel.sysctls([Self.notifySetting(DeviceName.uplink)], in: namespace)
                    .values.first,
                tables: try await kernel.nftablesTables(in: namespace))
        }
        var parent = externalLink
        if parent == nil, !desired.edgeRouters.isEmpty {
            parent = try await underlay.link(holding: desired.host.underlay, in: kernel)?.name
        }
        let strays = try await kernel.links(in: nil).filter { $0.name.hasPrefix(DeviceName.uplinkInHostPrefix) }.map(\.name)
        let plan = Self.plan(desired: desired, namespacePrefix: namespacePrefix, parent: parent, strays: strays, observed: observed,
                             skipping: stable)
        return plan
    }

    /// The operations that give each edge router its uplink, addresses and NAT table, and take them
    /// from routers whose uplink is elsewhere. `strays` are uplinks left in the agent's namespace
    /// by a pass that failed between creating and moving them.
    public static func plan(desired: HostState, namespacePrefix: String, parent: String?, strays: [String],
                            observed: [String: Observed], skipping: Set<String> = []) -> Plan {
        var plan = Plan()
        for stray in strays.sorted() { plan.append(.deleteLink(name: stray, namespace: nil), for: stray) }
        for (id, _) in desired.routers.sorted(by: { $0.key < $1.key }) where !skipping.contains(id) {
            let namespace = namespacePrefix + id
            var seen = observed[id]
            let ownTables = (seen?.tables ?? []).filter { $0.family == .ip && $0.name == NATRuleset.table }
            guard let edge = desired.edgeRouters[id] else {
                if seen?.uplink != nil { plan.append(.deleteLink(name: DeviceName.uplink, namespace: namespace), for: id) }
                for table in ownTables { plan.append(.deleteNftablesTable(table, namespace: namespace), for: id) }
                continue
            }
            let services = desired.externalServices(of: id)
            guard let body = NATRuleset.body(edge, services: services) else {
                plan.refuse(id, because: "an uplink, NAT or external service address is not IPv4")
                continue
            }
            guard let parent else { plan.refuse(id, because: "no link holds the underlay address \(desired.host.underlay)"); continue }
            let table = NftablesTable.identifying(body, family: .ip, name: NATRuleset.table)
            if !ownTables.contains(table) {
                // An uplink up with no table at all has no guard: it goes down until the table is in.
                if ownTables.isEmpty, seen?.uplink?.isUp == true {
                    plan.append(.setLink(name: DeviceName.uplink, LinkChange(isUp: false), namespace: namespace), for: id)
                    seen?.uplink?.isUp = false
                }
                plan.append(.replaceNftablesTable(table, ruleset: body, namespace: namespace), for: id)
            }
            planUplink(edge, services: services.values.compactMap(\.externalIp), router: id, namespace: namespace, parent: parent,
                       seen: seen, into: &plan)
        }
        return plan
    }

    private static func planUplink(_ edge: EdgeRouterState, services: [String], router: String, namespace: String, parent: String,
                                   seen: Observed?, into plan: inout Plan) {
        let uplink = seen?.uplink
        if uplink == nil {
            let name = DeviceName.uplinkInHost(router: router)
            plan.append(.addLink(LinkSpec(name: name, kind: .macvlan(parent: parent), mtu: 0, mac: edge.uplinkMAC), namespace: nil), for: router)
            plan.append(.setLink(name: name, LinkChange(newName: DeviceName.uplink, namespace: namespace), namespace: nil), for: router)
        } else if uplink?.mac.lowercased() != edge.uplinkMAC.lowercased() {
            plan.append(.setLink(name: DeviceName.uplink, LinkChange(mac: edge.uplinkMAC), namespace: namespace), for: router)
        }
        if seen?.notify != "1" || uplink == nil {
            plan.append(.setSysctl(key: notifySetting(DeviceName.uplink), value: "1", namespace: namespace), for: router)
        }
        let prefixLength = Int(edge.externalCIDR.split(separator: "/").last ?? "") ?? 32
        let wanted = Set([InterfaceAddress(address: edge.uplinkIp, prefixLength: prefixLength, device: DeviceName.uplink)]
            + (edge.floatingIPs.map(\.external) + services).map { InterfaceAddress(address: $0, prefixLength: 32, device: DeviceName.uplink) })
        let present = Set(uplink == nil ? [] : (seen?.addresses ?? []).filter { !$0.address.contains(":") })
        for stale in present.subtracting(wanted).sorted(by: { $0.address < $1.address }) {
            plan.append(.deleteAddress(stale, namespace: namespace), for: router)
        }
        for missing in wanted.subtracting(present).sorted(by: { $0.address < $1.address }) {
            plan.append(.addAddress(missing, namespace: namespace), for: router)
        }
        if uplink?.isUp != true {
            plan.append(.setLink(name: DeviceName.uplink, LinkChange(isUp: true), namespace: namespace), for: router)
        }
    }
}
