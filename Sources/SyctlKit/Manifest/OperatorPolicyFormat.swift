import Northbound

/// The operators' NetworkPolicy format, accepted as they write it and mapped onto `/v1/policies`
/// (see `schemas/manifest.md`):
///
/// ```yaml
/// apiVersion: extensions/v1
/// kind: NetworkPolicy
/// metadata: { name: network-policy }
/// spec:
///   egress:                        # the policy's targets, in this format
///     TenantSelector: tano-tenant
///     ProjectSelector: tano-project
///     ClusterSelector: '*'
///   ingress:                       # one rule, or a list of them
///     from: { TenantSelector: '*', ProjectSelector: '*', ClusterSelector: '*' }
///     ports: { protocol: tcp, port: 6379 }
///     expression: { MatchExpression: "src_project==front-end || src_tenant==external" }
/// ```
enum OperatorPolicyFormat {
    static let apiVersion = "extensions/v1"
    static let kind = "NetworkPolicy"

    static func policy(_ fields: ManifestFields) throws -> ManifestObject {
        try fields.requireOnly(["apiVersion", "kind", "metadata", "spec"], in: kind)
        let version = try fields.requiredString("apiVersion")
        guard version == apiVersion else { throw fields.error("apiVersion", "'\(version)' is not supported; use \(apiVersion)") }
        guard let metadata = try fields.mapping("metadata") else { throw fields.error("metadata", "is required") }
        try metadata.requireOnly(["name", "labels"], in: "metadata")
        let name = try metadata.validated("name") { try Validate.name(try metadata.requiredString("name")) }
        let labels = try metadata.validated("labels") { try Validate.labels(try metadata.stringMap("labels")) }
        guard let spec = try fields.mapping("spec") else { throw fields.error("spec", "is required") }
        try spec.requireOnly(["egress", "ingress"], in: "spec")

        var tenant: String?
        var appliesTo = PolicySelector()
        if let targets = try spec.mapping("egress") {
            let selector = try self.selector(targets)
            guard selector.cidr == nil else { throw targets.error("CIDR", "the targets are workloads, not addresses") }
            tenant = selector.tenant == "*" ? nil : selector.tenant
            appliesTo = PolicySelector(project: selector.project, cluster: selector.cluster, labels: selector.labels)
        }
        let ingress = try spec.mappings("ingress").map { try $0.map(rule) }
        let rules = try spec.validated("ingress") { try PolicyValidation.rules(ingress, ingress: true, tier: .tenant) }
        _ = try spec.validated("egress") { try PolicyValidation.selector(appliesTo, field: "egress") }
        return .policy(NetworkPolicyCreate(tenant: tenant, name: name, appliesTo: appliesTo, ingress: rules, labels: labels))
    }

    private static func rule(_ fields: ManifestFields) throws -> PolicyRule {
        try fields.requireOnly(["from", "ports", "expression"], in: "an ingress rule")
        let peers = try fields.mappings("from")?.map(selector)
        let ports = try fields.mappings("ports")?.map { ports in
            try ports.requireOnly(["protocol", "port", "endPort"], in: "ports")
            let text = try ports.requiredString("protocol").lowercased()
            guard let proto = PolicyProtocol(rawValue: text) else {
                throw ports.error("protocol", "'\(text)' is not one of tcp, udp, icmp, any")
            }
            return PolicyPorts(protocol: proto, port: try ports.int("port"), endPort: try ports.int("endPort"))
        }
        var expression: String?
        if let mapping = try? fields.mapping("expression") {
            try mapping.requireOnly(["MatchExpression"], in: "expression")
            expression = try mapping.requiredString("MatchExpression")
        } else {
            expression = try fields.string("expression")
        }
        return PolicyRule(from: peers, ports: ports, expression: expression)
    }

    /// `TenantSelector`, `ProjectSelector`, `ClusterSelector` (names or `*`), `LabelSelector` (a
    /// mapping) or `CIDR`.
    private static func selector(_ fields: ManifestFields) throws -> PolicyPeer {
        try fields.requireOnly(["TenantSelector", "ProjectSelector", "ClusterSelector", "LabelSelector", "CIDR"], in: "a selector")
        return PolicyPeer(tenant: try fields.string("TenantSelector"), project: try fields.string("ProjectSelector"),
                          cluster: try fields.string("ClusterSelector"), labels: try fields.stringMap("LabelSelector"),
                          cidr: try fields.string("CIDR"))
    }
}
