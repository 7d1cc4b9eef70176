@testable import Compiler
import Northbound
import Testing

/// Explaining a connection to a service's VIP decides it at the endpoints the hosts translate it to.
@Suite struct PolicyServiceReachabilityTests {
    /// ``PolicyCompileTests/cloud()`` with service sv-1 on rt-a: VIP 10.96.0.10, tcp/80 to redis's 6379
    /// (np-1 lets only project front in on 6379), and a second endpoint `cache` on hs-2 no policy selects.
    static func cloud(redisOnly: Bool = true) -> DesiredState {
        var topology = Topology(state: PolicyCompileTests.cloud())
        if !redisOnly {
            topology.port("pt-0000000000000009", on: "sw-a", host: "hs-2", ip: "10.0.0.20", mac: "02:00:00:00:00:09")
            topology.state.ports["pt-0000000000000009"]!.labels = ["tier": "cache"]
        }
        topology.state.ports["pt-0000000000000001"]!.labels["tier"] = "cache"
        topology.state.services["sv-1"] = Service(id: "sv-1", tenant: "tn-a", project: nil, name: "cache", router: "rt-a", vip: "10.96.0.10",
                                                  ports: [ServicePort(protocol: .tcp, port: 80, targetPort: 6379)],
                                                  selector: ServiceSelector(labels: ["tier": "cache"]), algorithm: .random, labels: [:],
                                                  revision: 1)
        return topology.state
    }

    @Test func theEndpointsPoliciesDecideAtTheirTargetPort() {
        let evaluator = PolicyEvaluator(state: Self.cloud())
        let front = evaluator.reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .tcp, port: 80)
        #expect(front.allowed && front.service == "sv-1" && front.ingress.policy == "np-1" && front.ingress.rule == "ingress[0]",
                "front reaches redis on 6379 through the VIP's port 80: \(front)")
        let misc = evaluator.reachability(from: "pt-0000000000000003", to: "10.96.0.10", protocol: .tcp, port: 80)
        #expect(!misc.allowed && misc.ingress.policy == "np-1" && misc.ingress.reason.hasPrefix("to endpoint 10.0.0.10:6379 of service 'cache'"),
                "\(misc.ingress.reason)")
        let anyPort = evaluator.reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .any, port: nil)
        #expect(anyPort.service == "sv-1" && anyPort.allowed, "without protocol and port, the service's first port")
    }

    @Test func everyEndpointMustAllowIt() {
        var state = Self.cloud(redisOnly: false)
        let evaluator = PolicyEvaluator(state: state)
        // misc is let in by the unselected cache endpoint but not by redis: a client cannot choose.
        let misc = evaluator.reachability(from: "pt-0000000000000003", to: "10.96.0.10", protocol: .tcp, port: 80)
        #expect(!misc.allowed && misc.ingress.reason.contains("10.0.0.10:6379"))
        let front = evaluator.reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .tcp, port: 80)
        #expect(front.allowed && front.ingress.reason.hasPrefix("to each of the 2 endpoints"), "\(front.ingress.reason)")
        // With redis failing its check, misc reaches the one endpoint left.
        let healthy = PolicyEvaluator(state: state, unhealthy: ["sv-1": ["pt-0000000000000001"]])
        #expect(healthy.reachability(from: "pt-0000000000000003", to: "10.96.0.10", protocol: .tcp, port: 80).allowed)
        state.ports["pt-0000000000000009"]!.labels = [:]
        let none = PolicyEvaluator(state: state, unhealthy: ["sv-1": ["pt-0000000000000001"]])
            .reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .tcp, port: 80)
        #expect(!none.allowed && none.egress.reason.contains("no endpoint takes connections"))
    }

    @Test func otherPortsAndOtherRoutersClientsAreNotBalanced() {
        let evaluator = PolicyEvaluator(state: Self.cloud())
        #expect(evaluator.reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .tcp, port: 22).service == nil)
        #expect(evaluator.reachability(from: "pt-0000000000000002", to: "10.96.0.10", protocol: .udp, port: 80).service == nil)
        #expect(evaluator.reachability(from: "pt-0000000000000004", to: "10.96.0.10", protocol: .tcp, port: 80).service == nil,
                "beta's port is on another router's switch")
    }
}
