/// A kernel in memory for unit tests, in the spirit of NIOEmbedded and felix's netlinkshim mock:
/// links, FDB entries, neighbours, addresses, routes and nftables tables per namespace, every write
/// recorded in order, and failures on request. Rulesets are recorded in `operations`, not parsed.
///
/// It refuses what Linux refuses (a duplicate link name, a name over 15 characters, a second
/// VXLAN device with the same VNI and port, a master that is not a bridge, deleting what is not
/// there) so that a plan that works here is one the kernel would accept. Deleting a link takes its
/// veth peer, its FDB entries, neighbours, addresses and routes with it, and releases its slaves.
public actor FakeKernel: Kernel {
    /// Every write asked of this kernel, in order, including those that failed.
    public private(set) var operations: [KernelOperation] = []
    /// The writes that threw, injected or refused, in order.
    public private(set) var failures: [KernelOperation] = []

    var namespaces: [String?: FakeNamespace] = [nil: FakeNamespace()]
    var fdb: Set<FDBEntry> = []
    private var failingNumbers: Set<Int> = []
    private var failingPredicates: [@Sendable (KernelOperation) -> Bool] = []
    private var probeAnswers: [String: [UInt8]] = [:]
    private var macCounter = 0
    private var indexCounter = 0

    /// A kernel whose own namespace holds `links` (kept as given, peers unknown) and `fdbEntries`.
    public init(links: [Link] = [], fdbEntries: [FDBEntry] = []) {
        for link in links { namespaces[nil, default: FakeNamespace()].links[link.name] = link }
        fdb = Set(fdbEntries)
    }

    /// How many writes were asked of this kernel.
    public var writeCount: Int { operations.count }

    /// Makes the `number`th write from now fail (1: the next one).
    public func failWrite(number: Int) {
        failingNumbers.insert(operations.count + number)
    }

    /// Makes every write for which `predicate` holds fail, until ``stopFailing()``.
    public func failWrites(where predicate: @escaping @Sendable (KernelOperation) -> Bool) {
        failingPredicates.append(predicate)
    }

    /// Forgets every failure asked for with ``failWrite(number:)`` or ``failWrites(where:)``.
    public func stopFailing() {
        failingNumbers = []
        failingPredicates = []
    }

    /// Applies `operation` as someone other than the code under test would — an administrator, a
    /// crashed earlier run — without recording it or injecting failures.
    public func simulateExternalChange(_ operation: KernelOperation) throws(FakeKernelError) {
        try apply(operation)
    }

    public func links(in namespace: String?) async throws -> [Link] {
        guard let space = namespaces[namespace] else { return [] }
        return space.links.values.sorted { $0.name < $1.name }.map { link in
            var link = link
            if let peer = space.peers[link.name] { link.peerIndex = namespaces[peer.namespace]?.links[peer.name]?.index }
            return link
        }
    }

    public func addLink(_ link: LinkSpec, in namespace: String?) async throws {
        try write(.addLink(link, namespace: namespace))
    }

    public func deleteLink(named name: String, in namespace: String?) async throws {
        try write(.deleteLink(name: name, namespace: namespace))
    }

    public func setLink(named name: String, _ change: LinkChange, in namespace: String?) async throws {
        try write(.setLink(name: name, change, namespace: namespace))
    }

    public func fdbEntries(devices: [String]) async throws -> [FDBEntry] {
        for device in devices { try requireLink(device, in: nil) }
        return fdb.filter { devices.contains($0.device) }.sorted { ($0.device, $0.mac, $0.vtep) < ($1.device, $1.mac, $1.vtep) }
    }

    public func addFDBEntry(_ entry: FDBEntry) async throws {
        try write(.addFDBEntry(entry))
    }

    public func deleteFDBEntry(_ entry: FDBEntry) async throws {
        try write(.deleteFDBEntry(entry))
    }

    public func neighbours(devices: [String], in namespace: String?) async throws -> [Neighbour] {
        for device in devices { try requireLink(device, in: namespace) }
        return (namespaces[namespace]?.neighbours ?? []).filter { devices.contains($0.device) }
            .sorted { ($0.device, $0.ip) < ($1.device, $1.ip) }
    }

    public func addNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        try write(.addNeighbour(neighbour, namespace: namespace))
    }

    public func deleteNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        try write(.deleteNeighbour(neighbour, namespace: namespace))
    }

    public func addresses(device: String, in namespace: String?) async throws -> [InterfaceAddress] {
        try requireLink(device, in: namespace)
        return (namespaces[namespace]?.addresses ?? []).filter { $0.device == device }.sorted { $0.address < $1.address }
    }

    public func addAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        try write(.addAddress(address, namespace: namespace))
    }

    public func deleteAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        try write(.deleteAddress(address, namespace: namespace))
    }

    public func routes(in namespace: String?) async throws -> [Route] {
        ((namespaces[namespace]?.routes.values).map { Array($0) } ?? []).filter { $0.table == nil }.sorted { $0.destination < $1.destination }
    }

    public func routes(table: Int, in namespace: String?) async throws -> [Route] {
        ((namespaces[namespace]?.routes.values).map { Array($0) } ?? []).filter { $0.table == table }.sorted { $0.destination < $1.destination }
    }

    /// What ``probe(_:port:sending:limit:timeout:in:)`` answers for `address:port` in `namespace`:
    /// the bytes, or nil for a refused connection (the default).
    public func answerProbes(to address: String, port: Int, in namespace: String?, with answer: [UInt8]?) {
        probeAnswers["\(namespace ?? "") \(address):\(port)"] = answer
    }

    public func probe(_ address: String, port: Int, sending request: [UInt8], limit: Int, timeout: Duration,
                      in namespace: String?) async throws -> [UInt8] {
        guard let answer = probeAnswers["\(namespace ?? "") \(address):\(port)"] else {
            throw FakeKernelError.noSuchEntry("nothing listens on \(address):\(port)")
        }
        return Array(answer.prefix(limit))
    }

    /// A fake kernel has no sockets to give.
    public func listeningSockets(port: Int, in namespace: String) async throws -> ListeningSockets {
        throw FakeKernelError.noSuchEntry("a fake kernel opens no sockets (port \(port) in \(namespace))")
    }

    public func deleteConnections(_ filter: ConnectionFilter, in namespace: String?) async throws {
        try write(.deleteConnections(filter, namespace: namespace))
    }

    public func rules(in namespace: String?) async throws -> [RoutingRule] {
        (namespaces[namespace]?.rules ?? []).sorted { ($0.priority, $0.device) < ($1.priority, $1.device) }
    }

    public func addRule(_ rule: RoutingRule, in namespace: String?) async throws {
        try write(.addRule(rule, namespace: namespace))
    }

    public func deleteRule(_ rule: RoutingRule, in namespace: String?) async throws {
        try write(.deleteRule(rule, namespace: namespace))
    }

    public func hairpinPorts(among ports: [String], in namespace: String?) async throws -> Set<String> {
        (namespaces[namespace]?.hairpin ?? []).intersection(ports)
    }

    public func addRoute(_ route: Route, in namespace: String?) async throws {
        try write(.addRoute(route, namespace: namespace))
    }

    public func deleteRoute(_ route: Route, in namespace: String?) async throws {
        try write(.deleteRoute(route, namespace: namespace))
    }

    public func nftablesTables(in namespace: String?) async throws -> [NftablesTable] {
        (namespaces[namespace]?.nftables ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            .filter { $0.name.hasPrefix(NftablesTable.ownPrefix) }
    }

    public func replaceNftablesTable(_ table: NftablesTable, ruleset: String, in namespace: String?) async throws {
        try write(.replaceNftablesTable(table, ruleset: ruleset, namespace: namespace))
    }

    public func deleteNftablesTable(_ table: NftablesTable, in namespace: String?) async throws {
        try write(.deleteNftablesTable(table, namespace: namespace))
    }

    public func updateNftablesSets(_ table: NftablesTable, _ changes: [NftablesSetChange], in namespace: String?) async throws {
        try write(.updateNftablesSets(table, changes, namespace: namespace))
    }

    /// Every namespace other than the kernel's own, including those a veth peer was created in.
    public func namespaces() async throws -> [String] {
        namespaces.keys.compactMap { $0 }.sorted()
    }

    public func addNamespace(named name: String) async throws {
        try write(.addNamespace(name))
    }

    public func deleteNamespace(named name: String) async throws {
        try write(.deleteNamespace(name))
    }

    public func sysctls(_ keys: [String], in namespace: String?) async throws -> [String: String] {
        guard let space = namespaces[namespace] else { throw FakeKernelError.noSuchEntry("namespace \(namespace ?? "")") }
        return space.sysctls.filter { keys.contains($0.key) }
    }

    public func setSysctl(_ key: String, to value: String, in namespace: String?) async throws {
        try write(.setSysctl(key: key, value: value, namespace: namespace))
    }

    /// Bridges, VXLAN, veth and macvlan, as on the kernel these tests stand in for; no VRF.
    public func supportsLinkKind(_ kind: String, in namespace: String?) async -> Bool {
        ["bridge", "vxlan", "veth", "macvlan"].contains(kind)
    }

    private func write(_ operation: KernelOperation) throws(FakeKernelError) {
        operations.append(operation)
        if failingNumbers.contains(operations.count) || failingPredicates.contains(where: { $0(operation) }) {
            failures.append(operation)
            throw .injected(operation)
        }
        do throws(FakeKernelError) {
            try apply(operation)
        } catch {
            failures.append(operation)
            throw error
        }
    }

    func requireLink(_ name: String, in namespace: String?) throws(FakeKernelError) {
        guard namespaces[namespace]?.links[name] != nil else { throw .noSuchLink(name) }
    }

    /// Interface indexes are unique across namespaces here, which Linux does not promise.
    func nextIndex() -> Int {
        indexCounter += 1
        return indexCounter
    }

    func nextMAC() -> String {
        macCounter += 1
        return "02:00:00:00:\(hex(macCounter >> 8 & 0xff)):\(hex(macCounter & 0xff))"
    }

    private func hex(_ byte: Int) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
