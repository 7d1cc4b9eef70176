import Southbound

/// Makes a host's desired state real, for instance in the kernel; the agent calls it after every
/// snapshot or delta it applies, then acks the revision with the errors it returns.
///
/// Calls come one at a time, in revision order, each with the host's complete state: an
/// implementation reconciles towards `state` and need not know what the previous call asked.
/// States that arrive while a call is running are coalesced into the newest. A call is cancelled
/// when its session ends; the next session delivers the state again.
public protocol StateRealizer: Sendable {
    /// Realizes `state`, the host's complete desired state at `revision`.
    /// - Returns: the objects that could not be realized, and why; empty when all went well.
    func realize(_ state: HostState, revision: Int64) async -> [ObjectError]

    /// Takes the endpoints the controller says are out (``ServiceHealth``) out of the load
    /// balancing, and puts back the others, without a new revision.
    func applyHealth(_ health: ServiceHealth) async
}

extension StateRealizer {
    public func applyHealth(_ health: ServiceHealth) async {}
}
