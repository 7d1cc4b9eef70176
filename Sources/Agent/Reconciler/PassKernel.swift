import Kernel

/// The kernel as one reconcile pass sees it: each read is made once and shared by the managers
/// (every manager reads the host's links), until the pass writes; a write drops what it may have
/// changed (an nftables write the nftables reads, any other write everything), so a manager never
/// plans against a kernel that changed under it.
actor PassKernel: Kernel {
    private let kernel: any Kernel
    private var reads: [String: any Sendable] = [:]

    init(_ kernel: any Kernel) {
        self.kernel = kernel
    }

    /// The cached answer to the read named `key`, making it on first use.
    private func cached<T: Sendable>(_ key: String, _ read: () async throws -> T) async throws -> T {
        if let hit = reads[key] as? T { return hit }
        let value = try await read()
        reads[key] = value
        return value
    }

    /// Runs a write, forgetting every read first (also when the write fails part-way).
    private func write(_ body: () async throws -> Void) async throws {
        reads.removeAll()
        try await body()
    }

    /// Runs an nftables write, forgetting the nftables reads first: rulesets change no link,
    /// address, route, neighbour or sysctl.
    private func nftablesWrite(_ body: () async throws -> Void) async throws {
        reads = reads.filter { !$0.key.hasPrefix(Self.nftablesKey) }
        try await body()
    }

    private static let nftablesKey = "nft "

    func links(in namespace: String?) async throws -> [Link] {
        try await cached("links \(namespace ?? "")") { try await kernel.links(in: namespace) }
    }

    func fdbEntries(devices: [String]) async throws -> [FDBEntry] {
        try await cached("fdb \(devices)") { try await kernel.fdbEntries(devices: devices) }
    }

    func neighbours(devices: [String], in namespace: String?) async throws -> [Neighbour] {
        try await cached("neigh \(devices) \(namespace ?? "")") { try await kernel.neighbours(devices: devices, in: namespace) }
    }

    func addresses(device: String, in namespace: String?) async throws -> [InterfaceAddress] {
        try await cached("addr \(device) \(namespace ?? "")") { try await kernel.addresses(device: device, in: namespace) }
    }

    func routes(in namespace: String?) async throws -> [Route] {
        try await cached("routes \(namespace ?? "")") { try await kernel.routes(in: namespace) }
    }

    func routes(table: Int, in namespace: String?) async throws -> [Route] {
        try await cached("routes \(table) \(namespace ?? "")") { try await kernel.routes(table: table, in: namespace) }
    }

    func rules(in namespace: String?) async throws -> [RoutingRule] {
        try await cached("rules \(namespace ?? "")") { try await kernel.rules(in: namespace) }
    }

    func hairpinPorts(among ports: [String], in namespace: String?) async throws -> Set<String> {
        try await cached("hairpin \(ports) \(namespace ?? "")") { try await kernel.hairpinPorts(among: ports, in: namespace) }
    }

    func addLink(_ link: LinkSpec, in namespace: String?) async throws {
        try await write { try await kernel.addLink(link, in: namespace) }
    }

    func deleteLink(named name: String, in namespace: String?) async throws {
        try await write { try await kernel.deleteLink(named: name, in: namespace) }
    }

    func setLink(named name: String, _ change: LinkChange, in namespace: String?) async throws {
        try await write { try await kernel.setLink(named: name, change, in: namespace) }
    }

    func addFDBEntry(_ entry: FDBEntry) async throws {
        try await write { try await kernel.addFDBEntry(entry) }
    }

    func deleteFDBEntry(_ entry: FDBEntry) async throws {
        try await write { try await kernel.deleteFDBEntry(entry) }
    }

    func addNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        try await write { try await kernel.addNeighbour(neighbour, in: namespace) }
    }

    func deleteNeighbour(_ neighbour: Neighbour, in namespace: String?) async throws {
        try await write { try await kernel.deleteNeighbour(neighbour, in: namespace) }
    }

    func addAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        try await write { try await kernel.addAddress(address, in: namespace) }
    }

    func deleteAddress(_ address: InterfaceAddress, in namespace: String?) async throws {
        try await write { try await kernel.deleteAddress(address, in: namespace) }
    }

    func addRoute(_ route: Route, in namespace: String?) async throws {
        try await write { try await kernel.addRoute(route, in: namespace) }
    }

    func deleteRoute(_ route: Route, in namespace: String?) async throws {
        try await write { try await kernel.deleteRoute(route, in: namespace) }
    }

    func deleteConnections(_ filter: ConnectionFilter, in namespace: String?) async throws {
        try await write { try await kernel.deleteConnections(filter, in: namespace) }
    }

    func addRule(_ rule: RoutingRule, in namespace: String?) async throws {
        try await write { try await kernel.addRule(rule, in: namespace) }
    }

    func deleteRule(_ rule: RoutingRule, in namespace: String?) async throws {
        try await write { try await kernel.deleteRule(rule, in: namespace) }
    }

    func nftablesTables(in namespace: String?) async throws -> [NftablesTable] {
        try await cached(Self.nftablesKey + (namespace ?? "")) { try await kernel.nftablesTables(in: namespace) }
    }

    func replaceNftablesTable(_ table: NftablesTable, ruleset: String, in namespace: String?) async throws {
        try await nftablesWrite { try await kernel.replaceNftablesTable(table, ruleset: ruleset, in: namespace) }
    }

    func deleteNftablesTable(_ table: NftablesTable, in namespace: String?) async throws {
        try await nftablesWrite { try await kernel.deleteNftablesTable(table, in: namespace) }
    }

    func updateNftablesSets(_ table: NftablesTable, _ changes: [NftablesSetChange], in namespace: String?) async throws {
        try await nftablesWrite { try await kernel.updateNftablesSets(table, changes, in: namespace) }
    }

    func namespaces() async throws -> [String] {
        try await cached("netns") { try await kernel.namespaces() }
    }

    func addNamespace(named name: String) async throws {
        try await write { try await kernel.addNamespace(named: name) }
    }

    func deleteNamespace(named name: String) async throws {
        try await write { try await kernel.deleteNamespace(named: name) }
    }

    func sysctls(_ keys: [String], in namespace: String?) async throws -> [String: String] {
        try await cached("sysctl \(keys) \(namespace ?? "")") { try await kernel.sysctls(keys, in: namespace) }
    }

    func setSysctl(_ key: String, to value: String, in namespace: String?) async throws {
        try await write { try await kernel.setSysctl(key, to: value, in: namespace) }
    }

    func listeningSockets(port: Int, in namespace: String) async throws -> ListeningSockets {
        try await kernel.listeningSockets(port: port, in: namespace)
    }

    func probe(_ address: String, port: Int, sending request: [UInt8], limit: Int, timeout: Duration,
               in namespace: String?) async throws -> [UInt8] {
        try await kernel.probe(address, port: port, sending: request, limit: limit, timeout: timeout, in: namespace)
    }

    func supportsLinkKind(_ kind: String, in namespace: String?) async -> Bool {
        await kernel.supportsLinkKind(kind, in: namespace)
    }
}
