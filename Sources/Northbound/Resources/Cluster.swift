/// A group of workloads in a project — a Kubernetes or Swarm cluster, a group of VMs — and the
/// hosts its nodes run on. Policies select ports by the cluster they belong to; the hosts decide
/// (with the container runtimes) where the cluster's ports may be created.
public struct Cluster: Codable, Equatable, Sendable {
    public var id: String
    public var tenant: String
    public var project: String?
    public var name: String
    /// `kind` in JSON; named apart from the `kind` that resource protocols give every type.
    public var clusterKind: ClusterKind
    /// Host ids; only admins set them (placement is theirs).
    public var hosts: [String]
    public var labels: [String: String]
    public var revision: Int64

    enum CodingKeys: String, CodingKey {
        case id, tenant, project, name, clusterKind = "kind", hosts, labels, revision
    }

    public init(id: String, tenant: String, project: String?, name: String, kind: ClusterKind, hosts: [String],
                labels: [String: String], revision: Int64) {
        self.id = id
        self.tenant = tenant
        self.project = project
        self.name = name
        self.clusterKind = kind
        self.hosts = hosts
        self.labels = labels
        self.revision = revision
    }
}

public enum ClusterKind: String, Codable, Sendable, CaseIterable {
    case kubernetes, swarm, vms, other
}

public struct ClusterCreate: Codable, Sendable {
    public var tenant: String?
    public var project: String?
    public var name: String
    public var kind: ClusterKind
    public var hosts: [String]?
    public var labels: [String: String]?

    public init(tenant: String? = nil, project: String? = nil, name: String, kind: ClusterKind, hosts: [String]? = nil,
                labels: [String: String]? = nil) {
        self.tenant = tenant
        self.project = project
        self.name = name
        self.kind = kind
        self.hosts = hosts
        self.labels = labels
    }
}

public struct ClusterUpdate: Codable, Sendable {
    /// Replaces the cluster's hosts (admins only).
    public var hosts: [String]?
    public var labels: [String: String]?

    public init(hosts: [String]? = nil, labels: [String: String]? = nil) {
        self.hosts = hosts
        self.labels = labels
    }
}
