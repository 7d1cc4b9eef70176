#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where the agent writes files through system calls.
///
/// A file is written to a temporary name created with its final mode, synced, and renamed over
/// the old one: a reader sees the old content or the new, never half of it, and a private key
/// never exists, even briefly, with a wider mode than 0600.
enum AtomicFile {
    /// Replaces the file at `path` with `bytes`, created with `mode`.
    /// - Throws: ``AgentError/unwritableFile(path:reason:)``.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(temporary) }
        let written = writeAll(bytes, to: descriptor) && fsync(descriptor) == 0
        let error = written ? nil : failure(temporary)
        close(descriptor)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    private static func failure(_ path: String) -> AgentError {
        .unwritableFile(path: path, reason: String(cString: strerror(errno)))
    }
}
