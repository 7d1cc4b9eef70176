import Foundation
import Northbound
@testable import SyctlKit
import Testing

/// The operators' NetworkPolicy YAML and the Policy kind, read into the API's request.
@Suite struct PolicyManifestTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ops/examples/network-policy.yml").path

    @Test func theOperatorsExampleMapsOntoThePolicyModel() throws {
        let entries = try ManifestParser.parse(file: Self.example)
        guard entries.count == 1, case .policy(let body) = entries[0].object else { throw TestFailure("not one policy: \(entries)") }
        #expect(body.name == "network-policy" && body.tenant == "tano-tenant" && body.tier == nil)
        #expect(body.appliesTo == PolicySelector(project: "tano-project", cluster: "*"), "egress names the targets; the tenant is the owner")
        #expect(body.egress == nil, "the format has no egress rules")
        #expect(body.ingress == [PolicyRule(from: [PolicyPeer(tenant: "*", project: "*", cluster: "*")],
                                            ports: [PolicyPorts(protocol: .tcp, port: 6379)],
                                            expression: "src_project==front-end || src_tenant==external")])
    }

    @Test func severalRulesPeersAndPortsAndAPlainExpression() throws {
        let entries = try ManifestParser.parse("""
            apiVersion: extensions/v1
            kind: NetworkPolicy
            metadata: {name: db, labels: {team: data}}
            spec:
              egress: {ProjectSelector: data, LabelSelector: {app: db}}
              ingress:
                - from: [{ProjectSelector: api}, {CIDR: 192.0.2.0/24}]
                  ports: [{protocol: TCP, port: 5432}, {protocol: udp, port: 6000, endPort: 6010}]
                - expression: dst_label.app==db
            """)
        guard case .policy(let body) = entries[0].object else { throw TestFailure("not a policy") }
        #expect(body.tenant == nil && body.labels == ["team": "data"])
        #expect(body.appliesTo == PolicySelector(project: "data", labels: ["app": "db"]))
        #expect(body.ingress?.count == 2)
        #expect(body.ingress?[0].from == [PolicyPeer(project: "api"), PolicyPeer(cidr: "192.0.2.0/24")])
        #expect(body.ingress?[0].ports == [PolicyPorts(protocol: .tcp, port: 5432), PolicyPorts(protocol: .udp, port: 6000, endPort: 6010)])
        #expect(body.ingress?[1] == PolicyRule(expression: "dst_label.app==db"))
    }

    @Test(arguments: [
        ("apiVersion: v9\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {}\n", "apiVersion", "is not supported"),
        ("apiVersion: extensions/v1\nkind: Switch\n", "kind", "NetworkPolicy"),
        ("apiVersion: extensions/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {ingres: {}}\n", "spec.ingres", "unknown field"),
        ("apiVersion: extensions/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {ingress: {expression: {MatchExpression: 'src_x==1'}}}\n",
         "spec.ingress[0].expression", "at position 1: unknown attribute"),
        ("apiVersion: extensions/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {ingress: {from: {Namespace: x}}}\n",
         "spec.ingress.from.Namespace", "unknown field"),
        ("apiVersion: extensions/v1\nkind: NetworkPolicy\nmetadata: {name: a}\nspec: {ingress: {ports: {protocol: sctp}}}\n",
         "spec.ingress.ports.protocol", "is not one of"),
        ("apiVersion: extensions/v1\nkind: NetworkPolicy\nmetadata: {name: A}\nspec: {}\n", "metadata.name", "may hold only"),
    ])
    func refusalsNameTheField(yaml: String, field: String, message: String) {
        #expect {
            try ManifestParser.parse(yaml)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.field == field && error.message.contains(message)
        }
    }

    @Test func thePolicyKindTakesTheAPIsFieldsAndChecksThem() throws {
        let entries = try ManifestParser.parse("""
            kind: Policy
            name: guard
            tier: admin
            priority: 5
            appliesTo: {tenant: '*', labels: {app: redis}}
            ingress: [{action: deny, from: [{tenant: globex}], ports: [{protocol: tcp, port: 6379}]}]
            """)
        guard case .policy(let body) = entries[0].object else { throw TestFailure("not a policy") }
        #expect(body.tier == .admin && body.priority == 5 && body.ingress?.first?.action == .deny)
        #expect {
            try ManifestParser.parse("kind: Policy\nname: p\ningress: [{action: deny}]\n")
        } throws: { error in
            (error as? ManifestError)?.field == "ingress[0].action"
        }
    }

    @Test func applyClearsADirectionTheManifestLeavesOut() throws {
        let current = NetworkPolicy(id: "np-1", tenant: "tn-1", name: "p", tier: .tenant, appliesTo: PolicySelector(project: "a"),
                                    ingress: [PolicyRule()], egress: [PolicyRule()], revision: 3)
        let desired = NetworkPolicyCreate(tenant: "tn-1", name: "p", appliesTo: PolicySelector(project: "a"), ingress: [PolicyRule()])
        let patch = try #require(try UpdatePlanner.update(current, toward: desired))
        let json = String(decoding: try JSONEncoder().encode(patch), as: UTF8.self)
        #expect(json == #"{"egress":null}"#)
        #expect(try UpdatePlanner.update(current, toward: NetworkPolicyCreate(tenant: "tn-1", name: "p", appliesTo: PolicySelector(project: "a"),
                                                                              ingress: [PolicyRule()], egress: [PolicyRule()])) == nil)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
