import SwiftASN1
import X509

extension Certificate {
    /// Parses one PEM `CERTIFICATE` block.
    /// - Throws: ``PKIError/invalidPEM(what:reason:)``.
    public static func fromPEM(_ pem: String) throws -> Certificate {
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw PKIError.invalidPEM(what: "certificate", reason: "\(error)")
        }
    }

    /// The certificate as a PEM `CERTIFICATE` block.
    public func pemEncoded() throws -> String {
        try serializeAsPEM().pemString
    }

    /// The certificate's DER encoding, the bytes that fingerprints and TLS libraries use.
    public func derEncoded() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}

extension Certificate.PrivateKey {
    /// Parses a PEM private key (PKCS#8 or SEC1).
    /// - Throws: ``PKIError/invalidPEM(what:reason:)``.
    public static func fromPEM(_ pem: String) throws -> Certificate.PrivateKey {
        do {
            return try Certificate.PrivateKey(pemEncoded: pem)
        } catch {
            throw PKIError.invalidPEM(what: "private key", reason: "\(error)")
        }
    }

    /// The key as a PEM `PRIVATE KEY` (PKCS#8) block.
    public func pemEncoded() throws -> String {
        try serializeAsPEM().pemString
    }
}

extension Certificate.PublicKey {
    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) block, the form an agent sends when it enrolls.
    /// - Throws: ``PKIError/invalidPEM(what:reason:)``.
    public static func fromPEM(_ pem: String) throws -> Certificate.PublicKey {
        do {
            return try Certificate.PublicKey(pemEncoded: pem)
        } catch {
            throw PKIError.invalidPEM(what: "public key", reason: "\(error)")
        }
    }

    /// The key as a PEM `PUBLIC KEY` block.
    public func pemEncoded() throws -> String {
        try serializeAsPEM().pemString
    }
}
