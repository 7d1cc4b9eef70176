/// The kinds of northbound objects; each id starts with its kind's prefix so an id says what it names.
public enum ObjectKind: String, Sendable, CaseIterable {
    case tenant, project
    case logicalSwitch = "switch"
    case port, router
    case routerInterface = "router-interface"
    case route
    case externalNetwork = "external-network"
    case floatingIP = "floating-ip"
    case host, token, cluster
    case policy, service

    public var idPrefix: String {
        switch self {
        case .tenant: "tn"
        case .project: "pj"
        case .logicalSwitch: "sw"
        case .port: "pt"
        case .router: "rt"
        case .routerInterface: "ri"
        case .route: "rr"
        case .externalNetwork: "en"
        case .floatingIP: "fip"
        case .host: "hs"
        case .token: "tk"
        case .cluster: "cl"
        case .policy: "np"
        case .service: "sv"
        }
    }

    public func makeID<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let random = UInt64.random(in: 0...UInt64.max, using: &generator)
        let hex = String(random, radix: 16)
        return idPrefix + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
