import Northbound

/// One object of a manifest, held as the API request that would create it.
///
/// References (`tenant`, `switch`, `host`, …) hold names or ids as written; `ObjectResolver` turns them into ids.
/// A few fields exist only to resolve names: a port's tenant, a floating IP's port switch.
public enum ManifestObject: Sendable {
    case tenant(TenantCreate)
    case project(ProjectCreate)
    case logicalSwitch(LogicalSwitchCreate)
    /// `tenant` narrows the lookup of the switch by name.
    case port(PortCreate, tenant: String?)
    /// Interfaces and routes are added to the router when missing.
    case router(RouterCreate, interfaces: [RouterInterfaceCreate], routes: [StaticRouteCreate])
    case externalNetwork(ExternalNetworkCreate)
    /// `portSwitch` is the switch the `port` name is looked up on.
    case floatingIP(FloatingIPCreate, portSwitch: String?)
    case host(HostCreate)
    case cluster(ClusterCreate)
    case policy(NetworkPolicyCreate)
    case service(ServiceCreate)

    public var kind: ResourceKind {
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

    /// Its name, or a floating IP's address.
    public var displayName: String {
        switch self {
        case .tenant(let body): body.name
        case .project(let body): body.name
        case .logicalSwitch(let body): body.name
        case .port(let body, _): body.name
        case .router(let body, _, _): body.name
        case .externalNetwork(let body): body.name
        case .floatingIP(let body, _): body.address ?? "(unallocated)"
        case .host(let body): body.name
        case .cluster(let body): body.name
        case .policy(let body): body.name
        case .service(let body): body.name
        }
    }

    /// `switch/frontend`, as apply and delete report objects.
    public var reference: String { "\(kind.rawValue)/\(displayName)" }

    /// The body of the API call that creates the object.
    var createRequest: any Encodable & Sendable {
        switch self {
        case .tenant(let body): body
        case .project(let body): body
        case .logicalSwitch(let body): body
        case .port(let body, _): body
        case .router(let body, _, _): body
        case .externalNetwork(let body): body
        case .floatingIP(let body, _): body
        case .host(let body): body
        case .cluster(let body): body
        case .policy(let body): body
        case .service(let body): body
        }
    }
}

/// A manifest object and where in the file it was written.
public struct ManifestEntry: Sendable {
    public var object: ManifestObject
    public var location: ManifestLocation

    public init(object: ManifestObject, location: ManifestLocation) {
        self.object = object
        self.location = location
    }
}

/// Where an object sits in a manifest: its YAML document, its item if the document is a list, and its line.
public struct ManifestLocation: Equatable, Sendable, CustomStringConvertible {
    /// 1-based, counting `---`-separated documents.
    public var document: Int
    /// 1-based position in a top-level list, nil when the document is a single object.
    public var item: Int?
    public var line: Int?

    public init(document: Int, item: Int? = nil, line: Int? = nil) {
        self.document = document
        self.item = item
        self.line = line
    }

    public var description: String {
        "document \(document)" + (item.map { ", item \($0)" } ?? "") + (line.map { ", line \($0)" } ?? "")
    }
}
