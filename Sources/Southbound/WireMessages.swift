/// The messages of the controller ⇄ agent session, one JSON object per frame.
/// `schemas/wire.md` describes them; bump `WireVersion.current` on any incompatible change.
public enum WireVersion {
    public static let current = 2
}

/// What an agent sends.
public enum AgentMessage: Codable, Equatable, Sendable {
    /// First message of a session: the revision whose state the agent holds (0 when none).
    case hello(Hello)
    /// The agent realized `revision`; `errors` lists objects it could not realize.
    case ack(Ack)
    case heartbeat
    /// First message on a connection without a client certificate: a one-time token and the
    /// public key (PEM) to certify.
    case enroll(Enroll)
    /// In a session: a new certificate for the key of the one the session was opened with
    /// (sent at two thirds of its lifetime).
    case renew
    /// In a session: a container runtime on the host asks for a port, releases its ports, collects
    /// leaked ones, or labels its ports; each is answered by ``ControllerMessage/portAnswer(_:)``.
    case requestPort(PortRequest)
    case releasePorts(PortRelease)
    case collectPorts(PortCollection)
    case labelPorts(PortLabels)
    /// What the host's health checks found (``EndpointHealthReport``).
    case endpointHealth(EndpointHealthReport)

    public struct Hello: Codable, Equatable, Sendable {
        public var version: Int
        public var appliedRevision: Int64
        /// How the agent separates routers: `vrf` or `namespace` (absent for a simulated agent).
        public var routingDomain: String?
        public init(version: Int = WireVersion.current, appliedRevision: Int64, routingDomain: String? = nil) {
            self.version = version
            self.appliedRevision = appliedRevision
            self.routingDomain = routingDomain
        }
    }

    public struct Ack: Codable, Equatable, Sendable {
        public var revision: Int64
        public var errors: [ObjectError]
        public init(revision: Int64, errors: [ObjectError] = []) {
            self.revision = revision
            self.errors = errors
        }

        /// The most errors an ack lists: a host failing on everything still sends a small frame.
        public static let maximumErrors = 1_000

        /// An ack of `revision` listing the first of `errors`, and how many more there were.
        public static func bounded(revision: Int64, errors: [ObjectError]) -> Ack {
            guard errors.count > maximumErrors else { return Ack(revision: revision, errors: errors) }
            let more = ObjectError(object: "*", message: "\(errors.count - maximumErrors + 1) more objects could not be realized")
            return Ack(revision: revision, errors: Array(errors.prefix(maximumErrors - 1)) + [more])
        }
    }

    public struct Enroll: Codable, Equatable, Sendable {
        public var token: String
        public var publicKeyPEM: String
        public init(token: String, publicKeyPEM: String) {
            self.token = token
            self.publicKeyPEM = publicKeyPEM
        }
    }
}

/// One object an agent failed to realize, and why.
public struct ObjectError: Codable, Equatable, Hashable, Sendable {
    public var object: String
    public var message: String
    public init(object: String, message: String) {
        self.object = object
        self.message = message
    }
}

/// What the controller sends.
public enum ControllerMessage: Codable, Equatable, Sendable {
    /// The host's complete state at `revision`: after hello when no delta can be computed, and
    /// whenever the agent lags too far behind.
    case snapshot(revision: Int64, state: HostState)
    /// The change from `fromRevision` (the state the agent holds) to `revision`.
    case delta(fromRevision: Int64, revision: Int64, delta: HostStateDelta)
    case heartbeat
    /// The answer to an enrollment: the host's certificate and the CA's, PEM.
    case enrolled(certificatePEM: String, caPEM: String)
    /// The answer to `renew`: the host's new certificate, PEM. Its serial is accepted from now on;
    /// the certificate it replaces stays accepted until it expires.
    case renewed(certificatePEM: String)
    /// A refusal; the controller closes the session after sending it.
    case refused(code: String, message: String)
    /// The answer to a port request, release or collection.
    case portAnswer(PortAnswer)
    /// The endpoints of the host's services that are out (``ServiceHealth``); sent when it changes.
    case serviceHealth(ServiceHealth)
    /// The southbound addresses (`host:port`) of the controllers serving the store, the sender's
    /// first: at the start of a session and when the list changes. The agent keeps them and moves
    /// to the next when its controller goes away.
    case controllers([String])
}
