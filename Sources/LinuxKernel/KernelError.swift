internal import CNetlink

#if canImport(Glibc)
import Glibc
#endif

/// A kernel operation that failed: what was attempted and what netlink (or the system) answered.
public struct KernelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was attempted, with its `ip`/`bridge` equivalent, e.g. `ip link add br-1 type bridge`.
    public var operation: String
    /// The libnl error code (`NLE_*`, positive; `NLE_FAILURE` when libnftables failed), or the
    /// `errno` when `isSystemError` is set.
    public var code: Int32
    /// `nl_geterror` text (libnftables' error text for nft; `strerror` text for system calls).
    public var message: String
    /// True when `code` is an `errno` from a plain system call (`open`, `setns`, `pthread_create`).
    public var isSystemError: Bool

    public init(operation: String, code: Int32, message: String, isSystemError: Bool = false) {
        self.operation = operation
        self.code = code
        self.message = message
        self.isSystemError = isSystemError
    }

    /// The link, neighbour, address or route named in the operation does not exist.
    public var isNotFound: Bool {
        if isSystemError { return code == ENOENT }
        return code == NLE_OBJ_NOTFOUND || code == NLE_NODEV
    }

    /// The object to create exists already.
    public var isAlreadyExisting: Bool {
        !isSystemError && code == NLE_EXIST
    }

    public var description: String { "\(operation): \(message)" }
}

/// The one place where raw libnl and system calls happen: each wrapper runs the call and turns a
/// failure into a `KernelError` naming the operation.
enum Netlink {
    /// Runs a libnl call that returns a negative `NLE_*` code on failure.
    @discardableResult
    static func call(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws -> Int32 {
        let result = body()
        guard result >= 0 else {
            throw KernelError(operation: operation(), code: -result, message: String(cString: nl_geterror(result)))
        }
        return result
    }

    /// Runs a libnl allocator, which returns NULL only when out of memory.
    static func allocate(_ operation: @autoclosure () -> String, _ body: () -> OpaquePointer?) throws -> OpaquePointer {
        guard let pointer = body() else {
            throw KernelError(operation: operation(), code: NLE_NOMEM, message: String(cString: nl_geterror(-NLE_NOMEM)))
        }
        return pointer
    }

    /// Runs a system call that returns -1 and sets `errno` on failure.
    @discardableResult
    static func system(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws -> Int32 {
        let result = body()
        guard result != -1 else {
            let code = errno
            throw KernelError(operation: operation(), code: code, message: String(cString: strerror(code)), isSystemError: true)
        }
        return result
    }

    /// The failure `errno` names now, after a call that returned a null pointer or a short count.
    static func systemError(_ operation: String) -> KernelError {
        let code = errno
        return KernelError(operation: operation, code: code, message: String(cString: strerror(code)), isSystemError: true)
    }

    /// A lookup that found nothing, reported like libnl's own "object not found".
    static func notFound(_ operation: String) -> KernelError {
        KernelError(operation: operation, code: NLE_OBJ_NOTFOUND, message: String(cString: nl_geterror(-NLE_OBJ_NOTFOUND)))
    }

    /// Input that cannot be expressed to the kernel (an unparsable address, an unsupported kind).
    static func invalid(_ operation: String, _ reason: String) -> KernelError {
        KernelError(operation: operation, code: NLE_INVAL, message: reason)
    }
}
