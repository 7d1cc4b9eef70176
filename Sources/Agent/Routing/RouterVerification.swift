import Southbound

/// Which routers a pass may skip reading. Reading a router's namespace costs netlink dumps, a
/// thread for its settings and nftables listings; with a hundred routers on an edge host that is
/// most of a pass. A router whose desired state is what it was at the end of the last pass, in
/// which none of the routing managers had anything to do for it, and whose namespace and legs'
/// host ends are still in place, is taken as realized; every `fullEvery`-th resync pass reads them all,
/// to repair drift inside the namespaces.
///
/// The ``RouterManager`` starts each pass; the ``EdgeManager`` and ``RouteManager`` after it skip
/// the same routers; each manager reports the routers it planned steps for.
public actor RouterVerification {
    /// What a router's realization depends on.
    struct Entry: Equatable, Sendable {
        var router: RouterState
        var edge: EdgeRouterState?
        /// What the edge balances, when this host carries the uplink.
        var externalServices: [String: ServiceState]
        /// VNI and MTU of each leg's segment.
        var segments: [String: [Int]]
        var underlay: String
    }

    private var verified: [String: Entry] = [:]
    private var candidates: [String: Entry] = [:]
    private var dirty: Set<String> = []
    private(set) var stable: Set<String> = []
    private var schedule: FullCheckSchedule

    public init(fullEvery: Int = 6) {
        schedule = FullCheckSchedule(every: fullEvery)
    }

    func resyncStarts() { schedule.resyncStarts() }

    static func entries(of desired: HostState) -> [String: Entry] {
        desired.routers.reduce(into: [:]) { entries, item in
            let segments = RouterManager.legs(of: item.value).reduce(into: [String: [Int]]()) { segments, leg in
                if let segment = desired.switches[leg.switch] { segments[leg.switch] = [segment.vni, segment.mtu] }
            }
            let edge = desired.edgeRouters[item.key]
            entries[item.key] = Entry(router: item.value, edge: edge,
                                      externalServices: edge == nil ? [:] : desired.externalServices(of: item.key), segments: segments,
                                      underlay: desired.host.underlay)
        }
    }

    /// Closes the last pass (routers nobody had steps for become verified) and opens one for
    /// `desired`: the routers that may be skipped, among those `present` (namespace and legs there).
    func beginPass(_ desired: HostState, present: Set<String>) -> Set<String> {
        verified = candidates.filter { !dirty.contains($0.key) }
        candidates = Self.entries(of: desired)
        dirty = []
        stable = schedule.startPass() ? [] : Set(candidates.filter { verified[$0.key] == $0.value && present.contains($0.key) }.keys)
        return stable
    }

    /// A manager could not read or plan, or did not look: nothing this pass saw counts as verified.
    func markAllDirty() {
        dirty.formUnion(candidates.keys)
    }

    /// Routers a manager planned steps for, or refused, in this pass.
    fileprivate func markDirty(_ plan: Plan) {
        dirty.formUnion(plan.steps.map(\.object))
        dirty.formUnion(plan.refusals.map(\.object))
    }
}

extension RouterVerification? {
    /// Runs a routing manager's planning and tells the verification what it found: the routers
    /// the plan has steps or refusals for, or, when planning throws, that nothing is verified.
    func tracking(_ planning: () async throws -> Plan) async throws -> Plan {
        do {
            let plan = try await planning()
            await self?.markDirty(plan)
            return plan
        } catch {
            await self?.markAllDirty()
            throw error
        }
    }
}
