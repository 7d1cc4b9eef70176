@testable import Compiler
import Northbound
import Southbound
import Testing

/// Policies compiled per host, and the evaluator that explains them, against each other.
@Suite struct PolicyCompileTests {
    /// Tenant alpha: redis (project data, app=redis) on hs-1 with a floating IP, fe (project front)
    /// on hs-2, other (project misc) on hs-1, one router with SNAT. Tenant beta: the same subnet,
    /// x on hs-2 behind its own router with SNAT. The operators' policy on alpha.
    static func cloud() -> DesiredState {
        var topology = Topology()
        topology.host("hs-1", "198.18.0.11")
        topology.host("hs-2", "198.18.0.12")
        topology.host("hs-3", "198.18.0.13", role: .edge)
        topology.externalNetwork("en-1", cidr: "203.0.113.0/24")
        for (tenant, name) in [("tn-a", "alpha"), ("tn-b", "beta")] {
            topology.state.tenants[tenant] = Tenant(id: tenant, name: name, quotas: .defaults, labels: [:], revision: 1)
        }
        for (id, tenant, name) in [("pj-data", "tn-a", "data"), ("pj-front", "tn-a", "front"), ("pj-misc", "tn-a", "misc")] {
            topology.state.projects[id] = Project(id: id, tenant: tenant, name: name, labels: [:], revision: 1)
        }
        topology.logicalSwitch("sw-a", tenant: "tn-a", cidr: "10.0.0.0/24", vni: 100)
        topology.logicalSwitch("sw-b", tenant: "tn-b", cidr: "10.0.0.0/24", vni: 200)
        topology.port("pt-0000000000000001", on: "sw-a", host: "hs-1", ip: "10.0.0.10", mac: "02:00:00:00:00:01")
        topology.port("pt-0000000000000002", on: "sw-a", host: "hs-2", ip: "10.0.0.11", mac: "02:00:00:00:00:02")
        topology.port("pt-0000000000000003", on: "sw-a", host: "hs-1", ip: "10.0.0.12", mac: "02:00:00:00:00:03")
        topology.port("pt-0000000000000004", on: "sw-b", host: "hs-2", ip: "10.0.0.10", mac: "02:00:00:00:00:04")
        topology.state.ports["pt-0000000000000001"]!.project = "pj-data"
        topology.state.ports["pt-0000000000000001"]!.labels = ["app": "redis"]
        topology.state.ports["pt-0000000000000002"]!.project = "pj-front"
        topology.state.ports["pt-0000000000000003"]!.project = "pj-misc"
        topology.router("rt-a", tenant: "tn-a", uplink: ("en-1", "203.0.113.10"))
        topology.router("rt-b", tenant: "tn-b", uplink: ("en-1", "203.0.113.20"))
        topology.interface("ri-a", router: "rt-a", on: "sw-a")
        topology.interface("ri-b", router: "rt-b", on: "sw-b")
        topology.floatingIP("fip-1", network: "en-1", address: "203.0.113.50", port: "pt-0000000000000001")
        topology.state.policies["np-1"] = NetworkPolicy(
            id: "np-1", tenant: "tn-a", name: "network-policy", tier: .tenant, appliesTo: PolicySelector(project: "data", cluster: "*"),
            ingress: [PolicyRule(from: [PolicyPeer(tenant: "*", project: "*", cluster: "*")], ports: [PolicyPorts(protocol: .tcp, port: 6379)],
                                 expression: "src_project==front || src_tenant==beta")],
            egress: nil, revision: 1)
        return topology.state
    }

    @Test func aHostGetsOnlyThePoliciesOfItsPortsAndTheAddressesTheyNeed() throws {
        let hosts = compile(Self.cloud())
        #expect(hosts["hs-2"]?.policy == nil, "hs-2 has no selected port and learns no address")
        let host = try #require(hosts["hs-1"])
        let policy = try #require(host.policy)
        #expect(host.ports.keys.filter { host.portPolicy($0) != nil } == ["pt-0000000000000001"], "only redis is selected")
        #expect(policy.groups.count == 1 && policy.ruleLists.count == 1, "one group, one list: np-1's ingress")
        let ingress = try #require(host.portPolicy("pt-0000000000000001")?.ingress)
        #expect(ingress.admin.isEmpty)
        let rule = try #require(ingress.tenant?.first)
        #expect(rule.ports == [PortMatch(protocol: "tcp", from: 6379, to: 6379)] && rule.action == .allow && rule.policy == "np-1")
        // front-end by its own address; beta's x by its router's SNAT address; not misc, not beta's 10.0.0.10.
        #expect(policy.sets[rule.peers ?? ""] == AddressSet(ipv4: ["10.0.0.11", "203.0.113.20"]))
        #expect(host.portPolicy("pt-0000000000000001")?.egress == nil, "the policy does not select for egress")
    }

    /// A policy that selects several ports of a host is one rule list; ports alike for every
    /// selector are one policy group, so a new policy reaches the host as its list and one name
    /// per group, whatever else it enforces and however many ports the groups hold.
    @Test func portsShareTheListsOfThePoliciesSelectingThem() throws {
        var topology = Topology(state: Self.cloud())
        topology.port("pt-0000000000000005", on: "sw-a", host: "hs-1", ip: "10.0.0.14", mac: "02:00:00:00:00:05")
        var state = topology.state
        state.ports["pt-0000000000000003"]!.project = "pj-data"
        state.ports["pt-0000000000000005"]!.project = "pj-data"
        state.ports["pt-0000000000000005"]!.labels = ["app": "redis"]
        let before = try #require(compile(state)["hs-1"])
        let policy = try #require(before.policy)
        #expect(before.ports["pt-0000000000000005"]?.policyGroup == before.ports["pt-0000000000000001"]?.policyGroup,
                "ports with the same tenant, project, cluster and labels are one group")
        #expect(policy.ruleLists.count == 1 && policy.groups.count == 2 && Set(policy.groups.values).count == 1)

        state.policies["np-2"] = NetworkPolicy(id: "np-2", tenant: "tn-a", name: "icmp", tier: .tenant,
                                               appliesTo: PolicySelector(project: "data"),
                                               ingress: [PolicyRule(ports: [PolicyPorts(protocol: .icmp)])], egress: nil, revision: 2)
        let after = try #require(compile(state)["hs-1"])
        let delta = try #require(HostStateDelta(from: before, to: after).policy)
        #expect(delta.sets.isEmpty && delta.left.isEmpty)
        #expect(delta.ruleLists.removed.isEmpty && delta.ruleLists.changed.values.map(\.policy) == ["np-2"])
        let added = try #require(delta.ruleLists.changed.keys.first)
        let groups = ["pt-0000000000000001", "pt-0000000000000003"].compactMap { before.ports[$0]?.policyGroup }
        #expect(delta.joined == Dictionary(uniqueKeysWithValues: groups.map { ($0, [added]) }))
        #expect(HostStateDelta(from: before, to: after).ports.isEmpty, "no port changes")
        #expect(HostStateDelta(from: before, to: after).applied(to: before) == after)
        #expect(after.portPolicy("pt-0000000000000003")?.ingress?.tenant?.count == 2, "np-1's rule and np-2's")
        #expect(after.portPolicy("pt-0000000000000005")?.ingress?.tenant?.count == 2, "redis2 is selected as redis is")
    }

    @Test func theEvaluatorNamesWhatDecided() {
        let evaluator = PolicyEvaluator(state: Self.cloud())
        let allowed = evaluator.reachability(from: "pt-0000000000000002", to: "pt-0000000000000001", protocol: .tcp, port: 6379)
        #expect(allowed.allowed && allowed.ingress.policy == "np-1" && allowed.ingress.rule == "ingress[0]" && allowed.ingress.tier == .tenant)
        #expect(allowed.egress.verdict == .allowed && allowed.egress.policy == nil)
        #expect(!evaluator.reachability(from: "pt-0000000000000002", to: "pt-0000000000000001", protocol: .tcp, port: 80).allowed)
        #expect(!evaluator.reachability(from: "pt-0000000000000003", to: "10.0.0.10", protocol: .tcp, port: 6379).allowed)
        // Beta reaches redis through its floating IP; to its own 10.0.0.10 it reaches its own port.
        #expect(evaluator.reachability(from: "pt-0000000000000004", to: "203.0.113.50", protocol: .tcp, port: 6379).allowed)
        let twin = evaluator.reachability(from: "pt-0000000000000003", to: "pt-0000000000000004", protocol: .tcp, port: 6379)
        #expect(!twin.allowed && twin.ingress.reason.contains("floating IP"), "\(twin)")
    }

    @Test func adminDenyBeatsTenantAllowAndPassDelegates() {
        var state = Self.cloud()
        let rule = PolicyRule(action: .deny, from: [PolicyPeer(project: "front")])
        state.policies["np-admin"] = NetworkPolicy(id: "np-admin", tenant: nil, name: "guard", tier: .admin, priority: 1,
                                                   appliesTo: PolicySelector(labels: ["app": "redis"]), ingress: [rule], egress: nil, revision: 1)
        let denied = PolicyEvaluator(state: state).reachability(from: "pt-0000000000000002", to: "pt-0000000000000001", protocol: .tcp, port: 6379)
        #expect(!denied.allowed && denied.ingress.tier == .admin && denied.ingress.policy == "np-admin")
        state.policies["np-admin"]?.ingress?[0].action = .pass
        let passed = PolicyEvaluator(state: state).reachability(from: "pt-0000000000000002", to: "pt-0000000000000001", protocol: .tcp, port: 6379)
        #expect(passed.allowed && passed.ingress.policy == "np-1", "\(passed)")
        let compiled = compile(state)["hs-1"]?.portPolicy("pt-0000000000000001")?.ingress
        #expect(compiled?.admin.map(\.action) == [.pass] && compiled?.tenant?.count == 1)
    }

    /// What the agent does with a host's compiled rules (first admin match decides, `pass` and no
    /// match go on to the tenant tier, which allows only what a rule matches) must be what the
    /// evaluator says, for every pair of ports of random clouds with random policies.
    @Test(arguments: 0..<60)
    func compiledRulesAgreeWithTheEvaluator(seed: Int) {
        var changes = RandomChanges(seed: UInt64(50_000 + seed))
        var state = DesiredState()
        for _ in 0..<80 { state.apply(changes.next(for: state)) }
        let hosts = compile(state)
        let evaluator = PolicyEvaluator(state: state)
        let bound = state.ports.values.filter { $0.host != nil }.sorted { $0.id < $1.id }
        for source in bound {
            for destination in bound where destination.tenant == source.tenant && destination.id != source.id {
                for (proto, port) in [("tcp", 80), ("udp", 55), ("icmp", nil), ("tcp", 443)] {
                    let egress = Self.walk(hosts[source.host!], port: source.id, direction: .egress, peer: destination.ip,
                                           protocol: proto, destinationPort: port)
                    let ingress = Self.walk(hosts[destination.host!], port: destination.id, direction: .ingress, peer: source.ip,
                                            protocol: proto, destinationPort: port)
                    let answer = evaluator.reachability(from: source.id, to: destination.id, protocol: TraceProtocol(rawValue: proto)!,
                                                        port: port)
                    #expect(answer.egress.verdict == (egress ? .allowed : .denied), "seed \(seed): \(source.id)→\(destination.id) \(proto)")
                    #expect(answer.ingress.verdict == (ingress ? .allowed : .denied), "seed \(seed): \(source.id)→\(destination.id) \(proto)")
                }
            }
        }
    }

    @Test func randomCloudsExercisePolicies() {
        var withPolicies = 0
        for seed in 0..<60 {
            var changes = RandomChanges(seed: UInt64(50_000 + seed))
            var state = DesiredState()
            for _ in 0..<80 { state.apply(changes.next(for: state)) }
            withPolicies += compile(state).values.filter { $0.policy != nil }.count
        }
        #expect(withPolicies > 30, "the random clouds select ports on \(withPolicies) host states")
    }

    /// One side's verdict from a host's compiled rules, as the agent's ruleset decides it.
    static func walk(_ host: HostState?, port: String, direction: PolicyDirection, peer: String, protocol proto: String,
                     destinationPort: Int?) -> Bool {
        guard let policy = host?.policy, let ports = host?.portPolicy(port) else { return true }
        guard let side = direction == .ingress ? ports.ingress : ports.egress else { return true }
        func matches(_ rule: CompiledRule) -> Bool {
            let peerMatches = rule.peers.map { policy.sets[$0]?.contains(peer) ?? false } ?? true
            let portMatches = rule.ports.isEmpty || rule.ports.contains { $0.admits(protocol: proto, port: destinationPort) }
            return peerMatches && portMatches
        }
        for rule in side.admin where matches(rule) {
            switch rule.action {
            case .allow: return true
            case .deny: return false
            case .pass: return side.tenant.map { $0.contains(where: matches) } ?? true
            }
        }
        return side.tenant.map { $0.contains(where: matches) } ?? true
    }
}
