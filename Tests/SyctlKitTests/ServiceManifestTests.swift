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
        #expect(body.type == nil && body.externalIp == nil)
    }

    @Test func anExternalServiceManifestNamesItsTypeAndMayNameItsAddress() throws {
        let entries = try ManifestParser.parse("""
            kind: Service
            name: web
            router: r1
            type: external
            externalIp: 203.0.113.20
            ports: [{protocol: tcp, port: 443}]
            """)
        guard case .service(let body) = entries.first?.object else {
            Issue.record("not a service: \(entries)")
            return
        }
        #expect(body.type == .external && body.externalIp == "203.0.113.20")
        #expect(throws: (any Error).self) { try ManifestParser.parse("kind: Service\nname: web\nrouter: r1\nports: []\ntype: public\n") }
        #expect(throws: (any Error).self) { try ManifestParser.parse("kind: Service\nname: web\nrouter: r1\nports: []\nexternalIp: 1.2.3\n") }
    }
}

@Suite struct HealthCheckParserTests {
    @Test func checkArgumentsReadAsTypePortAndPath() throws {
        #expect(try HealthCheckParser.parse("tcp", command: []) == HealthCheck(type: .tcp))
        #expect(try HealthCheckParser.parse("tcp:9000", command: []) == HealthCheck(type: .tcp, port: 9000))
        #expect(try HealthCheckParser.parse("http:/healthz", command: []) == HealthCheck(type: .http, path: "/healthz"))
        #expect(try HealthCheckParser.parse("HTTP:8081/ready", command: []) == HealthCheck(type: .http, port: 8081, path: "/ready"))
        #expect(try HealthCheckParser.parse("script", command: ["/bin/check", "-q"]) == HealthCheck(type: .script, command: ["/bin/check", "-q"]))
        for (bad, command) in [("ping", []), ("tcp:/x", []), ("script", []), ("tcp", ["/bin/true"]), ("http:x", []), ("container:/x", ["a"])] {
            #expect(throws: SyctlError.self, "\(bad)") { try HealthCheckParser.parse(bad, command: command) }
        }
    }
}
