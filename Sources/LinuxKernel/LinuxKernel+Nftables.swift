public import Kernel
internal import CNetlink
internal import CNftables
import Synchronization

extension LinuxKernel {
    /// Our tables (names starting with `sy`) with their comments, as `nft list tables` names them
    /// and `nft list table F N` shows their comments, read without listing any rule or element
    /// (``NftablesTableDump``).
    public func nftablesTables(in namespace: String?) async throws -> [NftablesTable] {
        try nftables(in: namespace) {
            try NftablesTableDump.tables(operation: "nft list tables").filter { $0.name.hasPrefix(NftablesTable.ownPrefix) }
        }
    }

    /// Creates or replaces a table in one transaction (`table` makes the `delete` safe when it is
    /// missing). `ruleset` is trusted text built from validated names. Equivalent to `nft -f -` with
    /// `table F N; delete table F N; table F N { comment "C"; RULESET }`.
    public func replaceNftablesTable(_ table: NftablesTable, ruleset: String, in namespace: String?) async throws {
        let operation = "nft -f - <<< 'table \(table.qualifiedName) {…}'"
        try Nftables.validate(table, operation: operation)
        guard NftablesTable.isValidComment(table.comment) else {
            throw Netlink.invalid(operation, "not an nftables comment: \(table.comment)")
        }
        let commands = """
            table \(table.qualifiedName)
            delete table \(table.qualifiedName)
            table \(table.qualifiedName) {
            comment "\(table.comment)"
            \(ruleset)
            }
            """
        try nftables(in: namespace) { _ = try Nftables.run(commands, operation: operation) }
    }

    /// One transaction of `delete element F N SET { … }` then `add element F N SET { … }` lines.
    /// The elements are trusted text built from validated values; the set names are checked.
    public func updateNftablesSets(_ table: NftablesTable, _ changes: [NftablesSetChange], in namespace: String?) async throws {
        let operation = "nft -f - <<< 'delete element/add element \(table.qualifiedName) …'"
        try Nftables.validate(table, operation: operation)
        guard changes.allSatisfy({ NftablesTable.isValidSetName($0.set) }) else {
            throw Netlink.invalid(operation, "not an nftables set name: \(changes.map(\.set))")
        }
        let removals = changes.filter { !$0.removed.isEmpty }
            .map { "delete element \(table.qualifiedName) \($0.set) { \($0.removed.joined(separator: ", ")) }" }
        let additions = changes.filter { !$0.added.isEmpty }
            .map { "add element \(table.qualifiedName) \($0.set) { \($0.added.joined(separator: ", ")) }" }
        guard !(removals + additions).isEmpty else { return }
        try nftables(in: namespace) { _ = try Nftables.run((removals + additions).joined(separator: "\n"), operation: operation) }
    }

    /// Equivalent to `nft delete table F N`, made idempotent by creating the table first in the same
    /// transaction.
    public func deleteNftablesTable(_ table: NftablesTable, in namespace: String?) async throws {
        let operation = "nft delete table \(table.qualifiedName)"
        try Nftables.validate(table, operation: operation)
        let commands = "table \(table.qualifiedName)\ndelete table \(table.qualifiedName)"
        try nftables(in: namespace) { _ = try Nftables.run(commands, operation: operation) }
    }

    /// Runs `body` here for the agent's own namespace, or on a thread inside the named one: a
    /// libnftables context talks to the namespace of the thread that creates it.
    private func nftables<T>(in namespace: String?, _ body: () throws -> T) throws -> T {
        guard let name = namespace ?? defaultNamespace else { return try body() }
        return try NetworkNamespace.perform(in: name, body)
    }
}

/// libnftables, one short-lived context per run. The library keeps process-wide state (its
/// interface cache), so runs are serialized across every `LinuxKernel` in the process.
enum Nftables {
    private static let lock = Mutex(())

    /// Runs nft commands in the calling thread's network namespace and returns their output.
    static func run(_ commands: String, operation: String) throws -> String {
        try lock.withLock { _ in
            guard let context = nft_ctx_new(cnft_ctx_default) else { throw outOfMemory(operation) }
            defer { nft_ctx_free(context) }
            guard nft_ctx_buffer_output(context) == 0, nft_ctx_buffer_error(context) == 0 else {
                throw outOfMemory(operation)
            }
            guard nft_run_cmd_from_buffer(context, commands) == 0 else {
                let text = nft_ctx_get_error_buffer(context).map { String(cString: $0) } ?? ""
                throw KernelError(operation: operation, code: NLE_FAILURE,
                                  message: text.split(separator: "\n").joined(separator: "\n"))
            }
            return nft_ctx_get_output_buffer(context).map { String(cString: $0) } ?? ""
        }
    }

    /// Refuses a table name that is not `[a-z0-9-]{1,63}` before it reaches nft text.
    static func validate(_ table: NftablesTable, operation: String) throws {
        guard NftablesTable.isValidName(table.name) else {
            throw Netlink.invalid(operation, "not an nftables table name: \(table.name)")
        }
    }

    private static func outOfMemory(_ operation: String) -> KernelError {
        KernelError(operation: operation, code: NLE_NOMEM, message: String(cString: nl_geterror(-NLE_NOMEM)))
    }
}
