import Foundation
import X509

/// The agent's identity over time. Its certificate is renewed over the session when two thirds of
/// its lifetime have passed (`renew` → `renewed`, `schemas/wire.md`), written to the state
/// directory, and used from the next connection on; the session that renewed it goes on.
actor CertificateRenewer {
    /// The identity the next connection presents.
    private(set) var identity: AgentIdentity
    private let directory: AgentStateDirectory

    init(identity: AgentIdentity, directory: AgentStateDirectory) {
        self.identity = identity
        self.directory = directory
    }

    /// When the certificate should be renewed: two thirds into its lifetime.
    var renewalDate: Date { Self.renewalDate(of: identity.certificate) }

    static func renewalDate(of certificate: Certificate) -> Date {
        let start = certificate.notValidBefore
        return start.addingTimeInterval(certificate.notValidAfter.timeIntervalSince(start) * 2 / 3)
    }

    /// How long to wait before asking again when a renewal went unanswered: a tenth of the
    /// certificate's lifetime, at most a minute.
    var retryInterval: Duration {
        let lifetime = identity.certificate.notValidAfter.timeIntervalSince(identity.certificate.notValidBefore)
        return .seconds(min(60, max(1, lifetime / 10)))
    }

    /// Takes the renewed certificate: it must certify the agent's key and come from its CA.
    /// - Throws: ``AgentError/malformedMessage(reason:)`` when it is not PEM,
    ///   ``AgentError/certificateKeyMismatch``, ``AgentError/certificateNotIssuedByAuthority``,
    ///   ``AgentError/unwritableFile(path:reason:)``.
    func accept(certificatePEM: String) throws {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw AgentError.malformedMessage(reason: "the renewed certificate is not PEM: \(error)")
        }
        let renewed = try AgentIdentity(privateKey: identity.privateKey, certificate: certificate,
                                        certificateAuthority: identity.certificateAuthority)
        try directory.storeIdentity(renewed)
        identity = renewed
    }
}
