import Kernel
import Testing

@Suite struct FakeKernelNftablesTests {
    let table = NftablesTable(family: .inet, name: "sy-nat", comment: "h:1")
    let newer = NftablesTable(family: .inet, name: "sy-nat", comment: "h:2")
    let ruleset = "chain post {\n  type nat hook postrouting priority srcnat ;\n  masquerade\n}"

    @Test func replacingRecordsTheWriteAndKeepsTablesPerNamespace() async throws {
        let kernel = FakeKernel()
        try await kernel.replaceNftablesTable(table, ruleset: ruleset, in: "pod1")
        try await kernel.perform(.replaceNftablesTable(newer, ruleset: "", namespace: "pod1"))
        #expect(try await kernel.nftablesTables(in: "pod1") == [newer])
        #expect(try await kernel.nftablesTables(in: nil).isEmpty)
        #expect(await kernel.operations == [
            .replaceNftablesTable(table, ruleset: ruleset, namespace: "pod1"),
            .replaceNftablesTable(newer, ruleset: "", namespace: "pod1"),
        ])
    }

    @Test func deletingAMissingTableIsNotAnErrorAndOnlyOurTablesAreListed() async throws {
        let kernel = FakeKernel()
        try await kernel.deleteNftablesTable(table, in: nil)
        try await kernel.replaceNftablesTable(NftablesTable(family: .ip, name: "filter"), ruleset: "", in: nil)
        let bridge = NftablesTable(family: .bridge, name: "sy-br")
        try await kernel.replaceNftablesTable(table, ruleset: ruleset, in: nil)
        try await kernel.replaceNftablesTable(bridge, ruleset: "", in: nil)
        #expect(try await kernel.nftablesTables(in: nil) == [bridge, table])
        try await kernel.deleteNftablesTable(table, in: nil)
        #expect(try await kernel.nftablesTables(in: nil) == [bridge])
        #expect(await kernel.failures.isEmpty)
    }

    @Test func refusesNamesAndCommentsThatLinuxKernelRefuses() async throws {
        let kernel = FakeKernel()
        let invalid = [
            NftablesTable(family: .inet, name: "Sy_Nat"), NftablesTable(family: .inet, name: ""),
            NftablesTable(family: .inet, name: String(repeating: "s", count: 64)),
            NftablesTable(family: .inet, name: "sy-nat", comment: "a b"),
            NftablesTable(family: .inet, name: "sy-nat", comment: String(repeating: "h", count: 129)),
        ]
        for table in invalid {
            await #expect(throws: FakeKernelError.invalidNftablesTable(table)) {
                try await kernel.replaceNftablesTable(table, ruleset: "", in: nil)
            }
        }
        let longest = NftablesTable(family: .inet, name: "sy" + String(repeating: "-", count: 61),
                                    comment: String(repeating: "h", count: 128))
        try await kernel.replaceNftablesTable(longest, ruleset: "", in: nil)
        #expect(try await kernel.nftablesTables(in: nil) == [longest])
        #expect(await kernel.failures.count == invalid.count)
    }

    @Test func anInjectedFailureLeavesTheTableAsItWas() async throws {
        let kernel = FakeKernel()
        try await kernel.replaceNftablesTable(table, ruleset: ruleset, in: nil)
        await kernel.failWrites { if case .replaceNftablesTable = $0 { true } else { false } }
        await #expect(throws: FakeKernelError.injected(.replaceNftablesTable(newer, ruleset: "", namespace: nil))) {
            try await kernel.replaceNftablesTable(newer, ruleset: "", in: nil)
        }
        await kernel.stopFailing()
        await kernel.failWrite(number: 1)
        await #expect(throws: FakeKernelError.injected(.deleteNftablesTable(table, namespace: nil))) {
            try await kernel.deleteNftablesTable(table, in: nil)
        }
        #expect(try await kernel.nftablesTables(in: nil) == [table])
        #expect(await kernel.failures.count == 2)
        #expect(await kernel.writeCount == 3)
    }

    @Test func operationsDescribeThemselvesAsNftCommands() {
        #expect(KernelOperation.replaceNftablesTable(table, ruleset: ruleset, namespace: "pod1").description
            == "ip netns exec pod1 nft -f - <<< 'table inet sy-nat {…}' (4 lines, comment \"h:1\")")
        #expect(KernelOperation.deleteNftablesTable(table, namespace: nil).description == "nft delete table inet sy-nat")
    }
}
