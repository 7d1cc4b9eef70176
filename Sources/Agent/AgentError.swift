import PKI

/// Failures of the agent: its state directory, enrollment, and sessions with the controller.
/// Each message says what went wrong and, where the operator can act, what to do.
public enum AgentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state directory holds no certificate and no join string was given.
    case notEnrolled(stateDirectory: String)
    /// Enrolled, but no controller address is known: neither given nor stored.
    case noControllerAddress(stateDirectory: String)
    /// A controller address that is not `host:port` or `[IPv6]:port`.
    case malformedControllerAddress(String, reason: String)
    /// The state directory holds some of its credential files but not the others.
    case incompleteStateDirectory(path: String, missing: String)
    /// A file of the state directory could not be read or parsed.
    case unreadableFile(path: String, reason: String)
    /// A file or directory could not be written.
    case unwritableFile(path: String, reason: String)
    /// The controller did not present a certificate chain vouched for by the pinned CA fingerprint;
    /// the token was not sent.
    case untrustedController(host: String, port: Int, fingerprint: CertificateFingerprint, reason: String)
    /// The controller could not be reached.
    case connectionFailed(host: String, port: Int, reason: String)
    /// The controller refused the enrollment token.
    case enrollmentRefused(code: String, message: String)
    /// The CA certificate returned at enrollment is not the one the join string pins.
    case authorityMismatch(expected: CertificateFingerprint, received: String)
    /// A host certificate that does not certify the agent's own key.
    case certificateKeyMismatch
    /// A host certificate that the CA did not sign.
    case certificateNotIssuedByAuthority
    /// The controller sent a message that makes no sense at this point of the exchange.
    case unexpectedMessage(expected: String, received: String)
    /// A frame that is not a valid message.
    case malformedMessage(reason: String)
    /// The controller closed the connection before answering.
    case closedWithoutAnswer
    /// The controller said nothing, not even a heartbeat, for this long.
    case controllerSilent(seconds: Double)
    /// The controller revoked this host's certificate; the agent stops retrying.
    case revoked(message: String)

    public var description: String {
        switch self {
        case .notEnrolled(let directory):
            "no host certificate in '\(directory)': pass --join <controller:port/secret/sha256:fingerprint> to enroll"
        case .noControllerAddress(let directory):
            "no controller address stored in '\(directory)': pass --controller HOST:PORT"
        case .malformedControllerAddress(let text, let reason):
            "controller address '\(text)' must be HOST:PORT or [IPv6]:PORT: \(reason)"
        case .incompleteStateDirectory(let path, let missing):
            "state directory '\(path)' lacks \(missing); restore it or empty the directory and enroll again"
        case .unreadableFile(let path, let reason):
            "cannot read '\(path)': \(reason)"
        case .unwritableFile(let path, let reason):
            "cannot write '\(path)': \(reason)"
        case .untrustedController(let host, let port, let fingerprint, let reason):
            "controller \(host):\(port) is not vouched for by the CA \(fingerprint) of the join string (\(reason)); the token was not sent"
        case .connectionFailed(let host, let port, let reason):
            "cannot reach the controller at \(host):\(port): \(reason)"
        case .enrollmentRefused(let code, let message):
            "the controller refused the enrollment (\(code)): \(message); ask the operator for a new join string"
        case .authorityMismatch(let expected, let received):
            "the controller returned CA \(received) at enrollment, but the join string pins \(expected)"
        case .certificateKeyMismatch:
            "the host certificate does not certify this agent's private key"
        case .certificateNotIssuedByAuthority:
            "the host certificate is not signed by the stored CA"
        case .unexpectedMessage(let expected, let received):
            "expected \(expected) from the controller, received \(received)"
        case .malformedMessage(let reason):
            "malformed message from the controller: \(reason)"
        case .closedWithoutAnswer:
            "the controller closed the connection without answering"
        case .controllerSilent(let seconds):
            "the controller sent nothing for \(seconds) seconds"
        case .revoked(let message):
            "the controller revoked this host: \(message); enroll again with a new join string"
        }
    }
}
