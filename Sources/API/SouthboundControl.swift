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
    /// A fresh one-time enrollment token for the host: its secret, the hash to store, its expiry,
    /// and the join string that carries it to the agent.
    func makeEnrollmentToken(hostName: String, ttlSeconds: Int) throws -> EnrollmentGrant
    /// Cuts a host's sessions off and refuses its certificate from now on.
    func revoke(hostName: String) async
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
