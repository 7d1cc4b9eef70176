/// One write to the kernel, as a value: what a reconciler plans, what `FakeKernel` records, and
/// what ``Kernel/perform(_:)`` carries out. Its description is the `ip`/`bridge`/`nft` command that
/// does the same.
public enum KernelOperation: Equatable, Hashable, Sendable {
    /// `ip link add NAME mtu M [address MAC] type bridge|vxlan|veth …`
    case addLink(LinkSpec, namespace: String?)
    /// `ip link del NAME`
    case deleteLink(name: String, namespace: String?)
    /// `ip link set NAME mtu M master BR|nomaster address MAC up|down name NEW netns NS`
    case setLink(name: String, LinkChange, namespace: String?)
    /// `bridge fdb append MAC dev NAME dst VTEP self permanent`
    case addFDBEntry(FDBEntry)
    /// `bridge fdb del MAC dev NAME dst VTEP self`
    case deleteFDBEntry(FDBEntry)
    /// `ip neigh replace IP lladdr MAC dev NAME nud permanent`
    case addNeighbour(Neighbour, namespace: String?)
    /// `ip neigh del IP dev NAME`
    case deleteNeighbour(Neighbour, namespace: String?)
    /// `ip addr add ADDRESS/PREFIX dev NAME`
    case addAddress(InterfaceAddress, namespace: String?)
    /// `ip addr del ADDRESS/PREFIX dev NAME`
    case deleteAddress(InterfaceAddress, namespace: String?)
    /// `ip route replace DESTINATION via GATEWAY dev NAME [table TABLE]`
    case addRoute(Route, namespace: String?)
    /// `ip route del DESTINATION [table TABLE]`
    case deleteRoute(Route, namespace: String?)
    /// `ip rule add priority P iif NAME lookup TABLE`
    case addRule(RoutingRule, namespace: String?)
    /// `ip rule del priority P iif NAME lookup TABLE`
    case deleteRule(RoutingRule, namespace: String?)
    /// `conntrack -D --orig-dst VIP --reply-src ENDPOINT`
    case deleteConnections(ConnectionFilter, namespace: String?)
    /// `nft -f -` replacing the table in one transaction with `ruleset` as its body
    case replaceNftablesTable(NftablesTable, ruleset: String, namespace: String?)
    /// `nft delete table F N` (a missing table is not an error)
    case deleteNftablesTable(NftablesTable, namespace: String?)
    /// `nft -f -` with `delete element …` and `add element …`, one transaction
    case updateNftablesSets(NftablesTable, [NftablesSetChange], namespace: String?)
    /// `ip netns add NAME`
    case addNamespace(String)
    /// `ip netns del NAME`
    case deleteNamespace(String)
    /// `ip netns exec NS sysctl -w KEY=VALUE`
    case setSysctl(key: String, value: String, namespace: String?)
}

extension Kernel {
    /// Carries out one operation through the matching protocol call.
    public func perform(_ operation: KernelOperation) async throws {
        switch operation {
        case let .addLink(spec, namespace): try await addLink(spec, in: namespace)
        case let .deleteLink(name, namespace): try await deleteLink(named: name, in: namespace)
        case let .setLink(name, change, namespace): try await setLink(named: name, change, in: namespace)
        case let .addFDBEntry(entry): try await addFDBEntry(entry)
        case let .deleteFDBEntry(entry): try await deleteFDBEntry(entry)
        case let .addNeighbour(neighbour, namespace): try await addNeighbour(neighbour, in: namespace)
        case let .deleteNeighbour(neighbour, namespace): try await deleteNeighbour(neighbour, in: namespace)
        case let .addAddress(address, namespace): try await addAddress(address, in: namespace)
        case let .deleteAddress(address, namespace): try await deleteAddress(address, in: namespace)
        case let .addRoute(route, namespace): try await addRoute(route, in: namespace)
        case let .deleteRoute(route, namespace): try await deleteRoute(route, in: namespace)
        case let .addRule(rule, namespace): try await addRule(rule, in: namespace)
        case let .deleteRule(rule, namespace): try await deleteRule(rule, in: namespace)
        case let .deleteConnections(filter, namespace): try await deleteConnections(filter, in: namespace)
        case let .replaceNftablesTable(table, ruleset, namespace):
            try await replaceNftablesTable(table, ruleset: ruleset, in: namespace)
        case let .deleteNftablesTable(table, namespace): try await deleteNftablesTable(table, in: namespace)
        case let .updateNftablesSets(table, changes, namespace): try await updateNftablesSets(table, changes, in: namespace)
        case let .addNamespace(name): try await addNamespace(named: name)
        case let .deleteNamespace(name): try await deleteNamespace(named: name)
        case let .setSysctl(key, value, namespace): try await setSysctl(key, to: value, in: namespace)
        }
    }
}

extension KernelOperation {
    /// Whether the operation only takes something away from what the kernel forwards: a link,
    /// address, route, rule, neighbour, FDB entry or namespace deleted, a link taken down or its hairpin
    /// turned off. A reconciler
    /// still runs these for an object that failed earlier in a pass, so that a failure never keeps
    /// open what should close (an uplink that left this host). Deleting a filter table opens, so
    /// it is not one of them.
    public var onlyCloses: Bool {
        switch self {
        case .deleteLink, .deleteAddress, .deleteRoute, .deleteRule, .deleteNeighbour, .deleteFDBEntry, .deleteNamespace, .deleteConnections:
            true
        case let .setLink(_, change, _):
            change == LinkChange(isUp: false) || change == LinkChange(hairpin: false)
        default:
            false
        }
    }
}
