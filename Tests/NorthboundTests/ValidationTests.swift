import Northbound
import Testing

@Suite struct ValidationTests {
    @Test(arguments: ["a", "web-1", "0abc", String(repeating: "x", count: 63)])
    func acceptsKernelSafeNames(_ name: String) throws {
        #expect(try Validate.name(name) == name)
    }

    @Test(arguments: ["", "Web", "web_1", "-web", "web-", "web 1", "wéb", "a;b", String(repeating: "x", count: 64)])
    func refusesOtherNames(_ name: String) {
        #expect(throws: ModelError.self) { try Validate.name(name) }
    }

    @Test func labelsRefuseQuotesAndSpaces() {
        #expect(throws: ModelError.self) { try Validate.labels(["a\"b": "c"]) }
        #expect(throws: ModelError.self) { try Validate.labels(["a": "b c"]) }
        #expect(throws: Never.self) { try Validate.labels(["app.kubernetes.io/name": "web", "tier": ""]) }
    }

    @Test func switchGatewayDefaultsToFirstHostAndMustBeInside() throws {
        let addressing = try LogicalSwitchCreate(name: "s", cidr: "10.1.2.0/24").validatedAddressing()
        #expect(addressing.gateway.description == "10.1.2.1")
        #expect(addressing.mtu == 8950)
        #expect(throws: ModelError(.ipOutOfRange, field: "gateway", "gateway 10.9.9.9 is not a host address of 10.1.2.0/24")) {
            try LogicalSwitchCreate(name: "s", cidr: "10.1.2.0/24", gateway: "10.9.9.9").validatedAddressing()
        }
    }

    @Test func quotasApplyOnlyTheLimitsGiven() throws {
        let quotas = try Quotas.defaults.applying(QuotaLimits(ports: 5))
        #expect(quotas.ports == 5 && quotas.switches == Quotas.defaults.switches)
        #expect(throws: ModelError.self) { try Quotas.defaults.applying(QuotaLimits(switches: -1)) }
    }
}
