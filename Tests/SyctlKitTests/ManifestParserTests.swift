import Northbound
import SyctlKit
import Testing

@Suite struct ManifestParserTests {
    static let acme = """
        kind: Tenant
        name: acme
        quotas: {switches: 10, ports: 1000, floatingIps: 100}
        labels: {team: infra, tier: 1}
        ---
        kind: Switch
        name: frontend
        tenant: acme
        cidr: 10.10.0.0/24
        mtu: 1400
        ---
        - kind: Port
          name: web-1
          tenant: acme
          switch: frontend
          labels: {app: web}
        - kind: Router
          name: r1
          tenant: acme
          interfaces: [{switch: frontend}, {switch: backend, ip: 10.20.0.1}]
          routes: [{destination: 10.99.0.0/16, nexthop: 10.10.0.5}]
        """

    @Test func readsDocumentsAndListsInFileOrder() throws {
        let entries = try ManifestParser.parse(Self.acme)
        #expect(entries.map(\.object.reference) == ["tenant/acme", "switch/frontend", "port/web-1", "router/r1"])
        #expect(entries.map(\.location) == [
            ManifestLocation(document: 1, line: 1), ManifestLocation(document: 2, line: 6),
            ManifestLocation(document: 3, item: 1, line: 12), ManifestLocation(document: 3, item: 2, line: 17),
        ])
    }

    @Test func readsEachKindsFields() throws {
        let entries = try ManifestParser.parse(Self.acme)
        guard case .tenant(let tenant) = entries[0].object, case .logicalSwitch(let logicalSwitch) = entries[1].object,
              case .port(let port, let portTenant) = entries[2].object,
              case .router(let router, let interfaces, let routes) = entries[3].object else {
            Issue.record("kinds parsed as \(entries.map(\.object.kind))")
            return
        }
        #expect(tenant.quotas == QuotaLimits(switches: 10, ports: 1000, floatingIps: 100))
        #expect(tenant.labels == ["team": "infra", "tier": "1"])
        #expect(logicalSwitch.tenant == "acme" && logicalSwitch.cidr == "10.10.0.0/24" && logicalSwitch.mtu == 1400)
        #expect(logicalSwitch.gateway == nil)
        #expect(port.switch == "frontend" && portTenant == "acme" && port.labels == ["app": "web"])
        #expect(router.tenant == "acme" && router.snat == nil)
        #expect(interfaces.map(\.switch) == ["frontend", "backend"] && interfaces.map(\.ip) == [nil, "10.20.0.1"])
        #expect(routes.map(\.destination) == ["10.99.0.0/16"] && routes.map(\.nexthop) == ["10.10.0.5"])
    }

    @Test func normalizesAddressesAsTheControllerStoresThem() throws {
        let entries = try ManifestParser.parse("""
            kind: Router
            name: r6
            routes: [{destination: "fd00:0099:0000::/48", nexthop: "fd00:10:0:0::5"}]
            ---
            kind: Port
            name: p
            switch: s
            mac: 02:AA:00:00:00:01
            """)
        guard case .router(_, _, let routes) = entries[0].object, case .port(let port, _) = entries[1].object else {
            Issue.record("unexpected kinds")
            return
        }
        #expect(routes.first?.destination == IPv6Network("fd00:99::/48")?.description)
        #expect(routes.first?.nexthop == IPv6Address("fd00:10::5")?.description)
        #expect(port.mac == "02:aa:00:00:00:01")
    }

    @Test func readsAClusterInTheOperatorsCase() throws {
        let entries = try ManifestParser.parse("""
            kind: Cluster
            name: tano-kube1
            tenant: tano-tenant
            project: tano-project
            clusterKind: KUBERNETES
            hosts: [hv1, hv2]
            """)
        guard case .cluster(let body) = try #require(entries.first).object else { throw ManifestError(location: nil, field: nil, "not a cluster") }
        #expect(body.kind == .kubernetes && body.hosts == ["hv1", "hv2"] && body.tenant == "tano-tenant" && body.project == "tano-project")
    }

    @Test func skipsEmptyDocuments() throws {
        let entries = try ManifestParser.parse("---\nkind: Host\nname: hv1\naddress: 198.18.0.11\n---\n")
        #expect(entries.map(\.object.reference) == ["host/hv1"])
    }

    @Test func aFileWithoutObjectsIsAnError() {
        #expect(throws: ManifestError(location: nil, field: nil, "the file holds no objects")) {
            try ManifestParser.parse("# nothing here\n")
        }
    }

    @Test func anUnknownKindNamesTheDocumentAndTheKinds() {
        #expect {
            try ManifestParser.parse("kind: Tenant\nname: a\n---\nkind: Swtich\nname: b\n")
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.location == ManifestLocation(document: 2, line: 4) && error.field == "kind"
                && error.message.hasPrefix("unknown kind 'Swtich'; kinds are Tenant, Project, Switch")
        }
    }

    @Test func anUnknownFieldIsRefusedBeforeAnythingElse() {
        #expect {
            try ManifestParser.parse("kind: Switch\nname: frontend\ncidr: 10.10.0.0/24\ncidrr: 10.11.0.0/24\n")
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.location?.document == 1 && error.field == "cidrr" && error.message.contains("unknown field for Switch")
                && error.description.hasPrefix("manifest document 1, line 1, field 'cidrr': ")
        }
    }

    @Test func anUnknownNestedFieldHasItsPath() {
        #expect {
            try ManifestParser.parse("kind: Router\nname: r1\ninterfaces: [{switch: a}, {switch: b, address: 10.0.0.1}]\n")
        } throws: { error in
            (error as? ManifestError)?.field == "interfaces[2].address"
        }
    }

    @Test(arguments: ["Tenant", "Project", "Switch", "Port", "Router", "ExternalNetwork", "Host"])
    func aMissingNameIsAnError(kind: String) {
        #expect {
            try ManifestParser.parse("- kind: Host\n  name: ok\n  address: 198.18.0.1\n- kind: \(kind)\n")
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.location == ManifestLocation(document: 1, item: 2, line: 4) && error.field == "name"
                && error.message == "is required"
        }
    }

    @Test func aFloatingIPNeedsItsAddress() {
        #expect {
            try ManifestParser.parse("kind: FloatingIP\ntenant: acme\nexternalNetwork: corp\n")
        } throws: { error in
            (error as? ManifestError)?.field == "address"
        }
    }

    @Test(arguments: [
        ("kind: Switch\nname: s\ncidr: 10.10.0.5/24\n", "cidr"),
        ("kind: Switch\nname: s\ncidr: 10.10.0.0/24\ngateway: 10.11.0.1\n", "gateway"),
        ("kind: Switch\nname: s\ncidr: 10.10.0.0/24\nmtu: big\n", "mtu"),
        ("kind: Switch\nname: Front_End\ncidr: 10.10.0.0/24\n", "name"),
        ("kind: Switch\nname: s\ntenant: Acme\ncidr: 10.10.0.0/24\n", "tenant"),
        ("kind: Tenant\nname: t\nquotas: {ports: -1}\n", "quotas.ports"),
        ("kind: Tenant\nname: t\nlabels: [a, b]\n", "labels"),
        ("kind: Router\nname: r\nsnat: maybe\n", "snat"),
        ("kind: Router\nname: r\nroutes: [{destination: 10.99.0.0/16, nexthop: fd00::1}]\n", "routes[1].nexthop"),
        ("kind: Host\nname: h\naddress: 198.18.0.1\nrole: storage\n", "role"),
        ("kind: FloatingIP\naddress: 203.0.113.9\nexternalNetwork: corp\nswitch: frontend\n", "switch"),
    ])
    func invalidValuesAreCaughtBeforeSending(yaml: String, field: String) {
        #expect {
            try ManifestParser.parse(yaml)
        } throws: { error in
            (error as? ManifestError)?.field == field
        }
    }

    @Test func namesThatLookLikeOtherYAMLTypesStayStrings() throws {
        let entries = try ManifestParser.parse("kind: Host\nname: yes\naddress: 198.18.0.1\nlabels: {on: true}\n")
        guard case .host(let host) = entries[0].object else {
            Issue.record("not a host")
            return
        }
        #expect(host.name == "yes" && host.labels == ["on": "true"])
    }

    @Test func aFieldGivenTwiceIsAnError() {
        #expect {
            try ManifestParser.parse("kind: Host\nname: a\nname: b\naddress: 198.18.0.1\n")
        } throws: { error in
            error is ManifestError
        }
    }
}
