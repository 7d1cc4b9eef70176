@testable import Agent
import Kernel
import Southbound
import Testing

/// The policy table a host's compiled policies become: verdict maps per port, shared sets, a
/// generation that changes with the rules, a conntrack zone per bridge, and nothing spliced in
/// from the wire that is not an address or an id.
@Suite struct PolicyRulesetTests {
    static let redis = "pt-00000000000000aa"
    static let group = "g00000000000000aa"

    static func state(sets: [String: AddressSet] = ["a0000000000000001": AddressSet(ipv4: ["10.0.0.11", "203.0.113.0/24"], ipv6: ["fd00::11"])],
                      admin: [CompiledRule] = [], tenant: [CompiledRule]? = [
                          CompiledRule(action: .allow, peers: "a0000000000000001", ports: [PortMatch(protocol: "tcp", from: 6379, to: 6379)],
                                       policy: "np-1"),
                      ]) -> HostState {
        HostState(host: HostInfo(id: "hv-1", name: "hv1", underlay: "198.18.0.1", role: "compute"),
                  switches: ["sw-a": SwitchState(vni: 100, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1"),
                             "sw-b": SwitchState(vni: 65_636, mtu: 1450, cidr: "10.0.0.0/24", gateway: "10.0.0.1")],
                  ports: [redis: PortState(switch: "sw-a", name: "redis", mac: "02:00:00:00:00:aa", ip: "10.0.0.10/24", ip6: "fd00::10/64",
                                           gateway: "10.0.0.1", mtu: 1450, policyGroup: group)],
                  policy: policy(sets: sets, admin: admin, tenant: tenant))
    }

    /// redis subject to one admin list (when there are admin rules) and one tenant list (when
    /// `tenant` is not nil), for ingress.
    static func policy(sets: [String: AddressSet], admin: [CompiledRule], tenant: [CompiledRule]?) -> PolicyState {
        let lists = (admin.isEmpty ? [] : [RuleList(policy: "np-admin", direction: .ingress, priority: 1, rules: admin)])
            + (tenant.map { [RuleList(policy: "np-tenant", direction: .ingress, priority: nil, rules: $0)] } ?? [])
        return PolicyState(sets: sets, ruleLists: Dictionary(uniqueKeysWithValues: lists.map { ($0.name, $0) }),
                           groups: lists.isEmpty ? [:] : [group: Set(lists.map(\.name))])
    }

    @Test func tenantRulesBecomeElementsOfAFewFlatSets() throws {
        let body = try #require(try PolicyRuleset.body(Self.state()))
        // Exact peers and a single port: the hash set; a prefix: the interval set; both families.
        #expect(body.contains(#"set ingress_exact4 { type ifname . ipv4_addr . ipv4_addr . inet_proto . inet_service; elements = { "sybr-100" . 10.0.0.10 . 10.0.0.11 . tcp . 6379 }; }"#))
        #expect(body.contains(#"set ingress_range4 { type ifname . ipv4_addr . ipv4_addr . inet_proto . inet_service; flags interval; elements = { "sybr-100" . 10.0.0.10 . 203.0.113.0/24 . tcp . 6379-6379 }; }"#))
        #expect(body.contains(#"set ingress_exact6 { type ifname . ipv6_addr . ipv6_addr . inet_proto . inet_service; elements = { "sybr-100" . fd00::10 . fd00::11 . tcp . 6379 }; }"#))
        #expect(body.contains(#"set ingress_selected4 { type ifname . ipv4_addr; elements = { "sybr-100" . 10.0.0.10 }; }"#))
        // The tenant chain: the port of a reply is its source port.
        #expect(body.contains("ct direction original iifname . ct reply ip saddr . ct original ip saddr . meta l4proto . th dport @ingress_exact4 return"))
        #expect(body.contains("ct direction reply iifname . ct reply ip saddr . ct original ip saddr . meta l4proto . th sport @ingress_exact4 return"))
        #expect(body.contains("iifname . ct reply ip saddr @ingress_selected4 drop\n  iifname . ct reply ip6 saddr @ingress_selected6 drop\n}"),
                "the drops come after every allow")
        #expect(!body.contains("@egress_selected4 drop"), "no egress drop for a port not selected for egress")
        #expect(!body.contains("set a0000000000000001_4"), "tenant rules need no named peer sets")
    }

    @Test func anyPeerAnyPortAndICMPLandInTheirSets() throws {
        let rules = [CompiledRule(action: .allow, peers: nil, ports: [PortMatch(protocol: "icmp")], policy: "np-1"),
                     CompiledRule(action: .allow, peers: "a0000000000000001", ports: [], policy: "np-1"),
                     CompiledRule(action: .allow, peers: "a0000000000000001", ports: [PortMatch(protocol: "udp", from: 50, to: 60)], policy: "np-1")]
        let body = try #require(try PolicyRuleset.body(Self.state(tenant: rules)))
        #expect(body.contains(#""sybr-100" . 10.0.0.10 . 0.0.0.0/0 . icmp . 0-65535"#))
        #expect(body.contains(#""sybr-100" . fd00::10 . ::/0 . ipv6-icmp . 0-65535"#))
        #expect(body.contains(#"set ingress_peer4 { type ifname . ipv4_addr . ipv4_addr; elements = { "sybr-100" . 10.0.0.10 . 10.0.0.11 }; }"#))
        #expect(body.contains(#""sybr-100" . 10.0.0.10 . 203.0.113.0/24 . 0-255 . 0-65535"#))
        #expect(body.contains(#""sybr-100" . 10.0.0.10 . 10.0.0.11 . udp . 50-60"#))
    }

    @Test func adminRulesComeFirstAndPassGoesToTheTenantTier() throws {
        let admin = [CompiledRule(action: .deny, peers: nil, ports: [PortMatch(protocol: "udp")], policy: "np-9"),
                     CompiledRule(action: .pass, peers: "a0000000000000001", ports: [], policy: "np-9"),
                     CompiledRule(action: .allow, peers: nil, ports: [PortMatch(protocol: "icmp")], policy: "np-9")]
        let body = try #require(try PolicyRuleset.body(Self.state(admin: admin)))
        #expect(body.contains(#"map ingress_admin4 { type ifname . ipv4_addr : verdict; elements = { "sybr-100" . 10.0.0.10 : goto i_00000000000000aa }; }"#))
        #expect(body.contains("chain i_00000000000000aa {\n  meta l4proto udp drop\n  ct original ip saddr @a0000000000000001_4 goto ingress_tenant"))
        #expect(body.contains("meta l4proto { icmp, ipv6-icmp } return\n  goto ingress_tenant\n}"))
        #expect(body.contains("set a0000000000000001_4 { type ipv4_addr; flags interval; auto-merge; elements = { 10.0.0.11, 203.0.113.0/24 }; }"))
        let onlyAdmin = try #require(try PolicyRuleset.body(Self.state(admin: admin, tenant: nil)))
        #expect(onlyAdmin.contains("a0000000000000001_6 return\n  meta l4proto { icmp, ipv6-icmp } return\n  return\n}"),
                "without a tenant tier, pass and no match allow")
    }

    @Test func theGenerationChangesWithWhatTheRulesAcceptSoOpenConnectionsAreJudgedAgain() throws {
        func generation(_ state: HostState) throws -> [String]? { try PolicyRuleset.ruleset(state)?.elements["generation"] }
        let first = try generation(Self.state())
        let again = try generation(Self.state())
        #expect(first?.count == 1 && first == again)
        let other = try generation(Self.state(sets: ["a0000000000000001": AddressSet(ipv4: ["10.0.0.12"])]))
        #expect(other?.count == 1 && other != first)
        let body = try #require(try PolicyRuleset.body(Self.state()))
        #expect(body.contains("set generation { type mark; elements = { \(first?.first ?? "") }; }"))
        #expect(body.contains("map stamp { type nf_proto : mark; elements = { ipv4 : \(first?.first ?? ""), ipv6 : \(first?.first ?? "") }; }"))
        #expect(body.contains("ct mark @generation accept") && body.contains("ct mark set meta nfproto map @stamp"))
    }

    /// A membership change keeps the skeleton: the manager changes elements only, with a new
    /// generation; a new rule shape replaces the table; a failed write makes the next pass replace it.
    @Test func membershipChangesUpdateElementsOnly() async throws {
        let kernel = FakeKernel()
        let manager = PolicyManager()
        let reconciler = Reconciler(kernel: kernel, managers: [manager])
        #expect(await reconciler.reconcile(Self.state()).isEmpty)
        let tables = try await kernel.nftablesTables(in: nil)
        #expect(tables.map(\.qualifiedName) == ["inet sy-policy"])

        // Set names follow their contents: more peers are a set of another name.
        let wider = Self.state(sets: ["a0000000000000002": AddressSet(ipv4: ["10.0.0.11", "10.0.0.13", "203.0.113.0/24"], ipv6: ["fd00::11"])],
                               tenant: [CompiledRule(action: .allow, peers: "a0000000000000002",
                                                     ports: [PortMatch(protocol: "tcp", from: 6379, to: 6379)], policy: "np-1")])
        let plan = try await manager.plan(toward: wider, in: kernel)
        guard case .updateNftablesSets(let table, let changes, nil) = plan.steps.first?.operation, plan.steps.count == 1 else {
            Issue.record("expected one element update, got \(plan)")
            return
        }
        #expect(table == tables.first)
        #expect(changes.first { $0.set == "ingress_exact4" } == NftablesSetChange(
            set: "ingress_exact4", added: [#""sybr-100" . 10.0.0.10 . 10.0.0.13 . tcp . 6379"#]))
        let stamp = try #require(changes.first { $0.set == "stamp" })
        #expect(stamp.removed == ["ipv4", "ipv6"] && stamp.added.count == 2)
        #expect(changes.contains { $0.set == "generation" && $0.removed.count == 1 && $0.added.count == 1 })
        await manager.applied(failures: 1)
        let afterFailure = try await manager.plan(toward: wider, in: kernel)
        #expect(afterFailure.steps.contains { if case .replaceNftablesTable = $0.operation { true } else { false } },
                "after a failed write the table is replaced whole")

        let icmp = [CompiledRule(action: .allow, peers: nil, ports: [PortMatch(protocol: "icmp")], policy: "np-1")]
        #expect(await reconciler.reconcile(Self.state(tenant: icmp)).isEmpty)
        let reshaped = try await kernel.nftablesTables(in: nil)
        #expect(reshaped.count == 1 && reshaped != tables, "a new rule shape is a new skeleton")
    }

    /// A port joining a selected label moves to the policy group of the ports it is now alike:
    /// its port state names the group, and the manager adds its elements, nothing else.
    @Test func aPortJoiningASelectedGroupAddsElementsOnly() async throws {
        let kernel = FakeKernel()
        let manager = PolicyManager()
        let reconciler = Reconciler(kernel: kernel, managers: [manager])
        var state = Self.state()
        state.ports["pt-00000000000000bb"] = PortState(switch: "sw-a", name: "web", mac: "02:00:00:00:00:bb", ip: "10.0.0.20/24",
                                                        gateway: "10.0.0.1", mtu: 1450, policyGroup: "g00000000000000bb")
        #expect(await reconciler.reconcile(state).isEmpty)
        let tables = try await kernel.nftablesTables(in: nil)
        state.ports["pt-00000000000000bb"]?.policyGroup = Self.group
        let plan = try await manager.plan(toward: state, in: kernel)
        guard case .updateNftablesSets(let table, let changes, nil) = plan.steps.first?.operation, plan.steps.count == 1 else {
            Issue.record("expected one element update, got \(plan)")
            return
        }
        #expect(table == tables.first)
        #expect(changes.first { $0.set == "ingress_selected4" } == NftablesSetChange(
            set: "ingress_selected4", added: [#""sybr-100" . 10.0.0.20"#]))
        #expect(changes.first { $0.set == "ingress_exact4" } == NftablesSetChange(
            set: "ingress_exact4", added: [#""sybr-100" . 10.0.0.20 . 10.0.0.11 . tcp . 6379"#]))
    }

    @Test func rulesSharingAPeerSetArePlannedIncrementallyToo() async throws {
        let rules = [CompiledRule(action: .allow, peers: "a0000000000000001", ports: [PortMatch(protocol: "tcp", from: 80, to: 80)], policy: "np-1"),
                     CompiledRule(action: .allow, peers: "a0000000000000001", ports: [PortMatch(protocol: "udp")], policy: "np-2")]
        let kernel = FakeKernel()
        let manager = PolicyManager()
        _ = try await manager.plan(toward: Self.state(tenant: rules), in: kernel)
        let changed = Self.state(sets: ["a0000000000000002": AddressSet(ipv4: ["10.0.0.11", "10.0.0.14"])],
                                 tenant: rules.map { var rule = $0; rule.peers = "a0000000000000002"; return rule })
        let plan = try await manager.plan(toward: changed, in: kernel)
        #expect(!plan.steps.isEmpty)
    }

    @Test func everyBridgeHasItsOwnConntrackZone() throws {
        let body = try #require(try PolicyRuleset.body(Self.state()))
        // VNIs 100 and 65636 share their low 16 bits: the second gets the next free zone.
        #expect(body.contains(#"map zones { typeof iifname : ct zone; elements = { "sybr-100" : 100, "sybr-65636" : 101 }; }"#))
    }

    @Test func noPolicyNoTable() async throws {
        var state = Self.state()
        state.policy = nil
        #expect(try PolicyRuleset.body(state) == nil)
        let stale = NftablesTable(family: .inet, name: "sy-policy", comment: "old")
        let kernel = FakeKernel()
        try await kernel.replaceNftablesTable(stale, ruleset: "", in: nil)
        #expect(try await PolicyManager().plan(toward: state, in: kernel).steps.map(\.operation)
                    == [.deleteNftablesTable(stale, namespace: nil)])
    }

    @Test(arguments: [
        AddressSet(ipv4: ["10.0.0.1; flush ruleset"]),
        AddressSet(ipv4: ["10.0.0.1/33"]),
        AddressSet(ipv6: ["fd00::1 } drop"]),
    ])
    func anElementThatIsNoAddressIsRefused(set: AddressSet) async throws {
        #expect(throws: PolicyRuleset.Refusal.self) { try PolicyRuleset.body(Self.state(sets: ["a0000000000000001": set])) }
        // The manager checks a set again when its contents change under the same name.
        let manager = PolicyManager()
        #expect(try await manager.plan(toward: Self.state(), in: FakeKernel()).refusals.isEmpty)
        #expect(try await manager.plan(toward: Self.state(sets: ["a0000000000000001": set]), in: FakeKernel()).refusals.count == 1)
    }

    @Test func aSetNameOrProtocolFromTheWireIsChecked() {
        let badName = ["a000000000000000z": AddressSet(ipv4: ["10.0.0.1"])]
        #expect(throws: PolicyRuleset.Refusal.self) { try PolicyRuleset.body(Self.state(sets: badName)) }
        let badProtocol = [CompiledRule(action: .allow, peers: nil, ports: [PortMatch(protocol: "tcp; drop")], policy: "np-1")]
        #expect(throws: PolicyRuleset.Refusal.self) { try PolicyRuleset.body(Self.state(tenant: badProtocol)) }
    }
}
