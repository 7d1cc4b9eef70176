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

    /// Another wire version wrote the state: its layout is not this version's.
    struct OtherWireVersion: Error {
        let version: Int
    }

    private enum CodingKeys: String, CodingKey { case revision, state, wireVersion }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Version 1 did not write its version.
        wireVersion = try container.decodeIfPresent(Int.self, forKey: .wireVersion) ?? 1
        guard wireVersion == WireVersion.current else { throw OtherWireVersion(version: wireVersion) }
        revision = try container.decode(Int64.self, forKey: .revision)
        state = try container.decode(HostState.self, forKey: .state)
    }
}
