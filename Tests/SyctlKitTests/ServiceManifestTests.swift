import Northbound
import SyctlKit
import Testing

/// `syctl service create --port` and `kind: Service` in manifests.
@Suite struct ServiceManifestTests {
    @Test func portArgumentsReadAsPortTargetAndProtocol() throws {
        #expect(try ServicePortParser.parse("80:8080/tcp") == ServicePort(protocol: .tcp, port: 80, targetPort: 8080))
        #expect(try ServicePortParser.parse("53/UDP") == ServicePort(protocol: .udp, port: 53))
        #expect(try ServicePortParser.parse("443") == ServicePort(protocol: .tcp, port: 443))
        for bad in ["", "80:", "x/tcp", "80/sctp", "80:81:82", "80/tcp/udp"] {
            #expect(throws: SyctlError.self, "\(bad)") { try ServicePortParser.parse(bad) }
        }
    }

    @Test func aServiceManifestReadsAsTheAPITakesIt() throws {
        let entries = try ManifestParser.parse("""
            kind: Service
            name: web
            tenant: acme
            router: r1
            ports: [{protocol: tcp, port: 80, targetPort: 8080}]
            selector: {labels: {app: web}, project: front-end}
            algorithm: source-hash
            """)
        guard case .service(let body) = entries.first?.object else {
            Issue.record("not a service: \(entries)")
            return
        }
        #expect(body.router == "r1" && body.tenant == "acme" && body.vip == nil)
        #expect(body.ports == [ServicePort(protocol: .tcp, port: 80, targetPort: 8080)])
        #expect(body.selector == ServiceSelector(labels: ["app": "web"], project: "front-end"))
        #expect(body.algorithm == .sourceHash)
        #expect(throws: (any Error).self) { try ManifestParser.parse("kind: Service\nname: web\nrouter: r1\nports: []\nalgorithm: fastest\n") }
    }
}
