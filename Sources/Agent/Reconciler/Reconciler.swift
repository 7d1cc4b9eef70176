import Kernel
import Logging
import Southbound

/// Brings the kernel to a host's desired state: runs each manager in order (switch devices before
/// their FDB), applying its plan step by step before the next manager reads the kernel back. The
/// managers of one pass share their reads until something is written (``PassKernel``), and every
/// MTU is capped at what the underlay carries (``UnderlayLink``).
///
/// A failed step is reported against its object, whose remaining steps are skipped; other objects
/// carry on. Links created for that object in this pass are deleted again (`ip link del`), so a
/// failure never leaves a half-built switch behind: the next pass starts it over.
public struct Reconciler: Sendable {
    /// Logs every kernel write as its `ip`/`bridge` equivalent; a pass that matches logs nothing.
    let logger: Logger?
    private let kernel: any Kernel
    private let managers: [any ReconcileManager]
    private let underlay = UnderlayLink()

    /// A reconciler writing to `kernel` through `managers`, run in that order.
    public init(kernel: any Kernel, managers: [any ReconcileManager] = [SwitchManager(), FDBManager(), NeighbourManager()],
                logger: Logger? = nil) {
        self.kernel = kernel
        self.managers = managers
        self.logger = logger
    }

    /// Reconciles the kernel towards `desired`.
    /// - Returns: the objects that could not be realized, and why; empty when the kernel matches.
    ///   A manager that cannot read the kernel is reported against the host.
    public func reconcile(_ desired: HostState) async -> [ObjectError] {
        let kernel = PassKernel(kernel)
        var errors: [ObjectError] = []
        var desired = desired
        // Without a link holding the VTEP address, the usual 1500-byte underlay is assumed.
        var underlayMTU = UnderlayLink.assumedMTU
        do {
            underlayMTU = try await underlay.link(holding: desired.host.underlay, in: kernel)?.mtu ?? underlayMTU
        } catch {
            errors.append(ObjectError(object: desired.host.id, message: "reading the underlay link: \(error)"))
        }
        desired = desired.capping(mtu: underlayMTU - UnderlayLink.overhead)
        for manager in managers {
            do {
                let plan = try await manager.plan(toward: desired, in: kernel)
                errors += await apply(plan, through: kernel)
            } catch {
                errors.append(ObjectError(object: desired.host.id, message: "reading \(manager.concern): \(error)"))
            }
        }
        return errors
    }

    /// Applies `plan` step by step, skipping the steps of objects that already failed.
    private func apply(_ plan: Plan, through kernel: any Kernel) async -> [ObjectError] {
        var errors = plan.refusals.map { ObjectError(object: $0.object, message: $0.reason) }
        var failed = Set(plan.refusals.filter(\.skipsSteps).map(\.object))
        var created: [String: [KernelOperation]] = [:]
        for step in plan.steps where !failed.contains(step.object) {
            do {
                try await kernel.perform(step.operation)
                logger?.info("kernel write", metadata: ["object": "\(step.object)", "operation": "\(step.operation)"])
                if case let .addLink(spec, namespace) = step.operation {
                    created[step.object, default: []].append(.deleteLink(name: spec.name, namespace: namespace))
                }
            } catch {
                failed.insert(step.object)
                let undone = await undo(created[step.object, default: []].reversed(), through: kernel)
                errors.append(ObjectError(object: step.object, message: "\(step.operation): \(error)\(undone)"))
            }
        }
        return errors
    }

    /// Deletes what a failed object created in this pass; returns what could not be undone, as a
    /// suffix for the error message.
    private func undo(_ deletions: [KernelOperation], through kernel: any Kernel) async -> String {
        var leftovers = ""
        for deletion in deletions {
            do {
                try await kernel.perform(deletion)
            } catch {
                leftovers += "; undoing failed: \(deletion): \(error)"
            }
        }
        return leftovers
    }
}
