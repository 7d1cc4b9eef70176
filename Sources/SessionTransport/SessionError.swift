/// Failures of the framed TLS session transport.
public enum SessionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame longer than the configured maximum, received or about to be sent.
    case frameTooLarge(size: Int, maximum: Int)
    /// The TLS handshake did not finish within the allowed time.
    case handshakeTimedOut
    /// The connection closed before the TLS handshake finished.
    case closedDuringHandshake

    public var description: String {
        switch self {
        case .frameTooLarge(let size, let maximum):
            "frame of \(size) bytes exceeds the maximum of \(maximum) bytes"
        case .handshakeTimedOut:
            "the TLS handshake did not finish in time"
        case .closedDuringHandshake:
            "the connection closed during the TLS handshake"
        }
    }
}
