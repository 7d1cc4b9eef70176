import LocalAPI
import Kernel
import Southbound

/// Plugs each attached local port into its workload: a veth pair whose host end (`sypt-…`) is
/// enslaved to the switch's bridge and whose other end sits in the workload's namespace under the
/// name asked for, with the port's MAC, MTU, address and a default route via the switch gateway.
///
/// A port is realized only once the local API attached it (the CNI plugin names the namespace);
/// host ends with our prefix that no attached port wants are deleted, which removes the peer too.
///
/// The workload end is known by name only inside a namespace the runtime owns, so an interface of
/// that name is rewritten only when it is the other end of the port's own host end; anything else
/// by that name is left alone and the port is reported as not realized.
///
/// Reading a workload's namespace costs a netlink dump or three, so a pass reads it only for ports
/// not yet verified, whose desired state or attachment changed, or whose host end looks wrong;
/// every `fullCheckEvery`-th resync pass reads them all, to repair drift inside workloads as well.
public struct PortManager: ReconcileManager {
    public let concern = "ports"
    private let attachments: @Sendable () async -> [String: PortAttachment]
    private let verified: VerifiedObjects<VerifiedPort>

    /// `attachments` answers, at each pass, which ports are attached where.
    public init(attachments: @escaping @Sendable () async -> [String: PortAttachment], fullCheckEvery: Int = 6) {
        self.attachments = attachments
        verified = VerifiedObjects(fullEvery: fullCheckEvery)
    }

    /// A port and its attachment, as a pass found them realized.
    struct VerifiedPort: Equatable, Sendable {
        var port: PortState
        var attachment: PortAttachment
    }

    /// What the kernel holds of one attached port.
    public struct Observed: Equatable, Sendable {
        /// A port whose workload end matched `entry` at an earlier pass and was not read now.
        static func verified(_ entry: VerifiedPort) -> Observed {
            let (address, prefixLength) = PortManager.split(entry.port.ip)
            let interface = entry.attachment.interfaceName
            return Observed(workload: Link(name: interface, kind: .veth, mtu: entry.attachment.mtu(onSwitchOf: entry.port.mtu), isUp: true,
                                           mac: entry.port.mac),
                            addresses: [InterfaceAddress(address: address, prefixLength: prefixLength, device: interface)],
                            routes: [Route(destination: "0.0.0.0/0", gateway: entry.port.gateway, device: interface)],
                            isPeerOfHostEnd: true)
        }

        /// The interface by the attachment's name, in its namespace (nil: missing, or the namespace is gone).
        public var workload: Link?
        public var addresses: [InterfaceAddress]
        public var routes: [Route]
        /// Whether `workload` is the other end of the port's host end (see ``isPair(host:workload:)``).
        public var isPeerOfHostEnd: Bool

        public init(workload: Link?, addresses: [InterfaceAddress], routes: [Route], isPeerOfHostEnd: Bool) {
            self.workload = workload
            self.addresses = addresses
            self.routes = routes
            self.isPeerOfHostEnd = isPeerOfHostEnd
        }
    }

    /// Whether `host` and `workload` are the two ends of one veth pair: each names the other's index.
    static func isPair(host: Link?, workload: Link) -> Bool {
        guard let host, host.kind == .veth, workload.kind == .veth else { return false }
        return workload.peerIndex == host.index && host.peerIndex == workload.index
    }

    public func resyncStarts() async { await verified.resyncStarts() }

    /// Reads the host ends (`ip link show`), and in each attached port's namespace its interface,
    /// addresses and routes (`ip -n NS addr show dev IF`, `ip -n NS route show`).

    public func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan {
        let attached = await attachments()
        let hostLinks = try await kernel.links(in: nil)
        let full = await verified.startPass()
        let hostLinksByName = Dictionary(hostLinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var observed: [String: Observed] = [:]
        for (id, attachment) in attached where desired.ports[id] != nil && attachment.handedOver != true {
            let expected = VerifiedPort(port: desired.ports[id]!, attachment: attachment)
            if !full, await verified.entry(for: id) == expected,
               let host = hostLinksByName[DeviceName.port(id)], host.isUp,
               let sw = desired.switches[expected.port.switch], host.master == DeviceName.bridge(vni: sw.vni) {
                observed[id] = .verified(expected)
                continue
            }
            guard let links = try? await kernel.links(in: attachment.namespace),
                  let workload = links.first(where: { $0.name == attachment.interfaceName }) else {
                observed[id] = Observed(workload: nil, addresses: [], routes: [], isPeerOfHostEnd: false)
                continue
            }
            guard Self.isPair(host: hostLinksByName[DeviceName.port(id)], workload: workload) else {
                observed[id] = Observed(workload: workload, addresses: [], routes: [], isPeerOfHostEnd: false)
                continue
            }
            observed[id] = Observed(workload: workload,
                                    addresses: try await kernel.addresses(device: attachment.interfaceName, in: attachment.namespace),
                                    routes: try await kernel.routes(in: attachment.namespace), isPeerOfHostEnd: true)
        }
        let hostHasIPv6 = try await kernel.sysctls([Self.ipv6Setting], in: nil)[Self.ipv6Setting] != nil
        let plan = Self.plan(desired: desired, attachments: attached, hostLinks: hostLinks, observed: observed, hostHasIPv6: hostHasIPv6)
        // What needs no step now is verified; a port with steps is read again next pass.
        let planned = Set(plan.steps.map(\.object))
        await verified.record(attached.compactMap { id, attachment in
            guard let port = desired.ports[id], !planned.contains(id) else { return nil }
            return (id, VerifiedPort(port: port, attachment: attachment))
        })
        return plan
    }

    /// The operations that realize every attached port of `desired` and remove stale host ends.
    public static func plan(desired: HostState, attachments: [String: PortAttachment], hostLinks: [Link],
                            observed: [String: Observed], hostHasIPv6: Bool = true) -> Plan {
        var plan = Plan()
        let hostLinksByName = Dictionary(hostLinks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(attachments.keys.filter { desired.ports[$0] != nil }.map(DeviceName.port))
        for link in hostLinks where DeviceName.isPortDevice(link.name) && !wanted.contains(link.name) {
            plan.append(.deleteLink(name: link.name, namespace: nil), for: link.name)
        }
        for (id, port) in desired.ports.sorted(by: { $0.key < $1.key }) {
            guard let attachment = attachments[id], let logicalSwitch = desired.switches[port.switch] else { continue }
            planPort(id, port, attachment, bridge: DeviceName.bridge(vni: logicalSwitch.vni),
                     host: hostLinksByName[DeviceName.port(id)], observed: observed[id], hostHasIPv6: hostHasIPv6, into: &plan)
        }
        return plan
    }

    private static func planPort(_ id: String, _ port: PortState, _ attachment: PortAttachment, bridge: String, host: Link?,
                                 observed: Observed?, hostHasIPv6: Bool, into plan: inout Plan) {
        let hostEnd = DeviceName.port(id)
        let namespace = attachment.namespace
        let interface = attachment.interfaceName
        let mtu = attachment.mtu(onSwitchOf: port.mtu)
        if attachment.handedOver == true {
            planHostEnd(id, attachment, bridge: bridge, host: host, mtu: mtu, peerNamespace: nil, hostHasIPv6: hostHasIPv6, into: &plan)
            return
        }
        if let observed, observed.workload != nil, !observed.isPeerOfHostEnd {
            plan.refuse(id, because: "namespace \(namespace) already has an interface \(interface) that is not this port's veth; it is left alone")
            return
        }
        // A host end without its workload end (the namespace was recreated) is rebuilt whole.
        var host = host
        if host != nil, observed?.workload == nil {
            plan.append(.deleteLink(name: hostEnd, namespace: nil), for: id)
            host = nil
        }
        planHostEnd(id, attachment, bridge: bridge, host: host, mtu: mtu, peerNamespace: namespace, hostHasIPv6: hostHasIPv6, into: &plan)
        let workload = host == nil ? nil : observed?.workload
        if workload == nil, hostHasIPv6, port.ip6 == nil {
            plan.append(.setLink(name: interface, LinkChange(generatesIPv6Addresses: false), namespace: namespace), for: id)
        }
        if workload?.mac.lowercased() != port.mac.lowercased() || workload?.isUp != true || workload?.mtu != mtu {
            plan.append(.setLink(name: interface, LinkChange(mtu: mtu, isUp: true, mac: port.mac), namespace: namespace), for: id)
        }
        let (address, prefixLength) = split(port.ip)
        let wantedAddress = InterfaceAddress(address: address, prefixLength: prefixLength, device: interface)
        let presentAddresses = host == nil ? [] : observed?.addresses.filter { !$0.address.contains(":") } ?? []
        for stale in presentAddresses where stale != wantedAddress {
            plan.append(.deleteAddress(stale, namespace: namespace), for: id)
        }
        if !presentAddresses.contains(wantedAddress) {
            plan.append(.addAddress(wantedAddress, namespace: namespace), for: id)
        }
        // A container's further networks (`net1`, …) leave the default route to its first.
        guard attachment.defaultRoute ?? true else { return }
        let defaultRoute = Route(destination: "0.0.0.0/0", gateway: port.gateway, device: interface)
        let presentRoutes = host == nil ? [] : observed?.routes ?? []
        if !presentRoutes.contains(defaultRoute) {
            plan.append(.addRoute(defaultRoute, namespace: namespace), for: id)
        }
    }

    /// The veth pair when the host end is missing (its other end made in `peerNamespace`, nil: the
    /// host's), the host end enslaved to the switch's bridge as it is made, and up at the port's MTU.
    ///
    /// A new host end gets no IPv6 link-local address (when the host has IPv6): a bridge port needs
    /// no address of its own, and each new address is probed and reported by multicast, flooded to
    /// every other port of the switch; for a thousand new ports that cost seconds of softirq and
    /// RTNL time. The same goes for the workload end of a port without an IPv6 address.
    private static func planHostEnd(_ id: String, _ attachment: PortAttachment, bridge: String, host: Link?, mtu: Int,
                                    peerNamespace: String?, hostHasIPv6: Bool, into plan: inout Plan) {
        let hostEnd = DeviceName.port(id)
        guard let host else {
            plan.append(.addLink(LinkSpec(name: hostEnd, kind: .veth, mtu: mtu, peer: attachment.interfaceName, peerNamespace: peerNamespace,
                                          master: bridge), namespace: nil), for: id)
            if hostHasIPv6 { plan.append(.setLink(name: hostEnd, LinkChange(generatesIPv6Addresses: false), namespace: nil), for: id) }
            plan.append(.setLink(name: hostEnd, LinkChange(isUp: true), namespace: nil), for: id)
            return
        }
        if host.master != bridge || !host.isUp || host.mtu != mtu {
            plan.append(.setLink(name: hostEnd, LinkChange(mtu: mtu, master: .some(bridge), isUp: true), namespace: nil), for: id)
        }
    }

    /// Present where the kernel has IPv6 (not booted with `ipv6.disable=1`).
    static let ipv6Setting = "net.ipv6.conf.all.disable_ipv6"

    /// `10.0.0.2/24` → (`10.0.0.2`, 24).
    static func split(_ cidr: String) -> (String, Int) {
        let parts = cidr.split(separator: "/")
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 32 : 32)
    }
}
