import Crypto
import PKI
import X509

extension AgentStateDirectory {
    /// The agent's private key from `key.pem`, or a new P-256 key written there with mode 0600.
    /// - Throws: ``AgentError/unreadableFile(path:reason:)`` when `key.pem` exists but is not a key.
    public func loadOrCreatePrivateKey() throws -> Certificate.PrivateKey {
        if let bytes = try read(.privateKey) {
            return try parse(.privateKey) { try Certificate.PrivateKey.fromPEM(String(decoding: bytes, as: UTF8.self)) }
        }
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        try write(.privateKey, Array(try key.pemEncoded().utf8))
        return key
    }

    /// The stored identity for `privateKey`: nil when the agent has not enrolled (neither
    /// `cert.pem` nor `ca.pem` exists).
    /// - Throws: ``AgentError/incompleteStateDirectory(path:missing:)`` when only one of them exists;
    ///   ``AgentError/certificateKeyMismatch`` or ``AgentError/certificateNotIssuedByAuthority`` when they
    ///   do not belong to the key; ``AgentError/unreadableFile(path:reason:)``.
    public func loadIdentity(privateKey: Certificate.PrivateKey) throws -> AgentIdentity? {
        switch (try read(.certificate), try read(.certificateAuthority)) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw AgentError.incompleteStateDirectory(path: path, missing: File.certificateAuthority.rawValue)
        case (nil, .some):
            throw AgentError.incompleteStateDirectory(path: path, missing: File.certificate.rawValue)
        case (.some(let certificate), .some(let authority)):
            return try AgentIdentity(
                privateKey: privateKey,
                certificate: try parse(.certificate) { try Certificate.fromPEM(String(decoding: certificate, as: UTF8.self)) },
                certificateAuthority: try parse(.certificateAuthority) { try Certificate.fromPEM(String(decoding: authority, as: UTF8.self)) }
            )
        }
    }

    /// Writes `cert.pem` and `ca.pem`; the key is already in `key.pem`.
    public func storeIdentity(_ identity: AgentIdentity) throws {
        try write(.certificateAuthority, Array(try identity.certificateAuthority.pemEncoded().utf8))
        try write(.certificate, Array(try identity.certificate.pemEncoded().utf8))
    }

    /// Runs `parse`, reporting its failure as an unreadable `file`.
    func parse<Value>(_ file: File, _ parse: () throws -> Value) throws -> Value {
        do {
            return try parse()
        } catch {
            throw AgentError.unreadableFile(path: path(of: file), reason: "\(error)")
        }
    }
}
