public import Kernel
internal import CNetlink

extension LinuxKernel {
    /// Our tables (names starting with `sy`) with their comments, as `nft list tables` names them
    /// and `nft list table F N` shows their comments, read without listing any rule or element
    /// (``NftablesTableDump``).
    public func nftablesTables(in namespace: String?) async throws -> [NftablesTable] {
        try inNamespace(namespace) {
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
        try nftables(in: namespace, operation: operation) { _ = try $0.run(commands, operation: operation) }
        // The context's cache now holds every element of the table, and it refetches them all when
        // it next needs the ruleset (21 ms of a member update after a 46,000-element table): the
        // next run starts from a new context, which fetches only what its commands need.
        if namespace == nil { defaultNftables = nil }
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
        try nftables(in: namespace, operation: operation) {
            _ = try $0.run((removals + additions).joined(separator: "\n"), operation: operation)
        }
    }

    /// Equivalent to `nft delete table F N`, made idempotent by creating the table first in the same
    /// transaction.
    public func deleteNftablesTable(_ table: NftablesTable, in namespace: String?) async throws {
        let operation = "nft delete table \(table.qualifiedName)"
        try Nftables.validate(table, operation: operation)
        let commands = "table \(table.qualifiedName)\ndelete table \(table.qualifiedName)"
        try nftables(in: namespace, operation: operation) { _ = try $0.run(commands, operation: operation) }
    }

    /// Runs `body` with a libnftables context in the namespace: the kept one for the default
    /// namespace (made again when that namespace was replaced, or after a failed run), a new one
    /// otherwise. A context talks to the namespace of the thread that creates it.
    private func nftables<T>(in namespace: String?, operation: String, _ body: (NftablesContext) throws -> T) throws -> T {
        if namespace != nil { return try inNamespace(namespace) { try body(NftablesContext(operation: operation)) } }
        let identity = defaultNamespaceIdentity
        let context: NftablesContext
        if let kept = defaultNftables, kept.identity == identity {
            context = kept.context
        } else {
            context = try inNamespace(nil) { try NftablesContext(operation: operation) }
            defaultNftables = (identity, context)
        }
        do {
            return try inNamespace(nil) { try body(context) }
        } catch {
            defaultNftables = nil
            throw error
        }
    }
}

/// Checks on what reaches nft text.
enum Nftables {
    /// Refuses a table name that is not `[a-z0-9-]{1,63}` before it reaches nft text.
    static func validate(_ table: NftablesTable, operation: String) throws {
        guard NftablesTable.isValidName(table.name) else {
            throw Netlink.invalid(operation, "not an nftables table name: \(table.name)")
        }
    }
}
