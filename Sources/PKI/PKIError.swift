/// Failures of the certificate authority, host identities and enrollment tokens.
/// Each message names the offending input so an operator can fix it.
public enum PKIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A host name that is not 1 to 63 characters of `[a-z0-9-]`.
    case invalidHostName(String)
    /// A server name that is neither a DNS name nor an IP address.
    case invalidServerName(String)
    /// A server certificate was requested without any name.
    case noServerNames
    /// A validity period that ends before it starts.
    case invalidValidity(seconds: Double)
    /// A CA directory holds one of `ca.pem` and `ca-key.pem` but not the other.
    case incompleteAuthorityDirectory(String)
    /// A file could not be read.
    case unreadableFile(path: String)
    /// A file or directory could not be written.
    case unwritableFile(path: String, reason: String)
    /// A PEM document that could not be parsed as the expected kind of object.
    case invalidPEM(what: String, reason: String)
    /// A loaded CA certificate that is unusable as a CA.
    case invalidAuthority(reason: String)
    /// A certificate that names no valid host in its subject common name.
    case certificateNamesNoHost
    /// A join string that does not follow `<host:port>/<secret>/sha256:<hex>`.
    case malformedJoinString(reason: String)
    /// A fingerprint that is not `sha256:` followed by 64 hex digits.
    case malformedFingerprint(String)

    public var description: String {
        switch self {
        case .invalidHostName(let name):
            "host name '\(name)' must be 1 to 63 characters of a-z, 0-9 and '-', not starting or ending with '-'"
        case .invalidServerName(let name):
            "server name '\(name)' is neither a DNS name nor an IP address"
        case .noServerNames:
            "a server certificate needs at least one DNS name or IP address"
        case .invalidValidity(let seconds):
            "validity must be positive, got \(seconds) seconds"
        case .incompleteAuthorityDirectory(let directory):
            "CA directory '\(directory)' must hold both ca.pem and ca-key.pem, or neither"
        case .unreadableFile(let path):
            "cannot read '\(path)'"
        case .unwritableFile(let path, let reason):
            "cannot write '\(path)': \(reason)"
        case .invalidPEM(let what, let reason):
            "invalid PEM for \(what): \(reason)"
        case .invalidAuthority(let reason):
            "unusable CA: \(reason)"
        case .certificateNamesNoHost:
            "the certificate's subject common name is not a valid host name"
        case .malformedJoinString(let reason):
            "malformed join string (expected <host:port>/<token secret>/sha256:<hex>): \(reason)"
        case .malformedFingerprint(let text):
            "fingerprint '\(text)' must be 'sha256:' followed by 64 hex digits"
        }
    }
}
