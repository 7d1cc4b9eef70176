import Kernel
import Logging
import Metrics
import Southbound

/// Brings the kernel to a host's desired state: runs each manager in order (switch devices before
/// their FDB), applying its plan step by step before the next manager reads the kernel back. The
/// managers of one pass share their reads until something is written (``PassKernel``), and every
/// MTU is capped at what the underlay carries (``UnderlayLink``).
///
/// A failed step is reported against its object, whose remaining steps in the pass are skipped,
/// those of later managers included, except those that only close (``KernelOperation/onlyCloses``);
/// other objects carry on. Links created for that object in this
/// pass are deleted again (`ip link del`, under the name and in the namespace they were moved to),
/// so a failure never leaves a half-built switch or a bare uplink behind: the next pass starts it over.
public struct Reconciler: Sendable {
    /// Logs every kernel write as its `ip`/`bridge` equivalent; a pass that matches logs nothing.
    let logger: Logger?
    private let kernel: any Kernel
    private let managers: [any ReconcileManager]
    private let underlay = UnderlayLink()
    private let lastClean = LastCleanPass()

    /// A reconciler writing to `kernel` through `managers`, run in that order.
    public init(kernel: any Kernel, managers: [any ReconcileManager] = [SwitchManager(), FDBManager(), NeighbourManager()],
                logger: Logger? = nil) {
        self.kernel = kernel
        self.managers = managers
        self.logger = logger
    }

    /// Reconciles the kernel towards `desired`.
    ///
    /// A pass for a change (`changed`) whose state differs from that of the last clean pass for a
    /// change only in its policies runs just the managers that read policies: the others planned
    /// nothing then, and drift is the periodic resync's to repair, which always runs them all.
    /// - Returns: the objects that could not be realized, and why; empty when the kernel matches.
    ///   A manager that cannot read the kernel is reported against the host.
    public func reconcile(_ desired: HostState, changed: Bool = false) async -> [ObjectError] {
        let started = ContinuousClock.now
        if !changed {
            for manager in managers { await manager.resyncStarts() }
        }
        let knownMTU = changed ? await lastClean.underlayMTU(ifOnlyPoliciesChangedIn: desired) : nil
        let (errors, underlayMTU) = await pass(desired, onlyPoliciesUnder: knownMTU)
        // Any pass that leaves errors (a resync's too) makes the next pass for a change a full one.
        if !errors.isEmpty {
            await lastClean.record(nil)
        } else if changed {
            await lastClean.record((desired, underlayMTU))
        }
        ReconcilerMetrics.passDuration.record(duration: ContinuousClock.now - started)
        ReconcilerMetrics.objectsInError.record(Set(errors.map(\.object)).count)
        return errors
    }

    /// One pass; with `onlyPoliciesUnder` (the underlay MTU found last) only the managers that read
    /// policies, without reading the underlay again.
    private func pass(_ desired: HostState, onlyPoliciesUnder knownMTU: Int?) async -> (errors: [ObjectError], underlayMTU: Int) {
        let kernel = PassKernel(kernel)
        var errors: [ObjectError] = []
        var desired = desired
        // Without a link holding the VTEP address, the usual 1500-byte underlay is assumed.
        var underlayMTU = knownMTU ?? UnderlayLink.assumedMTU
        if knownMTU == nil {
            do {
                underlayMTU = try await underlay.link(holding: desired.host.underlay, in: kernel)?.mtu ?? underlayMTU
            } catch {
                errors.append(ObjectError(object: desired.host.id, message: "reading the underlay link: \(error)"))
            }
        }
        desired = desired.capping(mtu: underlayMTU - UnderlayLink.overhead)
        var failed: Set<String> = []
        var timings: [String] = []
        for manager in managers where knownMTU == nil || manager.readsPolicies {
            let started = ContinuousClock.now
            defer { timings.append("\(manager.concern)=\(String(format: "%.1f", (ContinuousClock.now - started) / .milliseconds(1)))") }
            do {
                let plan = try await manager.plan(toward: desired, in: kernel)
                let skipped = plan.steps.filter { failed.contains($0.object) && !$0.operation.onlyCloses }.count
                let found = await apply(plan, through: kernel, concern: manager.concern, failed: &failed)
                await manager.applied(failures: found.count + skipped)
                errors += found
            } catch {
                errors.append(ObjectError(object: desired.host.id, message: "reading \(manager.concern): \(error)"))
            }
        }
        logger?.debug("pass", metadata: ["msByConcern": "\(timings.joined(separator: " "))"])
        return (errors, underlayMTU)
    }

    /// Applies `plan` step by step, skipping the steps of objects that failed earlier in the pass.
    private func apply(_ plan: Plan, through kernel: any Kernel, concern: String, failed: inout Set<String>) async -> [ObjectError] {
        var errors = plan.refusals.map { ObjectError(object: $0.object, message: $0.reason) }
        failed.formUnion(plan.refusals.filter(\.skipsSteps).map(\.object))
        var created: [String: [CreatedLink]] = [:]
        for step in plan.steps where !failed.contains(step.object) || step.operation.onlyCloses {
            do {
                try await kernel.perform(step.operation)
                ReconcilerMetrics.kernelWrites(concern).increment()
                logger?.info("kernel write", metadata: ["object": "\(step.object)", "operation": "\(step.operation)"])
                CreatedLink.track(step.operation, in: &created[step.object, default: []])
            } catch {
                ReconcilerMetrics.kernelWriteFailures(concern).increment()
                failed.insert(step.object)
                let undone = await undo(created[step.object, default: []].reversed(), through: kernel)
                errors.append(ObjectError(object: step.object, message: "\(step.operation): \(error)\(undone)"))
            }
        }
        return errors
    }

    /// Deletes the links a failed object created in this pass; returns what could not be undone,
    /// as a suffix for the error message.
    private func undo(_ links: [CreatedLink], through kernel: any Kernel) async -> String {
        var leftovers = ""
        for link in links {
            let deletion = KernelOperation.deleteLink(name: link.name, namespace: link.namespace)
            do {
                try await kernel.perform(deletion)
            } catch {
                leftovers += "; undoing failed: \(deletion): \(error)"
            }
        }
        return leftovers
    }
}
