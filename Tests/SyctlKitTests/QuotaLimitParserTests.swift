import Northbound
import SyctlKit
import Testing

@Suite struct QuotaLimitParserTests {
    @Test func parsesTheDocumentedForm() throws {
        let limits = try QuotaLimitParser.parse("switches 10, ports 1000, floating-ips 100")
        #expect(limits == QuotaLimits(switches: 10, ports: 1000, floatingIps: 100))
    }

    @Test func acceptsEqualsSignsAndEveryLimitName() throws {
        let limits = try QuotaLimitParser.parse("routers=5,policies = 7 ,services 0")
        #expect(limits == QuotaLimits(routers: 5, policies: 7, services: 0))
    }

    @Test func acceptsTheOperatorsNotation() throws {
        let limits = try QuotaLimitParser.parse("sdn.floatingips 100, SDN.Switches 5, sdn.clusters 3, sdn.routes-per-router 20")
        #expect(limits == QuotaLimits(switches: 5, floatingIps: 100, routesPerRouter: 20, clusters: 3))
    }

    @Test func aRefusalNamesEveryLimitWeManage() {
        #expect {
            try QuotaLimitParser.parse("cont 4")
        } throws: { error in
            guard case SyctlError.invalidArgument(let message) = error else { return false }
            return QuotaLimitParser.names.allSatisfy(message.contains)
        }
    }

    @Test(arguments: [
        ("", "an entry is empty"),
        ("switches 10,", "an entry is empty"),
        ("bridges 4", "'bridges' is not a network quota"),
        ("vm 20, sdn.floatingips 100", "'vm' is not a network quota"),
        ("memory 2000 GB", "'memory' is not a network quota"),
        ("ephemeral-disk.capacity 500", "'ephemeral-disk.capacity' is not a network quota"),
        ("switches", "'switches' needs exactly one number"),
        ("switches 1 2", "'switches' needs exactly one number"),
        ("ports ten", "must be a non-negative integer, not 'ten'"),
        ("ports -1", "must be a non-negative integer, not '-1'"),
        ("ports 1, ports 2", "ports is given twice"),
    ])
    func refusesMalformedLimits(text: String, problem: String) {
        #expect {
            try QuotaLimitParser.parse(text)
        } throws: { error in
            guard case SyctlError.invalidArgument(let message) = error else { return false }
            return message.contains(problem) && message.hasPrefix("invalid --limit '\(text)'")
        }
    }
}
