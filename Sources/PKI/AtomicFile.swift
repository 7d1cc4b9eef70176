#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place where PKI and the agent write files through system calls: whole files replaced
/// atomically, and records appended to a journal.
///
/// Foundation's atomic writes create the file with the umask's mode and change it afterwards;
/// a private key must never exist, even briefly, with a wider mode than 0600.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file created with `mode`, syncs it, and renames it over `path`.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t) throws {
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

    /// Appends `bytes` to `path` (created with `mode`) and syncs them before returning. A failed
    /// append truncates the file back, so a journal never holds half a record followed by the next.
    public static func append(_ path: String, with bytes: [UInt8], mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size >= 0 else { throw failure(path) }
        guard writeAll(bytes, to: descriptor), fdatasync(descriptor) == 0 else {
            let error = failure(path)
            _ = ftruncate(descriptor, size)
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

    private static func failure(_ path: String) -> PKIError {
        .unwritableFile(path: path, reason: String(cString: strerror(errno)))
    }
}
