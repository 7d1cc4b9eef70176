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

    @Test(arguments: [
        ("", "an entry is empty"),
        ("switches 10,", "an entry is empty"),
        ("bridges 4", "unknown limit 'bridges'"),
        ("floatingIps 4", "unknown limit 'floatingIps'"),
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
