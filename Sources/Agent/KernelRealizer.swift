import Kernel
import Southbound

/// Realizes host states in the kernel through a ``Reconciler``, and keeps the last one so that a
/// periodic ``resync()`` can repair drift (a device deleted by hand, an entry flushed).
///
/// Passes never overlap: a resync that comes while a realization runs waits for it, and the other
/// way round. A pass runs to its end even when its caller is cancelled, so that it leaves no
/// half-built device.
public actor KernelRealizer: StateRealizer {
    private let reconciler: Reconciler
    private let placement: EdgePlacement
    private var lastDesired: HostState?
    /// The revision of the last state from the controller.
    private var lastRevision: Int64 = 0
    private var lastPass: Task<[ObjectError], Never>?
    private var queued = 0
    private var lastCompleted: (number: Int, revision: Int64, state: HostState, errors: [ObjectError])?
    private let health: HealthChecker?
    private let dns: DNSServers?
    /// Service id → the endpoints (port ids) the controller says are out.
    private var unhealthy: [String: Set<String>] = [:]

    /// A realizer writing to `kernel` through `reconciler`'s managers; `placement` (the one its
    /// ``EdgeManager`` reads) is confirmed by the pass of the first state from the controller.
    /// `health` runs the checks of the states it realizes; `dns` serves their routers' zones once
    /// a pass has built the routers' namespaces.
    public init(reconciler: Reconciler, placement: EdgePlacement, health: HealthChecker? = nil, dns: DNSServers? = nil) {
        self.reconciler = reconciler
        self.placement = placement
        self.health = health
        self.dns = dns
    }

    /// Takes out the endpoints `health` names and realizes the last state again; a pass of its own,
    /// not waited for (the session goes on reading meanwhile).
    public func applyHealth(_ health: ServiceHealth) {
        let out = health.unhealthy.mapValues(Set.init).filter { !$0.value.isEmpty }
        guard out != unhealthy else { return }
        unhealthy = out
        guard let lastDesired else { return }
        Task { _ = await enqueue(lastDesired) }
    }

    /// `state` without the endpoints that are out.
    private func balanced(_ state: HostState) -> HostState {
        guard !unhealthy.isEmpty, var services = state.services else { return state }
        for (id, out) in unhealthy where services[id] != nil {
            services[id]?.endpoints.removeAll { out.contains($0.port) }
        }
        var result = state
        result.services = services
        return result
    }

    /// The state passes reconcile towards; nil before the first.
    public var desired: HostState? { lastDesired }

    /// Realizes a state the controller sent.
    public func realize(_ state: HostState, revision: Int64) async -> [ObjectError] {
        lastDesired = state
        lastRevision = revision
        await health?.follow(state)
        return await enqueue(state, changed: true)
    }

    /// Realizes the state saved before a restart, holding edge uplinks as they are until the
    /// controller confirms their placement.
    public func adopt(_ state: HostState) async -> [ObjectError] {
        lastDesired = state
        return await enqueue(state)
    }

    /// Reconciles the kernel again towards the last state realized; nothing before the first.
    /// - Returns: the objects that could not be realized, and why.
    public func resync() async -> [ObjectError] {
        guard let lastDesired else { return [] }
        return await enqueue(lastDesired)
    }

    /// How many passes have been queued so far: a pass queued after this count reads the
    /// attachments and state of the moment it starts, later than the caller's change.
    public var queuedPasses: Int { queued }

    /// Waits for a pass queued after `stamp` (``queuedPasses`` read after the caller attached a
    /// port) that realized the controller's state at `revision` or later, queueing one when none
    /// is coming: usually the pass of the delta holding the port does it, so a runtime's port
    /// costs one pass, not two.
    /// - Returns: that pass's state and the objects it could not realize; nil when no state at
    ///   `revision` came within `timeout`.
    public func pass(queuedAfter stamp: Int, atLeast revision: Int64, timeout: Duration) async -> (state: HostState, errors: [ObjectError])? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let completed = lastCompleted, completed.number > stamp, completed.revision >= revision {
                return (completed.state, completed.errors)
            }
            if queued == stamp, lastRevision >= revision, let lastDesired {
                _ = await enqueue(lastDesired)
                continue
            }
            guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(2))) != nil else { return nil }
        }
    }

    /// Runs a pass after the ones queued before it; a state from the controller (`changed`)
    /// confirms the placement when its pass starts, not when it is queued: an earlier pass of a
    /// saved state must still find it unconfirmed.
    private func enqueue(_ state: HostState, changed: Bool = false) async -> [ObjectError] {
        let previous = lastPass
        queued += 1
        let number = queued
        let revision = lastRevision
        let balanced = balanced(state)
        let pass = Task { [reconciler, placement, dns] in
            _ = await previous?.value
            if changed { placement.confirm() }
            let errors = await reconciler.reconcile(balanced, changed: changed)
            await dns?.serve(balanced)
            return errors
        }
        lastPass = pass
        let errors = await pass.value
        if number > lastCompleted?.number ?? 0 { lastCompleted = (number, revision, state, errors) }
        return errors
    }
}
