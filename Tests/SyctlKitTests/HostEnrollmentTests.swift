import Foundation
import Northbound
import SyctlKit
import Testing

@Suite struct HostEnrollmentTests {
    let token = HostEnrollmentToken(host: "hs-00000000000000a1", token: String(repeating: "ab", count: 32),
                                    joinString: "ctl.example:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "cd", count: 32))",
                                    expiresAt: "2030-01-02T03:04:05Z", revision: 12)

    @Test func tableOutputIsJustTheJoinString() throws {
        #expect(try HostEnrollment.output(token, format: .table) == token.joinString)
    }

    @Test func jsonOutputIsTheWholeToken() throws {
        let text = try HostEnrollment.output(token, format: .json)
        #expect(try JSONDecoder().decode(HostEnrollmentToken.self, from: Data(text.utf8)) == token)
        #expect(text.contains("\"joinString\" : \"ctl.example:7443/"), "slashes stay unescaped: \(text)")
    }

    @Test func noTTLLeavesTheDefaultToTheController() throws {
        #expect(try HostEnrollment.validatedTTL(nil) == nil)
    }

    @Test(arguments: [60, 3_600, 86_400, 2_592_000])
    func acceptsTheTTLsTheAPIAccepts(seconds: Int) throws {
        #expect(try HostEnrollment.validatedTTL(seconds) == seconds)
    }

    @Test(arguments: [-1, 0, 59, 2_592_001])
    func refusesOtherTTLsBeforeCallingTheAPI(seconds: Int) {
        #expect(throws: SyctlError.invalidArgument("--ttl must be 60 to 2592000 seconds (30 days), not \(seconds)")) {
            try HostEnrollment.validatedTTL(seconds)
        }
    }

    @Test func revokeSaysWhichHost() {
        let host = Northbound.Host(id: "hs-00000000000000a1", name: "hv-1", address: "192.0.2.11", role: .compute, labels: [:], revision: 4)
        #expect(HostEnrollment.revokedMessage(host) == "host/hv-1 revoked")
    }
}
