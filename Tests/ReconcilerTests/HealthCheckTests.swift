@testable import Agent
import Kernel
import Southbound
import Testing

/// The agent's side of health checks: counting verdicts, reading HTTP answers, and which
/// endpoints a host checks from where.
@Suite struct HealthCheckTests {
    @Test func anEndpointGoesOutAfterFallFailuresAndBackAfterRisePasses() {
        var tally = HealthTally()
        #expect(tally.healthy, "a new endpoint takes connections at once")
        var changes: [Bool] = []
        for passed in [false, true, false, false, false, true, true] {
            changes.append(tally.record(passed: passed, rise: 2, fall: 3))
        }
        #expect(changes == [false, false, false, false, true, false, true], "a pass breaks a run of failures; 3 take it out, 2 bring it back")
        #expect(tally.healthy)
    }

    @Test func anHTTPAnswerPassesOnA2xxOrTheExpectedStatus() {
        let ok = Array("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody".utf8)
        #expect(HealthProbe.verdict(http: ok, expect: nil) == (true, "HTTP/1.0 200 OK"))
        #expect(HealthProbe.verdict(http: Array("HTTP/1.1 500 Internal Server Error\r\n\r\n".utf8), expect: nil).passed == false)
        #expect(HealthProbe.verdict(http: Array("HTTP/1.1 503 Busy\r\n\r\n".utf8), expect: 503).passed)
        #expect(HealthProbe.verdict(http: ok, expect: 204).passed == false)
        #expect(HealthProbe.verdict(http: Array("SSH-2.0-OpenSSH\r\n".utf8), expect: nil).passed == false)
    }

    @Test func onlyLocalEndpointsOfCheckedServicesAreCheckedFromTheirRoutersNamespace() async {
        var state = LoadBalancerTests.state()
        #expect(HealthChecker.targets(state, routerNamespacePrefix: "syrt-").isEmpty, "no check, nothing to run")
        let check = HealthCheckState(type: "http", port: 8080, path: "/healthz", interval: 1, timeout: 1, rise: 2, fall: 2)
        state.services?["sv-web"]?.healthCheck = check
        let targets = HealthChecker.targets(state, routerNamespacePrefix: "syrt-")
        #expect(targets == ["sv-web/\(LoadBalancerTests.localPort)": HealthChecker.Target(
            service: "sv-web", port: LoadBalancerTests.localPort, address: "10.0.0.5", check: check, namespace: "syrt-rt-1")])

        let kernel = FakeKernel()
        await kernel.answerProbes(to: "10.0.0.5", port: 8080, in: "syrt-rt-1", with: Array("HTTP/1.0 500 Oops\r\n\r\n".utf8))
        #expect(await HealthProbe.run(check, address: "10.0.0.5", namespace: "syrt-rt-1", kernel: kernel) == (false, "HTTP/1.0 500 Oops"))
        let tcp = HealthCheckState(type: "tcp", port: 8080, interval: 1, timeout: 1, rise: 2, fall: 2)
        #expect(await HealthProbe.run(tcp, address: "10.0.0.5", namespace: "syrt-rt-1", kernel: kernel).passed)
        #expect(await HealthProbe.run(tcp, address: "10.0.0.6", namespace: "syrt-rt-1", kernel: kernel).passed == false)
    }
}
