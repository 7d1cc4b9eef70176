import Kernel
import Southbound

/// One concern of the dataplane (switch devices, FDB, and later ports, routes, filtering): reads
/// back what the kernel holds of it and plans the minimal change towards the desired state.
///
/// A manager only plans; the ``Reconciler`` applies. Each manager splits its work into an
/// observation (I/O) and a pure planning function, so that plans are tested without a kernel.
public protocol ReconcileManager: Sendable {
    /// A short name for error messages, e.g. `switches`.
    var concern: String { get }

    /// Reads the kernel and returns the operations that make it match `desired` for this concern.
    func plan(toward desired: HostState, in kernel: any Kernel) async throws -> Plan

    /// Told after the reconciler applied this manager's plan: how many of its steps failed, were
    /// refused or were skipped (their object failed earlier in the pass). A manager that remembers
    /// what it wrote forgets it then.
    func applied(failures: Int) async

    /// Told before a resync pass (one not for a change from the controller) plans: a manager that
    /// skips reading what it found in place reads it all again at some of these.
    func resyncStarts() async

    /// Whether the manager's plan depends on the host's policies; a pass for a state that differs
    /// from the last clean one only in its policies runs just these managers.
    var readsPolicies: Bool { get }
}

extension ReconcileManager {
    public func applied(failures: Int) async {}

    public func resyncStarts() async {}

    public var readsPolicies: Bool { false }
}
