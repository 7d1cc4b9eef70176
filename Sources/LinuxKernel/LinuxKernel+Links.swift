public import Kernel
internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

extension LinuxKernel {
    /// The links of a namespace with their kind, MTU, state, master and MAC.
    /// Equivalent to `ip -d link show` (in `ip netns exec NAME` for a namespace).
    ///
    /// The default namespace's links are dumped again only when a link changed since the last dump
    /// (``LinkChangeWatch``) or that dump is ``linkListMaximumAge`` old: with a thousand workloads
    /// the dump costs the kernel about 20 ms (it looks up each veth peer's namespace id), and every
    /// pass starts with it, while between changes it answers the same.
    public func links(in namespace: String?) async throws -> [Link] {
        guard namespace == nil else { return try dumpLinks(socket: try socket(for: namespace)) }
        let socket = try socket(for: nil)
        let identity = defaultNamespaceIdentity
        var kept: LinkChangeWatch?
        if let list = defaultLinkList, list.identity == identity {
            let changed = list.watch.changed()
            if !changed, ContinuousClock.now - list.readAt < Self.linkListMaximumAge { return list.links }
            kept = list.watch
        }
        // Until this dump succeeds there is no list: the watch was drained for it.
        defaultLinkList = nil
        // Subscribed (or drained) before the dump: a change during the dump is seen next time.
        let watch = try kept ?? inNamespace(nil) { try LinkChangeWatch() }
        let links = try dumpLinks(socket: socket)
        defaultLinkList = LinkList(watch: watch, identity: identity, links: links, readAt: .now)
        return links
    }

    /// How long the default namespace's links are answered from the last dump at most, however
    /// quiet the notifications: a bound on trusting them.
    static let linkListMaximumAge: Duration = .seconds(30)

    private func dumpLinks(socket: NetlinkSocket) throws -> [Link] {
        let cache = try Cache.dump("ip -d link show") { rtnl_link_alloc_cache(socket.pointer, AF_UNSPEC, $0) }
        return cache.withObjects { objects in
            var names: [Int32: String] = [:]
            for link in objects {
                names[rtnl_link_get_ifindex(link)] = String(cString: rtnl_link_get_name(link))
            }
            return objects.map { link in
                let master = rtnl_link_get_master(link)
                let kind = Self.kind(of: link, names: names)
                let peer = rtnl_link_get_link(link)
                return Link(
                    name: String(cString: rtnl_link_get_name(link)),
                    kind: kind,
                    mtu: Int(rtnl_link_get_mtu(link)),
                    isUp: rtnl_link_get_flags(link) & cnl_iff_up != 0,
                    master: master > 0 ? names[master] : nil,
                    mac: rtnl_link_get_addr(link).map(NetlinkAddress.macString) ?? "",
                    index: Int(rtnl_link_get_ifindex(link)),
                    peerIndex: kind == .veth && peer > 0 ? Int(peer) : nil
                )
            }
        }
    }

    /// Creates a bridge, VXLAN device, veth pair or a device of another kind. A veth's peer is
    /// created directly in `peerNamespace` when one is given.
    /// Equivalent to `ip link add NAME [address MAC] mtu M type bridge`,
    /// `ip link add NAME mtu M type vxlan id VNI local IP dstport PORT [no]learning [no]proxy`,
    /// `ip link add NAME mtu M [master BR] type veth peer name PEER mtu M [netns NS]`,
    /// `ip link add NAME link PARENT address MAC type macvlan mode bridge`.
    public func addLink(_ spec: LinkSpec, in namespace: String?) async throws {
        let socket = try socket(for: namespace)
        let operation = "ip link add \(spec.name) type \(Self.kindName(spec.kind))"
        let link: LinkObject
        var peerNamespaceFile: Int32?
        defer { if let peerNamespaceFile { close(peerNamespaceFile) } }

        switch spec.kind {
        case .bridge:
            link = LinkObject(owning: try Netlink.allocate(operation, { rtnl_link_bridge_alloc() }))
        case let .vxlan(vni, local, port, learning, proxy):
            link = LinkObject(owning: try Netlink.allocate(operation, { rtnl_link_vxlan_alloc() }))
            guard let id = UInt32(exactly: vni), id < 1 << 24 else { throw Netlink.invalid(operation, "VNI out of range: \(vni)") }
            guard let udpPort = UInt32(exactly: port), udpPort > 0, udpPort <= UInt16.max else {
                throw Netlink.invalid(operation, "UDP port out of range: \(port)")
            }
            try Netlink.call("\(operation): id \(vni)") { rtnl_link_vxlan_set_id(link.pointer, id) }
            if !local.isEmpty {
                let address = try NetlinkAddress.ip(local, operation: "\(operation): local \(local)")
                try Netlink.call("\(operation): local \(local)") { rtnl_link_vxlan_set_local(link.pointer, address.pointer) }
            }
            try Netlink.call("\(operation): dstport \(port)") { rtnl_link_vxlan_set_port(link.pointer, udpPort) }
            try Netlink.call("\(operation): learning") { rtnl_link_vxlan_set_learning(link.pointer, learning ? 1 : 0) }
            try Netlink.call("\(operation): proxy") { rtnl_link_vxlan_set_proxy(link.pointer, proxy ? 1 : 0) }
        case .veth:
            guard let peerName = spec.peer else { throw Netlink.invalid(operation, "a veth needs a peer name") }
            link = LinkObject(owning: try Netlink.allocate(operation, { rtnl_link_veth_alloc() }))
            let peer = LinkObject(owning: try Netlink.allocate(operation, { rtnl_link_veth_get_peer(link.pointer) }))
            rtnl_link_set_name(peer.pointer, peerName)
            if spec.mtu > 0 { rtnl_link_set_mtu(peer.pointer, UInt32(spec.mtu)) }
            if let peerNamespace = spec.peerNamespace {
                let file = try NetworkNamespace.open(peerNamespace, operation: "\(operation) peer \(peerName) netns \(peerNamespace)")
                peerNamespaceFile = file
                rtnl_link_set_ns_fd(peer.pointer, file)
            }
        case let .macvlan(parent):
            link = LinkObject(owning: try Netlink.allocate(operation, { rtnl_link_macvlan_alloc() }))
            try Netlink.call("\(operation): mode bridge") {
                rtnl_link_macvlan_set_mode(link.pointer, UInt32(rtnl_link_macvlan_str2mode("bridge")))
            }
            rtnl_link_set_link(link.pointer, try linkIndex(named: parent, socket: socket, for: "\(operation) link \(parent)"))
        case let .other(kind):
            link = try LinkObject.make()
            try Netlink.call(operation) { rtnl_link_set_type(link.pointer, kind) }
        }

        rtnl_link_set_name(link.pointer, spec.name)
        if spec.mtu > 0 { rtnl_link_set_mtu(link.pointer, UInt32(spec.mtu)) }
        if let mac = spec.mac {
            let address = try NetlinkAddress.mac(mac, operation: "\(operation) address \(mac)")
            address.withPointer { rtnl_link_set_addr(link.pointer, $0) }
        }
        if let master = spec.master {
            rtnl_link_set_master(link.pointer, try linkIndex(named: master, socket: socket, for: "\(operation) master \(master)"))
        }
        try Netlink.call(operation) { rtnl_link_add(socket.pointer, link.pointer, NLM_F_CREATE | NLM_F_EXCL) }
    }

    /// Deletes a link; deleting one end of a veth pair deletes the other. Equivalent to `ip link del NAME`.
    public func deleteLink(named name: String, in namespace: String?) async throws {
        let socket = try socket(for: namespace)
        let link = try LinkObject.make()
        rtnl_link_set_name(link.pointer, name)
        try Netlink.call("ip link del \(name)") { rtnl_link_delete(socket.pointer, link.pointer) }
    }

    /// Changes a link in place, then (if asked) moves it to another namespace under its new name.
    /// Equivalent to `ip link set NAME mtu M master BR|nomaster address MAC name NEW up|down addrgenmode eui64|none`,
    /// then `ip link set NAME netns NS`.
    public func setLink(named name: String, _ change: LinkChange, in namespace: String?) async throws {
        let socket = try socket(for: namespace)
        let operation = "ip link set \(name)"
        let index = try linkIndex(named: name, socket: socket, for: operation)
        let original = try LinkObject.make()
        rtnl_link_set_ifindex(original.pointer, index)

        // In one request the kernel moves the link first and resolves the rest in the new
        // namespace, so in-place changes (a master's index above all) go in their own request.
        let inPlace = try LinkObject.make()
        var hasInPlaceChange = false
        var description = operation
        if let mtu = change.mtu {
            rtnl_link_set_mtu(inPlace.pointer, UInt32(mtu))
            description += " mtu \(mtu)"
            hasInPlaceChange = true
        }
        if let master = change.master {
            if let master {
                rtnl_link_set_master(inPlace.pointer, try linkIndex(named: master, socket: socket, for: "\(operation) master"))
                description += " master \(master)"
            } else {
                rtnl_link_set_master(inPlace.pointer, 0)
                description += " nomaster"
            }
            hasInPlaceChange = true
        }
        if let mac = change.mac {
            let address = try NetlinkAddress.mac(mac, operation: "\(operation) address \(mac)")
            address.withPointer { rtnl_link_set_addr(inPlace.pointer, $0) }
            description += " address \(mac)"
            hasInPlaceChange = true
        }
        if let newName = change.newName, change.namespace == nil {
            rtnl_link_set_name(inPlace.pointer, newName)
            description += " name \(newName)"
            hasInPlaceChange = true
        }
        if let isUp = change.isUp {
            // The kernel renames before it changes flags, so `name NEW up` works on a down link.
            if isUp { rtnl_link_set_flags(inPlace.pointer, cnl_iff_up) } else { rtnl_link_unset_flags(inPlace.pointer, cnl_iff_up) }
            description += isUp ? " up" : " down"
            hasInPlaceChange = true
        }
        if let generates = change.generatesIPv6Addresses {
            let mode = generates ? cnl_addr_gen_mode_eui64 : cnl_addr_gen_mode_none
            try Netlink.call("\(operation) addrgenmode") { rtnl_link_inet6_set_addr_gen_mode(inPlace.pointer, mode) }
            description += generates ? " addrgenmode eui64" : " addrgenmode none"
            hasInPlaceChange = true
        }
        if hasInPlaceChange {
            try Netlink.call(description) { rtnl_link_change(socket.pointer, original.pointer, inPlace.pointer, 0) }
        }
        if let hairpin = change.hairpin {
            try setHairpin(index: index, hairpin, socket: socket, operation: "\(operation) type bridge_slave hairpin \(hairpin ? "on" : "off")")
        }

        if let target = change.namespace {
            var moveDescription = "\(operation) netns \(target)"
            let move = try LinkObject.make()
            let file = try NetworkNamespace.open(target, operation: moveDescription)
            defer { close(file) }
            rtnl_link_set_ns_fd(move.pointer, file)
            if let newName = change.newName {
                rtnl_link_set_name(move.pointer, newName)
                moveDescription += " name \(newName)"
            }
            try Netlink.call(moveDescription) { rtnl_link_change(socket.pointer, original.pointer, move.pointer, 0) }
        }
    }

    /// Reads a link's kind (`IFLA_INFO_KIND`) and, for VXLAN, its `IFLA_VXLAN_*` attributes.
    static func kind(of link: OpaquePointer, names: [Int32: String]) -> LinkKind {
        guard let type = rtnl_link_get_type(link).map({ String(cString: $0) }) else { return .other("") }
        switch type {
        case "bridge":
            return .bridge
        case "veth":
            return .veth
        case "macvlan":
            // A parent in another namespace (an uplink moved into its router's) has no name here.
            var netnsid: Int32 = 0
            let elsewhere = rtnl_link_get_link_netnsid(link, &netnsid) == 0
            return .macvlan(parent: elsewhere ? "" : names[rtnl_link_get_link(link)] ?? "")
        case "vxlan":
            var id: UInt32 = 0
            _ = rtnl_link_vxlan_get_id(link, &id)
            var port: UInt32 = 0
            _ = rtnl_link_vxlan_get_port(link, &port)
            var local = ""
            var address: OpaquePointer?
            if rtnl_link_vxlan_get_local(link, &address) == 0, let address {
                local = NetlinkAddress(owning: address).withPointer(NetlinkAddress.ipString)
            }
            // Absent means the kernel default, which is learning.
            let learning = rtnl_link_vxlan_get_learning(link) != 0
            let proxy = rtnl_link_vxlan_get_proxy(link) > 0
            return .vxlan(vni: Int(id), local: local, port: Int(port), learning: learning, proxy: proxy)
        default:
            return .other(type)
        }
    }

    static func kindName(_ kind: LinkKind) -> String {
        switch kind {
        case .bridge: "bridge"
        case .vxlan: "vxlan"
        case .veth: "veth"
        case .macvlan: "macvlan"
        case let .other(name): name
        }
    }
}
