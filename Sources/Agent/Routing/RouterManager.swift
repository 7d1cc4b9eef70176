import Kernel
import Southbound

/// Runs each router present on the host in a routing domain of its own: a network namespace per
/// router (this kernel has no VRF; see ``RoutingDomain``), with forwarding on and one veth leg per
/// segment: the host end (`syrl…`) enslaved to the segment's bridge, the router end (`leg-VNI`)
/// carrying the leg's address and MAC. For a router on switch VNI 100 with gateway 10.0.0.1/24:
///
/// ```sh
/// ip netns add syrt-ROUTER
/// ip netns exec syrt-ROUTER sysctl -w net.ipv4.ip_forward=1
/// ip link add syrlHASH mtu 1450 type veth peer name leg-100 netns syrt-ROUTER
/// ip link set syrlHASH mtu 1450 master sybr-100 up
/// ip -n syrt-ROUTER link set leg-100 mtu 1450 address GATEWAY-MAC up
/// ip -n syrt-ROUTER addr add 10.0.0.1/24 dev leg-100
/// ```
///
/// Namespaces with the agent's router prefix that no router wants are deleted, and with them the
/// legs inside; host ends no leg wants are deleted (`ip link del`), which removes the router end.
public struct RouterManager: ReconcileManager {
    public let concern = "routers"
    /// Names the namespaces of this agent's routers: `PREFIX` + router id.
    let namespacePrefix: String
    /// Which routers a pass may skip reading; nil: read them all, every pass.
    let verification: RouterVerification?

    /// Settings of every router namespace, made before its legs: forwarding on; no reverse-path
    /// filter (replies from the uplink come back on a leg other than the one the edge would route
    /// them out of); no IPv6 (a leg's IPv6 link-local traffic would carry the gateway MAC, and
    /// routers route IPv4 only).
    static let settings: [(key: String, value: String)] = [
        ("net.ipv4.ip_forward", "1"), ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0"),
        ("net.ipv6.conf.all.disable_ipv6", "1"), ("net.ipv6.conf.default.disable_ipv6", "1"),
    ]

    public init(namespacePrefix: String = RoutingDomain.defaultNamespacePrefix, verification: RouterVerification? = nil) {
        self.namespacePrefix = namespacePrefix
        self.verification = verification
    }

    /// What the kernel holds of one router's namespace.
    public struct Observed: Equatable, Sendable {
        public var links: [Link]
        /// Addresses of the legs, by name.
        public var addresses: [String: [InterfaceAddress]]
        public var settings: [String: String]

        public init(links: [Link], addresses: [String: [InterfaceAddress]], settings: [String: String]) {
            self.links = links
            self.addresses = addresses
            self.settings = settings
        }
    }

    /// Reads the namespaces (`ip netns list`), the host's links, and in each wanted router's
    /// namespace that was not verified unchanged its links, leg addresses and settings.
    public func resyncStarts() async { await verification?.resyncStarts() }

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        try await verification.tracking { try await observeAndPlan(desired, kernel) }
    }

    private func observeAndPlan(_ desired: HostState, _ kernel: any Kernel) async throws -> Plan {
        let namespaces = try await kernel.namespaces().filter { $0.hasPrefix(namespacePrefix) }
        let hostLinks = try await kernel.links(in: nil)
        let hostLinksByName = Dictionary(hostLinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let present = Set(desired.routers.filter { id, router in
            namespaces.contains(namespacePrefix + id) && Self.legs(of: router).allSatisfy { leg in
                guard let segment = desired.switches[leg.switch],
                      let host = hostLinksByName[DeviceName.routerLeg(router: id, segment: leg.switch)] else { return false }
                return host.isUp && host.master == DeviceName.bridge(vni: segment.vni) && host.mtu == segment.mtu
            }
        }.keys)
        let stable = await verification?.beginPass(desired, present: present) ?? []
        var observed: [String: Observed] = [:]
        var broken: Set<String> = []
        for id in desired.routers.keys where !stable.contains(id) {
            let namespace = namespacePrefix + id
            guard namespaces.contains(namespace) else { continue }
            do {
                let links = try await kernel.links(in: namespace)
                var addresses: [String: [InterfaceAddress]] = [:]
                for link in links where link.name.hasPrefix("leg-") {
                    addresses[link.name] = try await kernel.addresses(device: link.name, in: namespace)
                }
                observed[id] = Observed(links: links, addresses: addresses,
                                        settings: try await kernel.sysctls(Self.settings.map(\.key), in: namespace))
            } catch {
                // A namespace that cannot be entered (a crash between creating its file and pinning
                // it leaves a plain file) is made again.
                broken.insert(id)
            }
        }
        let plan = Self.plan(desired: desired, namespacePrefix: namespacePrefix, namespaces: namespaces, hostLinks: hostLinks,
                             observed: observed, skipping: stable, broken: broken)
        return plan
    }

    /// The operations that build every router of `desired` and remove what no router wants;
    /// routers in `skipping` were verified and are left as they are, routers in `broken` have a
    /// namespace that could not be read and is made again.
    public static func plan(desired: HostState, namespacePrefix: String, namespaces: [String], hostLinks: [Link],
                            observed: [String: Observed], skipping: Set<String> = [], broken: Set<String> = []) -> Plan {
        var plan = Plan()
        // Host ends first: a namespace goes asynchronously in the kernel, and its legs' host ends
        // with it, so they are not left for this pass to trip over.
        let wantedLegs = Set(desired.routers.flatMap { id, router in legs(of: router).map { DeviceName.routerLeg(router: id, segment: $0.switch) } })
        for link in hostLinks where DeviceName.isRouterLegDevice(link.name) && !wantedLegs.contains(link.name) {
            plan.append(.deleteLink(name: link.name, namespace: nil), for: link.name)
        }
        let wantedNamespaces = Set(desired.routers.keys.map { namespacePrefix + $0 })
        for namespace in namespaces.sorted() where !wantedNamespaces.contains(namespace) {
            plan.append(.deleteNamespace(namespace), for: namespace)
        }
        let hostLinksByName = Dictionary(hostLinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (id, router) in desired.routers.sorted(by: { $0.key < $1.key }) where !skipping.contains(id) {
            let namespace = namespacePrefix + id
            let seen = observed[id]
            if broken.contains(id) { plan.append(.deleteNamespace(namespace), for: id) }
            if seen == nil { plan.append(.addNamespace(namespace), for: id) }
            for (key, value) in settings where seen?.settings[key] != value {
                plan.append(.setSysctl(key: key, value: value, namespace: namespace), for: id)
            }
            let routerLinks = Dictionary((seen?.links ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for leg in legs(of: router) {
                guard let segment = desired.switches[leg.switch] else { continue }
                planLeg(leg, router: id, segment: segment, namespace: namespace, host: hostLinksByName[DeviceName.routerLeg(router: id, segment: leg.switch)],
                        inside: routerLinks[DeviceName.legInRouter(vni: segment.vni)],
                        addresses: seen?.addresses[DeviceName.legInRouter(vni: segment.vni)] ?? [], into: &plan)
            }
        }
        return plan
    }

    static func legs(of router: RouterState) -> [RouterInterfaceState] {
        router.interfaces + [router.transit].compactMap { $0 }
    }

    private static func planLeg(_ leg: RouterInterfaceState, router: String, segment: SwitchState, namespace: String, host: Link?,
                                inside: Link?, addresses: [InterfaceAddress], into plan: inout Plan) {
        let hostEnd = DeviceName.routerLeg(router: router, segment: leg.switch)
        let name = DeviceName.legInRouter(vni: segment.vni)
        let bridge = DeviceName.bridge(vni: segment.vni)
        var host = host
        // A host end whose router end is gone (its namespace was deleted) is rebuilt whole.
        if host != nil, inside == nil {
            plan.append(.deleteLink(name: hostEnd, namespace: nil), for: router)
            host = nil
        }
        if host == nil {
            plan.append(.addLink(LinkSpec(name: hostEnd, kind: .veth, mtu: segment.mtu, peer: name, peerNamespace: namespace), namespace: nil),
                        for: router)
        }
        if host?.master != bridge || host?.isUp != true || host?.mtu != segment.mtu {
            plan.append(.setLink(name: hostEnd, LinkChange(mtu: segment.mtu, master: .some(bridge), isUp: true), namespace: nil), for: router)
        }
        let inside = host == nil ? nil : inside
        if inside?.mac.lowercased() != leg.mac.lowercased() || inside?.isUp != true || inside?.mtu != segment.mtu {
            plan.append(.setLink(name: name, LinkChange(mtu: segment.mtu, isUp: true, mac: leg.mac), namespace: namespace), for: router)
        }
        let (address, prefixLength) = PortManager.split(leg.ip)
        let wanted = InterfaceAddress(address: address, prefixLength: prefixLength, device: name)
        let present = inside == nil ? [] : addresses.filter { !$0.address.contains(":") }
        for stale in present where stale != wanted {
            plan.append(.deleteAddress(stale, namespace: namespace), for: router)
        }
        if !present.contains(wanted) {
            plan.append(.addAddress(wanted, namespace: namespace), for: router)
        }
    }
}
