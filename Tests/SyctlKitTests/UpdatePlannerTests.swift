import Northbound
import SyctlKit
import Testing

@Suite struct UpdatePlannerTests {
    let frontend = LogicalSwitch(id: "sw-00000000000000a1", tenant: "tn-00000000000000b2", name: "frontend", cidr: "10.10.0.0/24",
                                 gateway: "10.10.0.1", mtu: 1450, vni: 7, labels: ["team": "web"], revision: 3)

    @Test func aMatchingSwitchIsUnchanged() throws {
        let desired = LogicalSwitchCreate(tenant: frontend.tenant, name: "frontend", cidr: "10.10.0.0/24", gateway: "10.10.0.1",
                                          mtu: 1450, labels: ["team": "web"])
        #expect(try UpdatePlanner.update(frontend, toward: desired) == nil)
    }

    @Test func fieldsTheManifestLeavesOutAreNotManaged() throws {
        #expect(try UpdatePlanner.update(frontend, toward: LogicalSwitchCreate(name: "frontend", cidr: "10.10.0.0/24")) == nil)
    }

    @Test func differingMutableFieldsArePatched() throws {
        let desired = LogicalSwitchCreate(name: "frontend", cidr: "10.10.0.0/24", mtu: 1400, labels: ["team": "edge"])
        let update = try #require(try UpdatePlanner.update(frontend, toward: desired))
        #expect(update.mtu == 1400 && update.labels == ["team": "edge"])
    }

    @Test func aDifferentCIDRMustBeRecreated() {
        #expect(throws: SyctlError.immutableField(field: "cidr", current: "10.10.0.0/24", desired: "10.11.0.0/24")) {
            try UpdatePlanner.update(frontend, toward: LogicalSwitchCreate(name: "frontend", cidr: "10.11.0.0/24"))
        }
    }

    @Test func onlyTheQuotasTheManifestNamesAreCompared() {
        let tenant = Tenant(id: "tn-1", name: "acme", quotas: .defaults, labels: [:], revision: 1)
        #expect(UpdatePlanner.update(tenant, toward: TenantCreate(name: "acme", quotas: QuotaLimits(switches: 100))) == nil)
        let update = UpdatePlanner.update(tenant, toward: TenantCreate(name: "acme", quotas: QuotaLimits(switches: 100, ports: 5)))
        #expect(update?.quotas == QuotaLimits(switches: 100, ports: 5))
        #expect(update?.labels == nil)
    }

    @Test func aPortMovesToAnotherHostButKeepsItsAddress() throws {
        let port = Port(id: "pt-1", tenant: "tn-1", switch: "sw-1", name: "web-1", mac: "02:00:00:00:00:01", ip: "10.10.0.2",
                        host: "hs-1", labels: [:], revision: 1)
        #expect(try UpdatePlanner.update(port, toward: PortCreate(switch: "sw-1", name: "web-1", ip: "10.10.0.2", host: "hs-2"))?.host == "hs-2")
        #expect(throws: SyctlError.self) {
            try UpdatePlanner.update(port, toward: PortCreate(switch: "sw-1", name: "web-1", ip: "10.10.0.3"))
        }
    }

    @Test func aRouterGainsAnUplinkAndLosesSNAT() throws {
        let router = LogicalRouter(id: "rt-1", tenant: "tn-1", name: "r1", snat: true, transitVni: 9, labels: [:], revision: 1)
        let update = try #require(try UpdatePlanner.update(router, toward: RouterCreate(name: "r1", externalNetwork: "en-1", snat: false)))
        #expect(update.externalNetwork == "en-1" && update.snat == false && update.labels == nil)
    }

    @Test func onlyMissingInterfacesAreAttached() throws {
        let current = [RouterInterface(id: "ri-1", router: "rt-1", switch: "sw-1", ip: "10.10.0.1", revision: 1)]
        let desired = [RouterInterfaceCreate(switch: "sw-1"), RouterInterfaceCreate(switch: "sw-2", ip: "10.20.0.1")]
        #expect(try UpdatePlanner.interfacesToAttach(current, desired: desired).map(\.switch) == ["sw-2"])
        #expect(throws: SyctlError.self) {
            try UpdatePlanner.interfacesToAttach(current, desired: [RouterInterfaceCreate(switch: "sw-1", ip: "10.10.0.9")])
        }
    }

    @Test func aRouteWithAnotherNexthopIsReplaced() {
        let current = [StaticRoute(id: "rr-1", router: "rt-1", destination: "10.99.0.0/16", nexthop: "10.10.0.5", revision: 1),
                       StaticRoute(id: "rr-2", router: "rt-1", destination: "10.98.0.0/16", nexthop: "10.10.0.5", revision: 1)]
        let desired = [StaticRouteCreate(destination: "10.99.0.0/16", nexthop: "10.10.0.5"),
                       StaticRouteCreate(destination: "10.98.0.0/16", nexthop: "10.10.0.6"),
                       StaticRouteCreate(destination: "10.97.0.0/16", nexthop: "10.10.0.5")]
        let (remove, add) = UpdatePlanner.routeChanges(current, desired: desired)
        #expect(remove.map(\.id) == ["rr-2"])
        #expect(add.map(\.destination) == ["10.98.0.0/16", "10.97.0.0/16"])
    }
}
