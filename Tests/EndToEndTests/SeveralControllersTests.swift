import Foundation
import Testing
import TestSupport

extension EndToEnd {
    /// Three controllers on one PostgreSQL database serve a cloud of four hosts: writes go through
    /// each; when the edge-failover leader and then the controller serving most agents are
    /// SIGKILLed, the API answers through the others, every agent is on a survivor within 5 s,
    /// a ping at 100 packets a second between workloads loses nothing, and every acknowledged write
    /// is there.
    @Suite struct SeveralControllersTests {
        /// Creates unbound ports until `stop`, each through the next controller that answers (as a
        /// client behind a load balancer would); returns the ids acknowledged and how many writes
        /// no controller took.
        static func write(_ cloud: SimulatedCloud, on sw: String, controllers: [Int], until stop: ContinuousClock.Instant) async -> ([String], Int) {
            var (acknowledged, refused) = ([String](), 0)
            var attempt = 0
            while ContinuousClock.now < stop {
                attempt += 1
                var id: String?
                for offset in controllers.indices where id == nil {
                    let controller = controllers[(attempt + offset) % controllers.count]
                    // A name of its own per try: a controller killed after its commit never answers.
                    id = try? await cloud.api("POST", "/ports", ["switch": sw, "name": "w\(attempt)-\(offset)"], via: controller)["id"] as? String
                }
                if let id { acknowledged.append(id) } else { refused += 1 }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (acknowledged, refused)
        }

        /// Kills `controller` and returns how long it took until the survivors serve every agent.
        static func kill(_ controller: Int, of processes: [ChildProcess.Launched], survivors: [Int], cloud: SimulatedCloud,
                         agents: Int) async throws -> Duration {
            processes[controller - 1].kill()
            let killed = ContinuousClock.now
            try await cloud.eventually("the survivors \(survivors) serve all \(agents) agents", timeout: .seconds(10)) {
                await cloud.agentsServed(by: survivors).values.reduce(0, +) == agents
            }
            return ContinuousClock.now - killed
        }

        @Test func killingTheLeaderAndTheBusiestControllerStopsNeitherTheAPINorForwarding() async throws {
            try await SimulatedCloud.withCloud { cloud in
                // Hosts 1 and 4 dial controller 1 first, host 2 controller 2, host 3 controller 3.
                let processes = try await cloud.startShared(controllers: 3, hostCount: 4) { ($0 - 1) % 3 + 1 }
                let tenant = try await cloud.api("POST", "/tenants", ["name": "acme"], via: 2)["id"] as? String ?? ""
                let web = try await cloud.api("POST", "/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/16"], via: 3)["id"] as? String ?? ""
                // Each port is written through a controller other than its host's agent's, and is
                // reported realized there once that agent acked it.
                for (name, host, ip, via) in [("a", 1, "10.0.0.10", 2), ("b", 2, "10.0.0.11", 3), ("c", 3, "10.0.0.12", 1), ("d", 4, "10.0.0.13", 2)] {
                    let port = try await cloud.api("POST", "/ports?wait=realized&timeout=10s",
                                                   ["switch": web, "name": name, "host": cloud.hosts[host - 1], "ip": ip], via: via)
                    #expect((port["status"] as? [String: Any])?["realized"] as? Bool == true, "port \(name) written through \(via): \(port)")
                    try await cloud.workload(name, port: port["id"] as? String ?? "", onHost: host)
                }
                try await cloud.eventually("a reaches b and c reaches d") {
                    let ab = await cloud.pings(from: "a", "10.0.0.11")
                    let cd = await cloud.pings(from: "c", "10.0.0.13")
                    return ab && cd
                }
                for index in 1...4 {
                    try await cloud.eventually("agent \(index) knows every controller") {
                        let known = (try? String(contentsOfFile: "\(cloud.work)/hv\(index)/controller", encoding: .utf8)) ?? ""
                        return (1...3).allSatisfy { known.contains("198.18.0.\($0):7443") }
                    }
                }
                let leader = try #require(await (1...3).asyncFirst { await cloud.leads($0) }, "one controller leads")

                // 100 packets a second for 25 s, from a (host 1) to b (host 2) and from c to d.
                async let ab = SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-a"), "ping", "-q", "-i", "0.01", "-c", "2500",
                                                   "-W", "1", "10.0.0.11"], check: false)
                async let cd = SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-c"), "ping", "-q", "-i", "0.01", "-c", "2500",
                                                   "-W", "1", "10.0.0.13"], check: false)
                async let writes = Self.write(cloud, on: web, controllers: [1, 2, 3], until: .now + .seconds(20))
                try await Task.sleep(for: .seconds(3))

                var survivors = [1, 2, 3].filter { $0 != leader }
                let afterLeader = try await Self.kill(leader, of: processes, survivors: survivors, cloud: cloud, agents: 4)
                #expect(afterLeader < .seconds(5), "agents moved off the leader \(leader) in \(afterLeader)")
                try await cloud.eventually("a survivor leads", timeout: .seconds(10)) {
                    await survivors.asyncFirst { await cloud.leads($0) } != nil
                }
                try await Task.sleep(for: .seconds(3))
                let served = await cloud.agentsServed(by: survivors)
                let busiest = try #require(survivors.max { served[$0, default: 0] < served[$1, default: 0] })
                survivors.removeAll { $0 == busiest }
                let afterBusiest = try await Self.kill(busiest, of: processes, survivors: survivors, cloud: cloud, agents: 4)
                #expect(afterBusiest < .seconds(5), "agents moved off the busiest controller \(busiest) (\(served)) in \(afterBusiest)")
                let survivor = survivors[0]
                print("agents moved off the leader in \(afterLeader), off the busiest controller in \(afterBusiest)")
                #expect(await cloud.leads(survivor), "the last controller leads")

                let (acknowledged, refused) = await writes
                #expect(refused == 0, "\(refused) writes found no controller to take them")
                for (pair, ping) in [("a to b", try await ab.output), ("c to d", try await cd.output)] {
                    #expect(ping.contains("2500 received"), "packets lost from \(pair) across the kills: \(ping)")
                }
                for id in acknowledged {
                    #expect(try await cloud.api("GET", "/ports/\(id)", via: survivor)["id"] as? String == id, "acknowledged port \(id) is gone")
                }

                // The survivor takes new work for every host, wherever its agent is connected.
                let port = try await cloud.api("POST", "/ports?wait=realized&timeout=10s",
                                               ["switch": web, "name": "e", "host": cloud.hosts[2], "ip": "10.0.200.14"], via: survivor)
                #expect((port["status"] as? [String: Any])?["realized"] as? Bool == true, "\(port)")
                try await cloud.workload("e", port: port["id"] as? String ?? "", onHost: 3)
                try await cloud.eventually("a reaches the workload created after the kills") { await cloud.pings(from: "a", "10.0.200.14") }
            }
        }
    }
}

extension Sequence {
    /// The first element for which `predicate` holds, checked in order.
    func asyncFirst(where predicate: (Element) async -> Bool) async -> Element? {
        for element in self where await predicate(element) { return element }
        return nil
    }
}
