import Crypto
import X509

/// The SHA-256 of a certificate's DER encoding, written `sha256:<64 hex digits>`.
///
/// An agent pins the controller's CA by this value on first contact, before it holds the CA
/// certificate itself (the role of kubeadm's `discovery-token-ca-cert-hash`).
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let sha256: [UInt8]

    /// The fingerprint of `certificate`.
    public init(of certificate: Certificate) throws {
        self.sha256 = Array(SHA256.hash(data: try certificate.derEncoded()))
    }

    /// Parses `sha256:<64 lower-case hex digits>`.
    /// - Throws: ``PKIError/malformedFingerprint(_:)``.
    public init(parsing text: String) throws {
        let prefix = "sha256:"
        guard text.hasPrefix(prefix), let bytes = Hex.decode(String(text.dropFirst(prefix.count))), bytes.count == 32 else {
            throw PKIError.malformedFingerprint(text)
        }
        self.sha256 = bytes
    }

    /// Whether `certificate` has this fingerprint.
    public func matches(_ certificate: Certificate) -> Bool {
        (try? CertificateFingerprint(of: certificate)) == self
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + Hex.encode(sha256) }
}
