import Northbound

/// The kinds of top-level objects syctl manages, with their names on the command line, in manifests and in the API.
public enum ResourceKind: String, CaseIterable, Sendable {
    case tenant, project
    case logicalSwitch = "switch"
    case port, router
    case externalNetwork = "external-network"
    case floatingIP = "floating-ip"
    case host, cluster, policy, service

    /// The plural, as in `syctl get switches` and the API collection `/v1/switches`.
    public var plural: String {
        switch self {
        case .logicalSwitch: "switches"
        case .policy: "policies"
        default: rawValue + "s"
        }
    }

    /// The `kind:` of a manifest object.
    public var manifestKind: String {
        switch self {
        case .tenant: "Tenant"
        case .project: "Project"
        case .logicalSwitch: "Switch"
        case .port: "Port"
        case .router: "Router"
        case .externalNetwork: "ExternalNetwork"
        case .floatingIP: "FloatingIP"
        case .host: "Host"
        case .cluster: "Cluster"
        case .policy: "Policy"
        case .service: "Service"
        }
    }

    /// The API collection path, like `/v1/switches`.
    public var path: String { "/v1/" + plural }

    public var objectKind: ObjectKind {
        switch self {
        case .tenant: .tenant
        case .project: .project
        case .logicalSwitch: .logicalSwitch
        case .port: .port
        case .router: .router
        case .externalNetwork: .externalNetwork
        case .floatingIP: .floatingIP
        case .host: .host
        case .cluster: .cluster
        case .policy: .policy
        case .service: .service
        }
    }

    /// The list filter that finds an object by what operators call it; floating IPs have no name, only an address.
    public var nameField: String { self == .floatingIP ? "address" : "name" }

    /// The kind a command-line word names: singular or plural, in any case (`switch`, `Switches`).
    public init?(argument: String) {
        let word = argument.lowercased()
        guard let kind = Self.allCases.first(where: { $0.rawValue == word || $0.plural == word }) else { return nil }
        self = kind
    }

    /// The kind a manifest's `kind:` names, spelled exactly (`ExternalNetwork`).
    public init?(manifestKind: String) {
        guard let kind = Self.allCases.first(where: { $0.manifestKind == manifestKind }) else { return nil }
        self = kind
    }
}
