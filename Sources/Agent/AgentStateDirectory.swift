import Foundation
import PKI

/// The directory where an agent keeps what survives a restart.
///
/// | file                 | content                                              | mode |
/// |----------------------|------------------------------------------------------|------|
/// | `key.pem`            | the agent's P-256 private key (PKCS#8), made on first run | 0600 |
/// | `cert.pem`           | the host certificate, once enrolled                  | 0644 |
/// | `ca.pem`             | the controller's CA certificate, once enrolled       | 0644 |
/// | `controller`         | the controller address, `host:port`                  | 0644 |
/// | `applied-state.json` | the last applied revision and its HostState          | 0600 |
///
/// Every file is replaced atomically; the directory itself is created with mode 0700.
public struct AgentStateDirectory: Sendable {
    /// Where a host installation keeps its state.
    public static let defaultPath = "/var/lib/switchyard-agent"

    /// The directory.
    public let path: String

    /// The state directory at `path`; nothing is touched until a load or store.
    public init(path: String = defaultPath) {
        self.path = path
    }

    /// The files of the directory.
    enum File: String, CaseIterable {
        case privateKey = "key.pem"
        case certificate = "cert.pem"
        case certificateAuthority = "ca.pem"
        case controller = "controller"
        case appliedState = "applied-state.json"

        var mode: mode_t {
            switch self {
            case .privateKey, .appliedState: 0o600
            case .certificate, .certificateAuthority, .controller: 0o644
            }
        }
    }

    /// The full path of `file`.
    func path(of file: File) -> String {
        URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent(file.rawValue).path
    }

    /// The content of `file`, or nil when it does not exist.
    /// - Throws: ``AgentError/unreadableFile(path:reason:)`` when it exists but cannot be read.
    func read(_ file: File) throws -> [UInt8]? {
        let filePath = path(of: file)
        guard FileManager.default.fileExists(atPath: filePath) else { return nil }
        guard let data = FileManager.default.contents(atPath: filePath) else {
            throw AgentError.unreadableFile(path: filePath, reason: "permission denied or not a regular file")
        }
        return Array(data)
    }

    /// Replaces `file` atomically, creating the directory first when needed.
    /// - Throws: ``AgentError/unwritableFile(path:reason:)``.
    func write(_ file: File, _ bytes: [UInt8]) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw AgentError.unwritableFile(path: path, reason: error.localizedDescription)
        }
        do {
            try AtomicFile.replace(path(of: file), with: bytes, mode: file.mode)
        } catch PKIError.unwritableFile(let path, let reason) {
            throw AgentError.unwritableFile(path: path, reason: reason)
        }
    }
}
