import Northbound

/// The PATCH body `apply` sends to bring a policy to its manifest: like `NetworkPolicyUpdate`, but a
/// direction to clear is sent as JSON `null` (`.some(nil)`), which the API reads as "stop
/// selecting for this direction".
public struct PolicyPatch: Encodable, Equatable, Sendable {
    public var priority: Int?
    public var appliesTo: PolicySelector?
    public var ingress: [PolicyRule]??
    public var egress: [PolicyRule]??
    public var labels: [String: String]?

    var isEmpty: Bool { priority == nil && appliesTo == nil && ingress == nil && egress == nil && labels == nil }

    enum CodingKeys: String, CodingKey {
        case priority, appliesTo, ingress, egress, labels
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(priority, forKey: .priority)
        try container.encodeIfPresent(appliesTo, forKey: .appliesTo)
        if let ingress { try container.encode(ingress, forKey: .ingress) }
        if let egress { try container.encode(egress, forKey: .egress) }
        try container.encodeIfPresent(labels, forKey: .labels)
    }
}
