import Northbound

/// A top-level API object syctl can list, find by name, create and delete.
public protocol APIResource: Codable, Sendable, TableRepresentable {
    static var kind: ResourceKind { get }
    var id: String { get }
}

extension Tenant: APIResource {
    public static var kind: ResourceKind { .tenant }
}

extension Project: APIResource {
    public static var kind: ResourceKind { .project }
}

extension LogicalSwitch: APIResource {
    public static var kind: ResourceKind { .logicalSwitch }
}

extension Port: APIResource {
    public static var kind: ResourceKind { .port }
}

extension LogicalRouter: APIResource {
    public static var kind: ResourceKind { .router }
}

extension ExternalNetwork: APIResource {
    public static var kind: ResourceKind { .externalNetwork }
}

extension FloatingIP: APIResource {
    public static var kind: ResourceKind { .floatingIP }
}

extension Host: APIResource {
    public static var kind: ResourceKind { .host }
}

extension Cluster: APIResource {
    public static var kind: ResourceKind { .cluster }
}

extension NetworkPolicy: APIResource {
    public static var kind: ResourceKind { .policy }
}

extension Service: APIResource {
    public static var kind: ResourceKind { .service }
}
