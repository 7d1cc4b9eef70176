import Foundation
import Northbound

/// What the API needs from the controller's southbound side: agent status, realization, enrollment
/// details and revocation. The API never sees the compiler; the controller implements this.
public protocol SouthboundControl: Sendable {
    func status(ofHost id: String) async -> HostStatus
    func realization(ofPort id: String, revision: Int64) async -> RealizationStatus
    func realization(ofRouter id: String, revision: Int64) async -> RealizationStatus
    /// The edge host running the router's uplink now, if any.
    func edgeHost(ofRouter id: String) async -> String?
    /// The last health verdict of each checked endpoint of a service, by port id.
    func endpointHealth(ofService id: String) async -> [String: EndpointHealthView]
    /// The services with checked endpoints now, and then each set of services whose unhealthy
    /// endpoints changed, until the stream is dropped.
    func followHealth() async -> (checked: Set<String>, transitions: AsyncStream<Set<String>>)
    /// A fresh one-time enrollment token for the host: its secret, the hash to store, its expiry,
    /// and the join string that carries it to the agent.
    func makeEnrollmentToken(hostName: String, ttlSeconds: Int) throws -> EnrollmentGrant
    /// A number that grows whenever the controller applies a revision or an agent acks one.
    func progressMark() async -> Int
    /// Returns once the progress mark has passed `mark`, or after `timeout`.
    func waitForProgress(beyond mark: Int, timeout: Duration) async
    /// The most entries one host's state may hold, when a host that would hold more state for a new
    /// port of `switches`, an interface or route of `routers`, or a port bound to one of `hosts`
    /// already holds that many; nil when they all have room.
    func hostStateLimitReached(switches: [String], routers: [String], hosts: [String]) async -> Int?
    /// The path a packet takes through the compiled state the hosts were given.
    func trace(_ query: TraceQuery) async -> Trace
    /// Whether policies allow the connection, and what decided, by the compiler's own evaluator;
    /// nil while the compiler has not seen the source port.
    func reachability(_ query: TraceQuery) async -> Reachability?
    /// Cuts a host's sessions off and refuses its certificates from now on; `revision` is the one
    /// at which the revocation (or the host's deletion) committed.
    func revoke(hostName: String, revision: Int64) async
}

/// A new enrollment token, before it is stored.
public struct EnrollmentGrant: Sendable {
    public var secret: String
    public var secretHash: String
    public var expiresAt: Date
    public var joinString: String

    public init(secret: String, secretHash: String, expiresAt: Date, joinString: String) {
        self.secret = secret
        self.secretHash = secretHash
        self.expiresAt = expiresAt
        self.joinString = joinString
    }
}
