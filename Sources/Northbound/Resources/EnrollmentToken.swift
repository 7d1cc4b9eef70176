/// A one-time bootstrap token for a host, as the API returns it: the secret appears only here.
public struct HostEnrollmentToken: Codable, Equatable, Sendable {
    public var host: String
    public var token: String
    /// What the operator hands to the agent: `controller:port/token/sha256:<CA fingerprint>`.
    public var joinString: String
    /// ISO 8601.
    public var expiresAt: String
    public var revision: Int64

    public init(host: String, token: String, joinString: String, expiresAt: String, revision: Int64) {
        self.host = host
        self.token = token
        self.joinString = joinString
        self.expiresAt = expiresAt
        self.revision = revision
    }
}

public struct HostEnrollmentTokenCreate: Codable, Sendable {
    /// How long the token stays valid; 24 hours when absent.
    public var ttlSeconds: Int?

    public init(ttlSeconds: Int? = nil) { self.ttlSeconds = ttlSeconds }
}
