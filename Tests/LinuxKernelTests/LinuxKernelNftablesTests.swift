import Kernel
@testable import LinuxKernel
import Testing

/// nftables through libnftables against the real kernel, each test in its own throwaway namespaces.
@Suite(.enabled(if: NamespaceFixture.isRoot, NamespaceFixture.skipReason))
struct LinuxKernelNftablesTests {
    let nat = """
        set peers { type ipv4_addr ; elements = { 10.0.0.1, 10.0.0.2 } ; }
        chain post { type nat hook postrouting priority srcnat ; policy accept ; ip saddr @peers masquerade ; }
        """
    let dnat = """
        chain pre {
            type nat hook prerouting priority dstnat ; policy accept ;
            tcp dport 8080 dnat ip to 10.0.0.9:80
        }
        """

    /// The table as `nft list table` prints it, read through libnftables.
    func listing(_ table: NftablesTable, in namespace: String) throws -> String {
        try NetworkNamespace.perform(in: namespace) {
            try NftablesContext(operation: "nft list table").run("list table \(table.qualifiedName)", operation: "nft list table \(table.qualifiedName)")
        }
    }

    @Test func aTableWithANATChainAndASetIsListedWithItsCommentAndReplacedWhole() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel()
            let first = NftablesTable(family: .inet, name: "sy-nat", comment: "h:1")
            try await kernel.replaceNftablesTable(first, ruleset: nat, in: names[0])
            #expect(try await kernel.nftablesTables(in: names[0]) == [first])
            let before = try listing(first, in: names[0])
            let fragments = ["comment \"h:1\"", "set peers", "10.0.0.2", "type nat hook postrouting", "ip saddr @peers masquerade"]
            for fragment in fragments {
                #expect(before.contains(fragment), "\(fragment) missing from: \(before)")
            }

            let second = NftablesTable(family: .inet, name: "sy-nat", comment: "h:2.b_c-d")
            try await kernel.replaceNftablesTable(second, ruleset: dnat, in: names[0])
            #expect(try await kernel.nftablesTables(in: names[0]) == [second])
            let after = try listing(second, in: names[0])
            #expect(after.contains("tcp dport 8080 dnat ip to 10.0.0.9:80"))
            #expect(!after.contains("peers") && !after.contains("masquerade") && !after.contains("h:1"))
        }
    }

    @Test func aRulesetThatFailsLeavesThePreviousTableIntact() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel()
            let table = NftablesTable(family: .inet, name: "sy-nat", comment: "h:1")
            try await kernel.replaceNftablesTable(table, ruleset: nat, in: names[0])
            let replacement = NftablesTable(family: .inet, name: "sy-nat", comment: "h:2")

            let syntax = try #require(await #expect(throws: KernelError.self) {
                try await kernel.replaceNftablesTable(replacement, ruleset: "chain broken { this is not nft ; }", in: names[0])
            })
            #expect(syntax.message.contains("syntax error"))
            #expect(syntax.operation.contains("table inet sy-nat"))
            // Parsed fine, refused by the kernel mid-transaction: dnat in a filter chain.
            let refused = try #require(await #expect(throws: KernelError.self) {
                try await kernel.replaceNftablesTable(
                    replacement, ruleset: "chain f { type filter hook forward priority 0 ; tcp dport 1 dnat ip to 10.0.0.1 ; }",
                    in: names[0])
            })
            #expect(refused.message.contains("Operation not supported"))

            #expect(try await kernel.nftablesTables(in: names[0]) == [table])
            #expect(try listing(table, in: names[0]).contains("ip saddr @peers masquerade"))
        }
    }

    @Test func deleteIsIdempotentAndOnlyValidOwnTablesAreHandled() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel()
            let table = NftablesTable(family: .ip, name: "sy-nat", comment: "h:1")
            try await kernel.replaceNftablesTable(table, ruleset: "", in: names[0])
            try await kernel.replaceNftablesTable(NftablesTable(family: .ip, name: "filter"), ruleset: "", in: names[0])
            #expect(try await kernel.nftablesTables(in: names[0]) == [table])

            try await kernel.deleteNftablesTable(table, in: names[0])
            #expect(try await kernel.nftablesTables(in: names[0]).isEmpty)
            try await kernel.deleteNftablesTable(table, in: names[0])

            let invalid = [NftablesTable(family: .ip, name: "Sy_Nat"), NftablesTable(family: .ip, name: "sy-nat", comment: "a\"b")]
            for invalid in invalid {
                let error = try #require(await #expect(throws: KernelError.self) {
                    try await kernel.replaceNftablesTable(invalid, ruleset: "", in: names[0])
                })
                #expect(error.message.hasPrefix("not an nftables"))
            }
            #expect(try await kernel.nftablesTables(in: names[0]).isEmpty)

            let missing = try #require(await #expect(throws: KernelError.self) {
                _ = try await kernel.nftablesTables(in: "sy-test-missing-namespace")
            })
            #expect(missing.isNotFound)
        }
    }

    @Test func aTableIsVisibleOnlyInItsOwnNamespace() async throws {
        try await NamespaceFixture.withNamespaces(2) { names in
            let kernel = LinuxKernel(defaultNamespace: names[0])
            let table = NftablesTable(family: .inet, name: "sy-nat", comment: "h:a")
            let bridge = NftablesTable(family: .bridge, name: "sy-br")
            try await kernel.replaceNftablesTable(table, ruleset: nat, in: nil)
            try await kernel.replaceNftablesTable(bridge, ruleset: "", in: nil)
            #expect(Set(try await kernel.nftablesTables(in: names[0])) == [table, bridge])
            #expect(try await kernel.nftablesTables(in: names[1]).isEmpty)

            let other = NftablesTable(family: .inet, name: "sy-nat", comment: "h:b")
            try await kernel.replaceNftablesTable(other, ruleset: dnat, in: names[1])
            try await kernel.deleteNftablesTable(bridge, in: names[1])
            #expect(Set(try await kernel.nftablesTables(in: nil)) == [table, bridge])
            #expect(try await kernel.nftablesTables(in: names[1]) == [other])
        }
    }

    /// Element updates go through the default namespace's kept libnftables context: each one shows
    /// at once, a failed one changes nothing and the next works, and a namespace replaced under
    /// the same name is written, not the old one.
    @Test func setUpdatesInTheDefaultNamespaceShowAtOnceAndSurviveAFailure() async throws {
        try await NamespaceFixture.withNamespaces(1) { names in
            let kernel = LinuxKernel(defaultNamespace: names[0])
            let table = NftablesTable(family: .inet, name: "sy-policy", comment: "s:1")
            try await kernel.replaceNftablesTable(table, ruleset: "set generation { type mark; elements = { 0x1 } }", in: nil)
            for step in 2...6 {
                let change = NftablesSetChange(set: "generation", removed: ["0x\(step - 1)"], added: ["0x\(step)"])
                try await kernel.updateNftablesSets(table, [change], in: nil)
                #expect(try listing(table, in: names[0]).contains("elements = { 0x0000000\(step) }"))
            }
            let missing = NftablesSetChange(set: "generation", removed: ["0x9"], added: ["0x7"])
            await #expect(throws: KernelError.self) { try await kernel.updateNftablesSets(table, [missing], in: nil) }
            #expect(try listing(table, in: names[0]).contains("elements = { 0x00000006 }"))
            try await kernel.updateNftablesSets(table, [NftablesSetChange(set: "generation", removed: ["0x6"], added: ["0x7"])], in: nil)
            #expect(try listing(table, in: names[0]).contains("elements = { 0x00000007 }"))

            try NamespaceFixture.ip(["netns", "del", names[0]])
            try NamespaceFixture.ip(["netns", "add", names[0]])
            #expect(try await kernel.nftablesTables(in: nil).isEmpty)
            try await kernel.replaceNftablesTable(table, ruleset: "set generation { type mark; elements = { 0x1 } }", in: nil)
            try await kernel.updateNftablesSets(table, [NftablesSetChange(set: "generation", removed: ["0x1"], added: ["0x2"])], in: nil)
            #expect(try listing(table, in: names[0]).contains("elements = { 0x00000002 }"))
        }
    }
}
