import Southbound

/// What an agent holds: the last revision it applied and the host's state at that revision.
public struct AppliedState: Codable, Equatable, Sendable {
    /// The revision the agent acked last; it says hello with it after a reconnect.
    public var revision: Int64
    /// The host's complete desired state at ``revision``.
    public var state: HostState
    /// The wire version of ``state``'s layout: a state of another version is not read back.
    public var wireVersion: Int

    /// A revision and its state.
    public init(revision: Int64, state: HostState) {
        self.revision = revision
        self.state = state
        wireVersion = WireVersion.current
    }
}
