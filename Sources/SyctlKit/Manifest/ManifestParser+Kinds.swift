import Northbound

// One reader per kind: required fields, references checked as names, addresses validated and normalized
// the way the controller stores them, so that apply can compare them as text.
extension ManifestParser {
    static func tenant(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        var quotas: QuotaLimits?
        if let limits = try fields.mapping("quotas") {
            try limits.requireOnly(["switches", "ports", "routers", "floatingIps", "policies", "services", "routesPerRouter",
                                    "interfacesPerRouter", "clusters"], in: "quotas")
            quotas = QuotaLimits(switches: try limits.int("switches"), ports: try limits.int("ports"), routers: try limits.int("routers"),
                                 floatingIps: try limits.int("floatingIps"), policies: try limits.int("policies"),
                                 services: try limits.int("services"), routesPerRouter: try limits.int("routesPerRouter"),
                                 interfacesPerRouter: try limits.int("interfacesPerRouter"), clusters: try limits.int("clusters"))
            _ = try fields.validated("quotas") { try Quotas.defaults.applying(quotas) }
        }
        return .tenant(TenantCreate(name: name, quotas: quotas, labels: try fields.labels()))
    }

    static func project(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        return .project(ProjectCreate(tenant: try fields.reference("tenant"), name: name, labels: try fields.labels()))
    }

    /// `clusterKind` holds the API's `kind`, which a manifest's `kind:` already names.
    static func cluster(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        let kindName = try fields.requiredString("clusterKind")
        guard let kind = ClusterKind(rawValue: kindName.lowercased()) else {
            throw fields.error("clusterKind", "unknown cluster kind '\(kindName)'; kinds are \(ClusterKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let hosts = try fields.stringList("hosts")
        return .cluster(ClusterCreate(tenant: try fields.reference("tenant"), project: try fields.reference("project"), name: name,
                                      kind: kind, hosts: hosts, labels: try fields.labels()))
    }

    /// `appliesTo`, `ingress` and `egress` are written as the API takes them.
    static func policy(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        var tier: PolicyTier?
        if let text = try fields.string("tier") {
            guard let parsed = PolicyTier(rawValue: text) else { throw fields.error("tier", "'\(text)' is not one of admin, tenant") }
            tier = parsed
        }
        let appliesTo = try fields.decoded("appliesTo", as: PolicySelector.self)
        let ingress = try fields.decoded("ingress", as: [PolicyRule].self)
        let egress = try fields.decoded("egress", as: [PolicyRule].self)
        let effectiveTier = tier ?? .tenant
        var body = NetworkPolicyCreate(tenant: try fields.reference("tenant"), project: try fields.reference("project"), name: name,
                                       tier: tier, priority: try fields.int("priority"), appliesTo: appliesTo, labels: try fields.labels())
        body.appliesTo = try fields.validated("appliesTo") { try appliesTo.map { try PolicyValidation.selector($0, field: "appliesTo") } }
        body.ingress = try fields.validated("ingress") { try PolicyValidation.rules(ingress, ingress: true, tier: effectiveTier) }
        body.egress = try fields.validated("egress") { try PolicyValidation.rules(egress, ingress: false, tier: effectiveTier) }
        return .policy(body)
    }

    /// `ports`, `selector` and `healthCheck` are written as the API takes them; `selector.project` and
    /// `selector.cluster` may be names.
    static func service(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        var algorithm: ServiceAlgorithm?
        if let text = try fields.string("algorithm") {
            guard let parsed = ServiceAlgorithm(rawValue: text) else {
                throw fields.error("algorithm", "'\(text)' is not one of \(ServiceAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            algorithm = parsed
        }
        var type: ServiceType?
        if let text = try fields.string("type") {
            guard let parsed = ServiceType(rawValue: text) else {
                throw fields.error("type", "'\(text)' is not one of \(ServiceType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            type = parsed
        }
        guard let ports = try fields.decoded("ports", as: [ServicePort].self) else { throw fields.error("ports", "a service lists its ports") }
        return .service(ServiceCreate(tenant: try fields.reference("tenant"), project: try fields.reference("project"), name: name,
                                      router: try fields.requiredReference("router"),
                                      vip: try fields.ipv4("vip"), type: type, externalIp: try fields.ipv4("externalIp"), ports: ports,
                                      selector: try fields.decoded("selector", as: ServiceSelector.self), algorithm: algorithm,
                                      healthCheck: try fields.decoded("healthCheck", as: HealthCheck.self), labels: try fields.labels()))
    }

    static func logicalSwitch(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        var body = LogicalSwitchCreate(
            tenant: try fields.reference("tenant"), project: try fields.reference("project"), name: name,
            cidr: try fields.requiredString("cidr"), gateway: try fields.string("gateway"), cidr6: try fields.string("cidr6"),
            gateway6: try fields.string("gateway6"), mtu: try fields.int("mtu"), labels: try fields.labels())
        let addressing = try fields.validated("cidr") { try body.validatedAddressing() }
        body.cidr = addressing.network.description
        if body.gateway != nil { body.gateway = addressing.gateway.description }
        body.cidr6 = addressing.network6?.description
        if body.gateway6 != nil { body.gateway6 = addressing.gateway6?.description }
        return .logicalSwitch(body)
    }

    static func port(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        let mac = try fields.string("mac").map { text in try fields.validated("mac") { try Validate.mac(text).description } }
        let ip6 = try fields.string("ip6").map { text in try fields.validated("ip6") { try Validate.ipv6(text, field: "ip6").description } }
        let body = PortCreate(switch: try fields.requiredReference("switch"), name: name, mac: mac,
                              ip: try fields.ipv4("ip"), ip6: ip6, host: try fields.reference("host"),
                              cluster: try fields.reference("cluster"), labels: try fields.labels())
        return .port(body, tenant: try fields.reference("tenant"))
    }

    static func router(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        let body = RouterCreate(tenant: try fields.reference("tenant"), project: try fields.reference("project"), name: name,
                                externalNetwork: try fields.reference("externalNetwork"), snat: try fields.bool("snat"),
                                labels: try fields.labels())
        let interfaces = try fields.list("interfaces").map { interface in
            try interface.requireOnly(["switch", "ip"], in: "a router interface")
            return RouterInterfaceCreate(switch: try interface.requiredReference("switch"), ip: try interface.ipv4("ip"))
        }
        let routes = try fields.list("routes").map { route in
            try route.requireOnly(["destination", "nexthop"], in: "a route")
            return try staticRoute(route)
        }
        return .router(body, interfaces: interfaces, routes: routes)
    }

    /// Normalized as the controller stores routes: an IPv4 or IPv6 prefix and a next hop of the same family.
    static func staticRoute(_ fields: ManifestFields) throws -> StaticRouteCreate {
        let destination = try fields.requiredString("destination")
        let nexthop = try fields.requiredString("nexthop")
        if let network = IPv4Network(destination) {
            return StaticRouteCreate(destination: network.description,
                                     nexthop: try fields.validated("nexthop") { try Validate.ipv4(nexthop, field: "nexthop").description })
        }
        if let network = IPv6Network(destination) {
            return StaticRouteCreate(destination: network.description,
                                     nexthop: try fields.validated("nexthop") { try Validate.ipv6(nexthop, field: "nexthop").description })
        }
        throw fields.error("destination", "'\(destination)' is not a prefix with zero host bits, like 10.20.0.0/16")
    }

    static func externalNetwork(_ fields: ManifestFields) throws -> ManifestObject {
        var body = ExternalNetworkCreate(name: try fields.name(), cidr: try fields.requiredString("cidr"), gateway: try fields.string("gateway"),
                                         poolStart: try fields.string("poolStart"), poolEnd: try fields.string("poolEnd"),
                                         dnsServers: try fields.stringList("dnsServers"), labels: try fields.labels())
        let addressing = try fields.validated("cidr") { try body.validatedAddressing() }
        body.cidr = addressing.network.description
        if body.gateway != nil { body.gateway = addressing.gateway.description }
        if body.poolStart != nil { body.poolStart = addressing.pool.lowerBound.description }
        if body.poolEnd != nil { body.poolEnd = addressing.pool.upperBound.description }
        return .externalNetwork(body)
    }

    /// The address identifies a floating IP across applies, so it is required here though the API can pick one.
    static func floatingIP(_ fields: ManifestFields) throws -> ManifestObject {
        guard let address = try fields.ipv4("address") else {
            throw fields.error("address", "is required: a floating IP is identified by its address in a manifest")
        }
        let port = try fields.reference("port")
        let portSwitch = try fields.reference("switch")
        if portSwitch != nil, port == nil { throw fields.error("switch", "names the port's switch, so it needs 'port'") }
        let body = FloatingIPCreate(tenant: try fields.reference("tenant"), externalNetwork: try fields.requiredReference("externalNetwork"),
                                    address: address, port: port, labels: try fields.labels())
        return .floatingIP(body, portSwitch: portSwitch)
    }

    static func host(_ fields: ManifestFields) throws -> ManifestObject {
        let name = try fields.name()
        let role = try fields.string("role").map { text in
            guard let role = HostRole(rawValue: text) else {
                throw fields.error("role", "must be one of \(HostRole.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return role
        }
        guard let address = try fields.ipv4("address") else { throw fields.error("address", "is required") }
        return .host(HostCreate(name: name, address: address, role: role, labels: try fields.labels()))
    }
}

extension ManifestFields {
    /// The required `name`, checked against the API's naming rule.
    func name() throws -> String {
        let name = try requiredString("name")
        return try validated("name") { try Validate.name(name) }
    }

    /// An optional reference to another object, by name or id (both follow the naming rule).
    func reference(_ field: String) throws -> String? {
        guard let text = try string(field) else { return nil }
        return try validated(field) { try Validate.name(text, field: field) }
    }

    func requiredReference(_ field: String) throws -> String {
        guard let reference = try reference(field) else { throw error(field, "is required") }
        return reference
    }

    func labels() throws -> [String: String]? {
        guard let labels = try stringMap("labels") else { return nil }
        return try validated("labels") { try Validate.labels(labels) }
    }

    /// An IPv4 address in the controller's normal form.
    func ipv4(_ field: String) throws -> String? {
        guard let text = try string(field) else { return nil }
        return try validated(field) { try Validate.ipv4(text, field: field).description }
    }
}
