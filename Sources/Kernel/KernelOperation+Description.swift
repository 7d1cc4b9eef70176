extension KernelOperation: CustomStringConvertible {
    /// The `ip`, `bridge` or `nft` command line that performs the same operation.
    public var description: String {
        switch self {
        case let .addLink(spec, namespace):
            return Self.ip(namespace, "link add \(spec.name) mtu \(spec.mtu)\(spec.mac.map { " address \($0)" } ?? "")"
                + "\(spec.master.map { " master \($0)" } ?? "") " + Self.type(of: spec))
        case let .deleteLink(name, namespace):
            return Self.ip(namespace, "link del \(name)")
        case let .setLink(name, change, namespace):
            return Self.ip(namespace, "link set \(name)\(Self.arguments(of: change))")
        case let .addFDBEntry(entry):
            return "bridge fdb append \(entry.mac) dev \(entry.device) dst \(entry.vtep) self permanent"
        case let .deleteFDBEntry(entry):
            return "bridge fdb del \(entry.mac) dev \(entry.device) dst \(entry.vtep) self"
        case let .addNeighbour(neighbour, namespace):
            return Self.ip(namespace,
                           "neigh replace \(neighbour.ip) lladdr \(neighbour.mac) dev \(neighbour.device) nud permanent")
        case let .deleteNeighbour(neighbour, namespace):
            return Self.ip(namespace, "neigh del \(neighbour.ip) dev \(neighbour.device)")
        case let .addAddress(address, namespace):
            return Self.ip(namespace, "addr add \(address.address)/\(address.prefixLength) dev \(address.device)")
        case let .deleteAddress(address, namespace):
            return Self.ip(namespace, "addr del \(address.address)/\(address.prefixLength) dev \(address.device)")
        case let .addRoute(route, namespace):
            return Self.ip(namespace, "route replace \(route.destination)\(route.gateway.map { " via \($0)" } ?? "") dev \(route.device)"
                + Self.table(route))
        case let .deleteRoute(route, namespace):
            return Self.ip(namespace, "route del \(route.destination)" + Self.table(route))
        case let .addRule(rule, namespace):
            return Self.ip(namespace, "rule add priority \(rule.priority) iif \(rule.device) lookup \(rule.table)")
        case let .deleteRule(rule, namespace):
            return Self.ip(namespace, "rule del priority \(rule.priority) iif \(rule.device) lookup \(rule.table)")
        case let .deleteConnections(filter, namespace):
            return (namespace.map { "ip netns exec \($0) " } ?? "") + "conntrack -D --orig-dst \(filter.originalDestination) --reply-src \(filter.replySource)"
        case let .replaceNftablesTable(table, ruleset, namespace):
            let lines = ruleset.split(whereSeparator: \.isNewline).count
            let summary = "(\(lines) lines, comment \"\(table.comment)\")"
            return Self.nft(namespace, "-f - <<< 'table \(table.qualifiedName) {…}' \(summary)")
        case let .deleteNftablesTable(table, namespace):
            return Self.nft(namespace, "delete table \(table.qualifiedName)")
        case let .updateNftablesSets(table, changes, namespace):
            let summary = changes.map { "\($0.set) -\($0.removed.count) +\($0.added.count)" }.joined(separator: ", ")
            return Self.nft(namespace, "-f - <<< 'delete element/add element \(table.qualifiedName) …' (\(summary))")
        case let .addNamespace(name):
            return "ip netns add \(name)"
        case let .deleteNamespace(name):
            return "ip netns del \(name)"
        case let .setSysctl(key, value, namespace):
            return (namespace.map { "ip netns exec \($0) " } ?? "") + "sysctl -w \(key)=\(value)"
        }
    }

    private static func ip(_ namespace: String?, _ arguments: String) -> String {
        namespace.map { "ip -n \($0) \(arguments)" } ?? "ip \(arguments)"
    }

    private static func table(_ route: Route) -> String {
        route.table.map { " table \($0)" } ?? ""
    }

    private static func nft(_ namespace: String?, _ arguments: String) -> String {
        namespace.map { "ip netns exec \($0) nft \(arguments)" } ?? "nft \(arguments)"
    }

    private static func type(of spec: LinkSpec) -> String {
        switch spec.kind {
        case .bridge:
            return "type bridge"
        case let .vxlan(vni, local, port, learning, proxy):
            return "type vxlan id \(vni) local \(local) dstport \(port)\(learning ? "" : " nolearning")\(proxy ? " proxy" : "")"
        case .veth:
            let peer = spec.peer.map { " peer name \($0)" } ?? ""
            return "type veth\(peer)\(spec.peerNamespace.map { " netns \($0)" } ?? "")"
        case let .macvlan(parent):
            return "link \(parent) type macvlan mode bridge"
        case let .other(kind):
            return "type \(kind)"
        }
    }

    private static func arguments(of change: LinkChange) -> String {
        var words: [String] = []
        if let mtu = change.mtu { words.append("mtu \(mtu)") }
        if let master = change.master { words.append(master.map { "master \($0)" } ?? "nomaster") }
        if let mac = change.mac { words.append("address \(mac)") }
        if let isUp = change.isUp { words.append(isUp ? "up" : "down") }
        if let newName = change.newName { words.append("name \(newName)") }
        if let namespace = change.namespace { words.append("netns \(namespace)") }
        if let generates = change.generatesIPv6Addresses { words.append("addrgenmode \(generates ? "eui64" : "none")") }
        if let hairpin = change.hairpin { words.append("type bridge_slave hairpin \(hairpin ? "on" : "off")") }
        return words.map { " " + $0 }.joined()
    }
}
