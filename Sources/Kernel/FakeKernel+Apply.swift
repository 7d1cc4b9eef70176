extension FakeKernel {
    /// Changes the state as Linux would for `operation`, or throws what Linux would answer.
    func apply(_ operation: KernelOperation) throws(FakeKernelError) {
        switch operation {
        case let .addLink(spec, namespace):
            try addLink(spec, namespace)
        case let .deleteLink(name, namespace):
            try requireLink(name, in: namespace)
            removeLink(LinkAddress(name: name, namespace: namespace))
        case let .setLink(name, change, namespace):
            try setLink(LinkAddress(name: name, namespace: namespace), change)
        case let .addFDBEntry(entry):
            try requireLink(entry.device, in: nil)
            guard fdb.insert(entry).inserted else { throw .entryExists("fdb \(entry.mac) dst \(entry.vtep)") }
        case let .deleteFDBEntry(entry):
            guard fdb.remove(entry) != nil else { throw .noSuchEntry("fdb \(entry.mac) dst \(entry.vtep)") }
        case let .addNeighbour(neighbour, namespace):
            try requireLink(neighbour.device, in: namespace)
            let others = (namespaces[namespace]?.neighbours ?? []).filter { !($0.ip == neighbour.ip && $0.device == neighbour.device) }
            namespaces[namespace]?.neighbours = others.union([neighbour])
        case let .deleteNeighbour(neighbour, namespace):
            let before = namespaces[namespace]?.neighbours ?? []
            let after = before.filter { !($0.ip == neighbour.ip && $0.device == neighbour.device) }
            guard after.count < before.count else { throw .noSuchEntry("neighbour \(neighbour.ip)") }
            namespaces[namespace]?.neighbours = after
        case let .addAddress(address, namespace):
            try requireLink(address.device, in: namespace)
            guard namespaces[namespace]!.addresses.insert(address).inserted else {
                throw .entryExists("address \(address.address)/\(address.prefixLength)")
            }
        case let .deleteAddress(address, namespace):
            guard namespaces[namespace]?.addresses.remove(address) != nil else {
                throw .noSuchEntry("address \(address.address)/\(address.prefixLength)")
            }
        case let .addRoute(route, namespace):
            try requireLink(route.device, in: namespace)
            namespaces[namespace]?.routes[route.key] = route
        case let .deleteRoute(route, namespace):
            guard namespaces[namespace]?.routes.removeValue(forKey: route.key) != nil else {
                throw .noSuchEntry("route \(route.destination)")
            }
        case let .addRule(rule, namespace):
            try requireNamespace(namespace)
            guard namespaces[namespace]!.rules.insert(rule).inserted else { throw .entryExists("rule iif \(rule.device)") }
        case let .deleteConnections(_, namespace):
            try requireNamespace(namespace)
        case let .deleteRule(rule, namespace):
            guard namespaces[namespace]?.rules.remove(rule) != nil else { throw .noSuchEntry("rule iif \(rule.device)") }
        case let .replaceNftablesTable(table, _, namespace):
            guard NftablesTable.isValidName(table.name), NftablesTable.isValidComment(table.comment) else {
                throw .invalidNftablesTable(table)
            }
            namespaces[namespace, default: FakeNamespace()].nftables[table.qualifiedName] = table
        case let .deleteNftablesTable(table, namespace):
            namespaces[namespace]?.nftables[table.qualifiedName] = nil
        case let .updateNftablesSets(table, _, namespace):
            guard namespaces[namespace]?.nftables[table.qualifiedName] != nil else { throw .noSuchEntry("table \(table.qualifiedName)") }
        case let .addNamespace(name):
            guard namespaces[name] == nil else { throw .entryExists("namespace \(name)") }
            namespaces[name] = FakeNamespace()
        case let .deleteNamespace(name):
            guard let space = namespaces[name] else { throw .noSuchEntry("namespace \(name)") }
            for link in space.links.keys { removeLink(LinkAddress(name: link, namespace: name)) }
            namespaces[name] = nil
        case let .setSysctl(key, value, namespace):
            guard namespaces[namespace] != nil else { throw .noSuchEntry("namespace \(namespace ?? "")") }
            namespaces[namespace]?.sysctls[key] = value
        }
    }

    private func addLink(_ spec: LinkSpec, _ namespace: String?) throws(FakeKernelError) {
        try requireFree(spec.name, in: namespace)
        if case let .vxlan(vni, _, port, _, _) = spec.kind {
            let taken = namespaces[namespace]?.links.values.contains {
                if case let .vxlan(otherVNI, _, otherPort, _, _) = $0.kind { otherVNI == vni && otherPort == port } else { false }
            }
            if taken == true { throw .vniInUse(vni: vni, port: port) }
        }
        if case let .macvlan(parent) = spec.kind { try requireLink(parent, in: namespace) }
        if let master = spec.master {
            guard let bridge = namespaces[namespace]?.links[master] else { throw .noSuchLink(master) }
            guard bridge.kind == .bridge else { throw .notABridge(master) }
        }
        let link = Link(name: spec.name, kind: spec.kind, mtu: spec.mtu, isUp: false, master: spec.master, mac: spec.mac ?? nextMAC(),
                        index: nextIndex())
        guard spec.kind == .veth else {
            namespaces[namespace, default: FakeNamespace()].links[spec.name] = link
            return
        }
        guard let peerName = spec.peer else { throw .missingPeer(spec.name) }
        let peer = LinkAddress(name: peerName, namespace: spec.peerNamespace ?? namespace)
        try requireFree(peer.name, in: peer.namespace)
        namespaces[namespace, default: FakeNamespace()].links[spec.name] = link
        namespaces[peer.namespace, default: FakeNamespace()].links[peer.name] =
            Link(name: peer.name, kind: .veth, mtu: spec.mtu, isUp: false, mac: nextMAC(), index: nextIndex())
        namespaces[namespace]?.peers[spec.name] = peer
        namespaces[peer.namespace]?.peers[peer.name] = LinkAddress(name: spec.name, namespace: namespace)
    }

    private func setLink(_ address: LinkAddress, _ change: LinkChange) throws(FakeKernelError) {
        try requireLink(address.name, in: address.namespace)
        if case let .some(.some(master)) = change.master {
            guard let bridge = namespaces[address.namespace]?.links[master] else { throw .noSuchLink(master) }
            guard bridge.kind == .bridge else { throw .notABridge(master) }
        }
        if let newName = change.newName { try requireFree(newName, in: address.namespace) }
        if let target = change.namespace { try requireFree(change.newName ?? address.name, in: target) }
        var link = namespaces[address.namespace]!.links[address.name]!
        if let mtu = change.mtu { link.mtu = mtu }
        if let master = change.master {
            link.master = master
            if master == nil { namespaces[address.namespace]?.hairpin.remove(address.name) }
        }
        if let isUp = change.isUp { link.isUp = isUp }
        if let mac = change.mac { link.mac = mac }
        if let hairpin = change.hairpin {
            guard link.master != nil else { throw .notABridge(address.name) }
            if hairpin { namespaces[address.namespace]?.hairpin.insert(address.name) } else { namespaces[address.namespace]?.hairpin.remove(address.name) }
        }
        namespaces[address.namespace]?.links[address.name] = link
        if let newName = change.newName { rename(address, to: newName) }
        if let target = change.namespace {
            move(LinkAddress(name: change.newName ?? address.name, namespace: address.namespace), to: target)
        }
    }

    private func requireNamespace(_ namespace: String?) throws(FakeKernelError) {
        guard namespaces[namespace] != nil else { throw .noSuchEntry("namespace \(namespace ?? "")") }
    }

    private func requireFree(_ name: String, in namespace: String?) throws(FakeKernelError) {
        guard !name.isEmpty, name.utf8.count <= 15 else { throw .invalidName(name) }
        guard namespaces[namespace]?.links[name] == nil else { throw .linkExists(name) }
    }

    /// Removes a link with everything that hangs on it, and its veth peer.
    private func removeLink(_ address: LinkAddress) {
        detach(address)
        if let peer = namespaces[address.namespace]?.peers.removeValue(forKey: address.name) {
            namespaces[peer.namespace]?.peers[peer.name] = nil
            detach(peer)
        }
    }

    private func detach(_ address: LinkAddress) {
        let name = address.name
        guard var space = namespaces[address.namespace], space.links.removeValue(forKey: name) != nil else { return }
        for (slave, link) in space.links where link.master == name { space.links[slave]?.master = nil }
        space.neighbours = space.neighbours.filter { $0.device != name }
        space.addresses = space.addresses.filter { $0.device != name }
        space.routes = space.routes.filter { $0.value.device != name }
        space.hairpin.remove(name)
        namespaces[address.namespace] = space
        if address.namespace == nil { fdb = fdb.filter { $0.device != name } }
    }

    private func rename(_ address: LinkAddress, to newName: String) {
        guard var space = namespaces[address.namespace], var link = space.links.removeValue(forKey: address.name) else {
            return
        }
        link.name = newName
        space.links[newName] = link
        for (slave, other) in space.links where other.master == address.name { space.links[slave]?.master = newName }
        if let peer = space.peers.removeValue(forKey: address.name) {
            space.peers[newName] = peer
            namespaces[address.namespace] = space
            namespaces[peer.namespace]?.peers[peer.name] = LinkAddress(name: newName, namespace: address.namespace)
        } else {
            namespaces[address.namespace] = space
        }
    }

    /// Moves a link to another namespace: like Linux, it arrives down, without master or addresses.
    private func move(_ address: LinkAddress, to target: String) {
        guard var link = namespaces[address.namespace]?.links[address.name] else { return }
        let peer = namespaces[address.namespace]?.peers.removeValue(forKey: address.name)
        detach(address)
        link.isUp = false
        link.master = nil
        namespaces[target, default: FakeNamespace()].links[link.name] = link
        if let peer {
            namespaces[target]?.peers[link.name] = peer
            namespaces[peer.namespace]?.peers[peer.name] = LinkAddress(name: link.name, namespace: target)
        }
    }
}

extension Route {
    /// Where `FakeNamespace.routes` keeps the route: its table (main: 254) and destination.
    var key: String { "\(table ?? 254) \(destination)" }
}
