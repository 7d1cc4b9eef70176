import Foundation
import X509

extension CertificateAuthority {
    /// File name of the CA certificate inside the CA directory.
    public static let certificateFileName = "ca.pem"
    /// File name of the CA private key inside the CA directory; written with mode 0600.
    public static let privateKeyFileName = "ca-key.pem"

    /// Loads the CA from `directory`, or creates one there when the directory holds neither file.
    /// - Throws: ``PKIError/incompleteAuthorityDirectory(_:)`` when only one of the two files exists,
    ///   so a lost key is never silently replaced by a new CA that no agent trusts.
    public static func loadOrCreate(directory: String) throws -> CertificateAuthority {
        let paths = Paths(directory: directory)
        let manager = FileManager.default
        switch (manager.fileExists(atPath: paths.certificate), manager.fileExists(atPath: paths.privateKey)) {
        case (true, true):
            return try load(directory: directory)
        case (false, false):
            let authority = try create()
            try authority.persist(directory: directory)
            return authority
        default:
            throw PKIError.incompleteAuthorityDirectory(directory)
        }
    }

    /// Loads `ca.pem` and `ca-key.pem` from `directory`.
    public static func load(directory: String) throws -> CertificateAuthority {
        let paths = Paths(directory: directory)
        let certificate = try Certificate.fromPEM(try readText(paths.certificate))
        let privateKey = try Certificate.PrivateKey.fromPEM(try readText(paths.privateKey))
        return try CertificateAuthority(certificate: certificate, privateKey: privateKey)
    }

    /// Writes `ca.pem` (mode 0644) and `ca-key.pem` (mode 0600) into `directory`, creating it
    /// with mode 0700 if needed. Each file is replaced atomically.
    public func persist(directory: String) throws {
        let paths = Paths(directory: directory)
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw PKIError.unwritableFile(path: directory, reason: error.localizedDescription)
        }
        try AtomicFile.replace(paths.privateKey, with: Array(try privateKey.pemEncoded().utf8), mode: 0o600)
        try AtomicFile.replace(paths.certificate, with: Array(try certificate.pemEncoded().utf8), mode: 0o644)
    }

    private static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw PKIError.unreadableFile(path: path) }
        return String(decoding: data, as: UTF8.self)
    }

    private struct Paths {
        let certificate: String
        let privateKey: String

        init(directory: String) {
            let base = URL(fileURLWithPath: directory, isDirectory: true)
            certificate = base.appendingPathComponent(CertificateAuthority.certificateFileName).path
            privateKey = base.appendingPathComponent(CertificateAuthority.privateKeyFileName).path
        }
    }
}
