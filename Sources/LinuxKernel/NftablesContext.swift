import Kernel
internal import CNetlink
internal import CNftables
import Synchronization

/// A libnftables context: its netlink socket, and what it fetched of the ruleset (fetched again
/// when the kernel's ruleset generation moved).
///
/// ``LinuxKernel`` keeps one for its default namespace: closing a context's socket after a
/// transaction that deleted set elements waits for the kernel (8–15 ms here, measured with
/// libnftables itself), which every policy change paid (each moves the generation element), while
/// a kept context runs the same transaction in well under a millisecond. Other namespaces get a
/// context per run. The library keeps process-wide state (its interface cache, released when a
/// context is freed), so runs and frees are serialized across every context in the process.
final class NftablesContext {
    private static let lock = Mutex(())
    private let pointer: OpaquePointer

    /// A context talking to the calling thread's network namespace.
    init(operation: String) throws {
        guard let context = Self.lock.withLock({ _ in nft_ctx_new(cnft_ctx_default) }) else {
            throw Self.outOfMemory(operation)
        }
        guard nft_ctx_buffer_output(context) == 0, nft_ctx_buffer_error(context) == 0 else {
            Self.lock.withLock { _ in nft_ctx_free(context) }
            throw Self.outOfMemory(operation)
        }
        pointer = context
    }

    deinit {
        Self.lock.withLock { _ in nft_ctx_free(pointer) }
    }

    /// Runs nft commands and returns their output.
    func run(_ commands: String, operation: String) throws -> String {
        try Self.lock.withLock { _ in
            let status = nft_run_cmd_from_buffer(pointer, commands)
            // Both buffers are read after every run: reading one empties it for the next run.
            let output = nft_ctx_get_output_buffer(pointer).map { String(cString: $0) } ?? ""
            let errors = nft_ctx_get_error_buffer(pointer).map { String(cString: $0) } ?? ""
            guard status == 0 else {
                throw KernelError(operation: operation, code: NLE_FAILURE, message: errors.split(separator: "\n").joined(separator: "\n"))
            }
            return output
        }
    }

    private static func outOfMemory(_ operation: String) -> KernelError {
        KernelError(operation: operation, code: NLE_NOMEM, message: String(cString: nl_geterror(-NLE_NOMEM)))
    }
}
