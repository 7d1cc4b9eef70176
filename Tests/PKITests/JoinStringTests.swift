import PKI
import Testing

@Suite struct JoinStringTests {
    let secret = String(repeating: "ab", count: 32)
    let hash = String(repeating: "0f", count: 32)

    @Test(arguments: ["controller.example", "10.0.0.1", "fd00::1"])
    func joinStringRoundTrips(host: String) throws {
        let fingerprint = try CertificateFingerprint(parsing: "sha256:" + hash)
        let join = try JoinString(controllerHost: host, controllerPort: 7443, tokenSecret: secret, caFingerprint: fingerprint)
        let text = join.description
        #expect(try JoinString(parsing: text) == join)
        #expect(text.hasSuffix("/\(secret)/sha256:\(hash)"))
    }

    @Test func joinStringReadsItsParts() throws {
        let join = try JoinString(parsing: "[fd00::1]:7443/\(secret)/sha256:\(hash)")
        #expect(join.controllerHost == "fd00::1")
        #expect(join.controllerPort == 7443)
        #expect(join.tokenSecret == secret)
        #expect(join.caFingerprint.description == "sha256:" + hash)
    }

    @Test func aJoinStringListsSeveralControllersInOrder() throws {
        let join = try JoinString(parsing: "c1.example:7443,[fd00::2]:7444,10.0.0.3:7445/\(secret)/sha256:\(hash)")
        #expect(join.controllers.map(\.host) == ["c1.example", "fd00::2", "10.0.0.3"])
        #expect(join.controllers.map(\.port) == [7443, 7444, 7445])
        #expect(join.controllerHost == "c1.example" && join.controllerPort == 7443)
        #expect(try JoinString(parsing: join.description) == join)
        #expect(join.description.hasPrefix("c1.example:7443,[fd00::2]:7444,10.0.0.3:7445/"))
        for bad in [",c1:7443", "c1:7443,", "c1:7443,,c2:7443", "c1:7443,c2"] {
            #expect(throws: PKIError.self, "\(bad)") { try JoinString(parsing: "\(bad)/\(secret)/sha256:\(hash)") }
        }
        let seventeen = (1...17).map { "c\($0):7443" }.joined(separator: ",")
        #expect(throws: PKIError.self) { try JoinString(parsing: "\(seventeen)/\(secret)/sha256:\(hash)") }
    }

    @Test func fingerprintMatchesOnlyItsCertificate() throws {
        let authority = try CertificateAuthority.create()
        let fingerprint = try authority.fingerprint
        #expect(fingerprint.matches(authority.certificate))
        #expect(!fingerprint.matches(try CertificateAuthority.create().certificate))
        #expect(try CertificateFingerprint(parsing: fingerprint.description) == fingerprint)
    }

    @Test(arguments: [
        "",
        "controller:7443/\(String(repeating: "ab", count: 32))",
        "controller/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "controller:0/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "controller:70000/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "controller:+443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        ":7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "bad host:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "fd00::1:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "[fd00::1]7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "[controller]:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "controller:7443/short/sha256:\(String(repeating: "0f", count: 32))",
        "controller:7443/\(String(repeating: "AB", count: 32))/sha256:\(String(repeating: "0f", count: 32))",
        "controller:7443/\(String(repeating: "ab", count: 32))/\(String(repeating: "0f", count: 32))",
        "controller:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 31))",
        "controller:7443/\(String(repeating: "ab", count: 32))/sha1:\(String(repeating: "0f", count: 20))",
        "controller:7443/\(String(repeating: "ab", count: 32))/sha256:\(String(repeating: "0f", count: 32))/extra",
    ])
    func malformedJoinStringsAreRefused(text: String) {
        #expect(throws: PKIError.self) { try JoinString(parsing: text) }
    }
}
