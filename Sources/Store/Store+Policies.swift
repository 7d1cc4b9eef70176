import Foundation
import Northbound

extension Store {
    static let policyList = ListRequest(table: "policies", filterColumns: [
        "tenant": "tenant", "project": "project", "name": "name", "tier": "tier",
    ], hasLabels: true)

    /// What the `spec` column holds: a policy's selectors and rules.
    struct PolicySpec: Codable {
        var appliesTo: PolicySelector
        var ingress: [PolicyRule]?
        var egress: [PolicyRule]?
    }

    /// Tenant-tier policies need a tenant (a tenant token's own); admin-tier ones an admin token.
    public func createPolicy(_ request: NetworkPolicyCreate, scope: Scope) async throws -> Committed<NetworkPolicy> {
        let name = try Validate.name(request.name)
        let labels = try Validate.labels(request.labels)
        let tier = request.tier ?? .tenant
        let priority = try Self.validatedPriority(request.priority, tier: tier)
        let validated = try Self.validatedSpec(appliesTo: request.appliesTo ?? PolicySelector(), ingress: request.ingress,
                                               egress: request.egress, tier: tier)
        return try await write { db, revision in
            var spec = validated
            var tenant: String?, project: String?
            if tier == .admin {
                guard scope.isAdmin else { throw ModelError(.forbidden, field: "tier", "only an admin token manages admin-tier policies") }
                guard request.tenant == nil, request.project == nil else {
                    throw ModelError(.invalidValue, field: request.tenant == nil ? "project" : "tenant",
                                     "admin-tier policies belong to no tenant: select tenants in appliesTo")
                }
                try WriteChecks.requireUnique(db, table: "policies", kind: "admin policy", name: name, within: ("COALESCE(tenant, '')", ""))
            } else {
                (tenant, project) = try WriteChecks.owner(db, scope: scope, tenant: request.tenant, project: request.project)
                guard let owner = tenant else { throw ModelError(.missingField, field: "tenant", "a tenant policy names its tenant") }
                try WriteChecks.requireQuota(db, tenant: owner, kind: \.policies, table: "policies", label: "policies")
                try WriteChecks.requireUnique(db, table: "policies", kind: "policy", name: name, within: ("tenant", owner))
                spec.appliesTo = try Self.ownTenantSelector(db, spec.appliesTo, tenant: owner)
            }
            let policy = NetworkPolicy(id: WriteChecks.newID(.policy), tenant: tenant, project: project, name: name, tier: tier,
                                       priority: priority, appliesTo: spec.appliesTo, ingress: spec.ingress, egress: spec.egress,
                                       labels: labels, revision: revision)
            try db.execute(sql: """
                INSERT INTO policies (id, tenant, project, name, tier, priority, spec, labels, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [policy.id, tenant, project, name, tier.rawValue, priority, try Self.encodeSpec(spec),
                                 LabelsColumn.encode(labels), revision])
            return policy
        }
    }

    public func policy(_ id: String, scope: Scope) async throws -> NetworkPolicy {
        try await read { db in try Self.decodePolicy(Self.visiblePolicy(db, id, scope: scope)) }
    }

    public func policies(_ query: ListQuery, scope: Scope) async throws -> Page<NetworkPolicy> {
        try await read { db in try Self.policyList.page(db, query: query, visibility: .visible(to: scope), decode: Self.decodePolicy) }
    }

    /// Replaces what the request names; `ingress: null` or `egress: null` stop selecting for it.
    public func updatePolicy(_ id: String, _ request: NetworkPolicyUpdate, nulls: Set<String>, scope: Scope) async throws -> Committed<NetworkPolicy> {
        let labels = try request.labels.map { try Validate.labels($0) }
        return try await write { db, revision in
            var policy = try Self.decodePolicy(Self.visiblePolicy(db, id, scope: scope))
            if let priority = request.priority { policy.priority = try Self.validatedPriority(priority, tier: policy.tier) }
            var spec = PolicySpec(appliesTo: request.appliesTo ?? policy.appliesTo,
                                  ingress: nulls.contains("ingress") ? nil : request.ingress ?? policy.ingress,
                                  egress: nulls.contains("egress") ? nil : request.egress ?? policy.egress)
            spec = try Self.validatedSpec(appliesTo: spec.appliesTo, ingress: spec.ingress, egress: spec.egress, tier: policy.tier)
            if let tenant = policy.tenant { spec.appliesTo = try Self.ownTenantSelector(db, spec.appliesTo, tenant: tenant) }
            (policy.appliesTo, policy.ingress, policy.egress) = (spec.appliesTo, spec.ingress, spec.egress)
            if let labels { policy.labels = labels }
            policy.revision = revision
            try db.execute(sql: "UPDATE policies SET priority = ?, spec = ?, labels = ?, revision = ? WHERE id = ?",
                                 arguments: [policy.priority, try Self.encodeSpec(spec), LabelsColumn.encode(policy.labels), revision, id])
            return policy
        }
    }

    public func deletePolicy(_ id: String, scope: Scope) async throws -> Committed<String> {
        try await write { db, _ in
            _ = try Self.visiblePolicy(db, id, scope: scope)
            try db.execute(sql: "DELETE FROM policies WHERE id = ?", arguments: [id])
            return id
        }
    }

    static func validatedPriority(_ priority: Int?, tier: PolicyTier) throws -> Int {
        guard let priority else { return 0 }
        guard tier == .admin || priority == 0 else {
            throw ModelError(.invalidValue, field: "priority", "only admin-tier policies are ordered by priority")
        }
        return try Validate.range(priority, PolicyValidation.priorities, field: "priority")
    }

    static func validatedSpec(appliesTo: PolicySelector, ingress: [PolicyRule]?, egress: [PolicyRule]?, tier: PolicyTier) throws -> PolicySpec {
        PolicySpec(appliesTo: try PolicyValidation.selector(appliesTo, field: "appliesTo"),
                   ingress: try PolicyValidation.rules(ingress, ingress: true, tier: tier),
                   egress: try PolicyValidation.rules(egress, ingress: false, tier: tier))
    }

    /// A tenant policy selects its own tenant's ports only: `appliesTo.tenant` may be absent, `*`
    /// or the tenant's own name, and is stored absent.
    static func ownTenantSelector(_ db: any SQLConnection, _ selector: PolicySelector, tenant: String) throws -> PolicySelector {
        guard let named = selector.tenant, named != "*" else { return PolicySelector(project: selector.project, cluster: selector.cluster, labels: selector.labels) }
        let own = try db.value(String.self, sql: "SELECT name FROM tenants WHERE id = ?", arguments: [tenant])
        guard named == own else {
            throw ModelError(.invalidValue, field: "appliesTo.tenant", "a tenant policy selects only its own tenant's ports ('\(own ?? tenant)')")
        }
        return PolicySelector(project: selector.project, cluster: selector.cluster, labels: selector.labels)
    }

    static func visiblePolicy(_ db: any SQLConnection, _ id: String, scope: Scope) throws -> SQLRow {
        try WriteChecks.visibleRow(db, table: "policies", kind: "policy", id: id, scope: scope)
    }

    static func encodeSpec(_ spec: PolicySpec) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    static func decodePolicy(_ row: SQLRow) throws -> NetworkPolicy {
        let spec = try JSONDecoder().decode(PolicySpec.self, from: Data((row["spec"] as String).utf8))
        return NetworkPolicy(id: row["id"], tenant: row["tenant"], project: row["project"], name: row["name"],
                             tier: PolicyTier(rawValue: row["tier"]) ?? .tenant, priority: row["priority"], appliesTo: spec.appliesTo,
                             ingress: spec.ingress, egress: spec.egress, labels: LabelsColumn.decode(row["labels"]), revision: row["revision"])
    }
}
