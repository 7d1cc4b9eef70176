import NIOCore
import NIOSSL
import PKI
import X509

/// Verifies a server whose CA the agent knows only by fingerprint (from its join string).
///
/// The server sends its CA after its own certificate. The chain is accepted when one of its
/// certificates has the pinned fingerprint and the leaf is a currently valid serverAuth
/// certificate issued by that CA. NIOSSL still checks the server's name against the leaf.
struct PinnedAuthorityVerifier: Sendable {
    let fingerprint: CertificateFingerprint

    /// The `NIOSSLCustomVerificationCallback` body.
    func verify(_ presented: [NIOSSLCertificate], promise: EventLoopPromise<NIOSSLVerificationResult>) {
        guard let chain = try? presented.map({ try Certificate(derEncoded: try $0.toDERBytes()) }) else {
            promise.succeed(.failed)
            return
        }
        Task {
            promise.succeed(await accepts(chain) ? .certificateVerified : .failed)
        }
    }

    /// Whether `chain`, leaf first, is a server certificate vouched for by the pinned CA now.
    func accepts(_ chain: [Certificate]) async -> Bool {
        guard let leaf = chain.first, let authority = chain.first(where: fingerprint.matches) else { return false }
        guard (try? leaf.extensions.extendedKeyUsage)?.contains(.serverAuth) == true else { return false }
        var verifier = Verifier(rootCertificates: CertificateStore([authority])) { RFC5280Policy() }
        guard case .validCertificate = await verifier.validate(leaf: leaf, intermediates: CertificateStore()) else {
            return false
        }
        return true
    }
}
