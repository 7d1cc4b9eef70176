import Foundation
import Testing

extension EndToEnd {
    /// Load-balanced services on a 3-host cloud: connections to a VIP spread over endpoints on
    /// three hosts from clients on two, source hashing, hairpin, and tenant isolation.
    @Suite struct ServiceTests {
        /// Serves `port` in workload `name`: each connection gets `NAME PEER-ADDRESS`.
        static func startNamedServer(_ cloud: SimulatedCloud, in name: String, port: Int) async throws {
            let script = """
                import socket, threading
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", \(port)))
                s.listen(64)
                while True:
                    c, peer = s.accept()
                    c.sendall(("\(name) " + peer[0] + "\\n").encode())
                    c.close()
                """
            try await serve(script, cloud, in: name, port: port)
        }

        /// Runs the Python `script` in workload `name` until it listens on `port` (TCP, or UDP).
        static func serve(_ script: String, _ cloud: SimulatedCloud, in name: String, port: Int, udp: Bool = false) async throws {
            try SimulatedCloud.spawn(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "python3", "-c", script],
                                     log: "\(cloud.work)/server-\(name)-\(port).log")
            try await cloud.eventually("the server in \(name) listens") {
                try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "ss", udp ? "-Hlun" : "-Hltn", "sport = :\(port)"])
                    .output.contains(udp ? "UNCONN" : "LISTEN")
            }
        }

        /// `count` connections from workload `name` to `address:port`, one after another: what each
        /// answered (`NAME PEER`), or `-` for one that failed.
        static func answers(_ cloud: SimulatedCloud, from name: String, _ address: String, port: Int, count: Int) async throws -> [String] {
            try await answers(inNamespace: cloud.namespace("w-\(name)"), address, port: port, count: count)
        }

        /// The same from any namespace of the cloud.
        static func answers(inNamespace namespace: String, _ address: String, port: Int, count: Int) async throws -> [String] {
            let script = """
                import socket
                for _ in range(\(count)):
                    try:
                        s = socket.create_connection(("\(address)", \(port)), 2)
                        print(s.recv(64).decode().strip() or "-")
                        s.close()
                    except OSError:
                        print("-")
                """
            let output = try await SimulatedCloud.run(["ip", "netns", "exec", namespace, "python3", "-c", script]).output
            return output.split(separator: "\n").map(String.init)
        }

        /// Serves HTTP on `port` in workload `name`: `/` answers `NAME PEER-ADDRESS`, `/healthz` 200,
        /// or 500 while the file `flag` exists.
        static func startHTTPServer(_ cloud: SimulatedCloud, in name: String, port: Int, flag: String) async throws {
            let script = """
                import http.server, os
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        if self.path == "/healthz":
                            status, body = (500, "failing") if os.path.exists("\(flag)") else (200, "ok")
                        else:
                            status, body = 200, "\(name) " + self.client_address[0]
                        self.send_response(status)
                        self.end_headers()
                        self.wfile.write(body.encode())
                    def log_message(self, *args):
                        pass
                http.server.ThreadingHTTPServer(("0.0.0.0", \(port)), Handler).serve_forever()
                """
            try await serve(script, cloud, in: name, port: port)
        }

        /// The names of the endpoints that answered `count` HTTP requests from workload `name`
        /// (`-` for a failed one).
        static func httpAnswers(_ cloud: SimulatedCloud, from name: String, _ address: String, port: Int, count: Int) async throws -> [String] {
            let script = """
                import socket
                for _ in range(\(count)):
                    try:
                        s = socket.create_connection(("\(address)", \(port)), 2)
                        s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
                        data = b""
                        while True:
                            chunk = s.recv(4096)
                            if not chunk:
                                break
                            data += chunk
                        print(data.split(b"\\r\\n\\r\\n", 1)[1].decode().split(" ")[0] or "-")
                        s.close()
                    except (OSError, IndexError):
                        print("-")
                """
            let output = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "python3", "-c", script]).output
            return output.split(separator: "\n").map(String.init)
        }

        /// A cloud of `hosts` hosts with tenant acme's switch web (10.0.0.0/24) on router r1, an
        /// endpoint `eN` labelled app=web on each host serving HTTP on 8080 (`/healthz` fails while
        /// the file `WORK/eN.fail` exists), and a client `c` on host 1. The tenant's and router's ids.
        static func webCloud(_ cloud: SimulatedCloud, hosts: Int) async throws -> (tenant: String, router: String) {
            try await cloud.start(hostCount: hosts)
            let tenant = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
            let web = try await cloud.api("POST", "/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
            let router = try await cloud.api("POST", "/routers", ["tenant": tenant, "name": "r1"])["id"] as? String ?? ""
            _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": web])
            for index in 1...hosts {
                try await cloud.port("e\(index)", on: web, host: index, ip: "10.0.0.1\(index)", fields: ["labels": ["app": "web"]])
                try await startHTTPServer(cloud, in: "e\(index)", port: 8080, flag: "\(cloud.work)/e\(index).fail")
            }
            try await cloud.port("c", on: web, host: 1, ip: "10.0.0.21")
            return (tenant, router)
        }

        /// SIGKILLs every process in workload `name`.
        static func stopServers(_ cloud: SimulatedCloud, in name: String) async throws {
            for pid in try await SimulatedCloud.run(["ip", "netns", "pids", cloud.namespace("w-\(name)")]).output.split(separator: "\n")
                .compactMap({ Int32($0) }) where pid > 1 {
                kill(pid, SIGKILL)
            }
        }

        @Test func healthChecksTakeAFailingEndpointOutWithinIntervalTimesFallAndBringItBack() async throws {
            try await SimulatedCloud.withCloud { cloud in
                let (tenant, router) = try await Self.webCloud(cloud, hosts: 3)
                let check: [String: Any] = ["type": "http", "path": "/healthz", "interval": 1, "timeout": 1, "rise": 2, "fall": 2]
                let service = try await cloud.api("POST", "/services?wait=realized&timeout=10s", [
                    "tenant": tenant, "name": "web", "router": router, "ports": [["protocol": "tcp", "port": 80, "targetPort": 8080]],
                    "selector": ["labels": ["app": "web"]], "healthCheck": check,
                ])
                let (id, vip) = (service["id"] as? String ?? "", service["vip"] as? String ?? "")
                try await cloud.eventually("every endpoint reports healthy") {
                    let items = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                    return items.count == 3 && items.allSatisfy { ($0["health"] as? [String: Any])?["healthy"] as? Bool == true }
                }
                #expect(Set(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 30)) == ["e1", "e2", "e3"])

                // /healthz answers 500 on e2: out after interval × fall (2 s) plus at most 1 s.
                _ = FileManager.default.createFile(atPath: "\(cloud.work)/e2.fail", contents: nil)
                let failed = ContinuousClock.now
                try await cloud.eventually("e2 takes no more connections", timeout: .seconds(10)) {
                    !(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 30)).contains("e2")
                }
                let out = ContinuousClock.now - failed
                #expect(out < .seconds(4), "e2 left the balancing \(out) after failing")
                #expect(!(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 30)).contains("e2"))
                let listed = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                let e2 = (listed.first { $0["ip"] as? String == "10.0.0.12" }?["health"] as? [String: Any]) ?? [:]
                #expect(e2["healthy"] as? Bool == false)
                #expect((e2["output"] as? String)?.contains("500") == true, "\(e2)")
                // A trace to the VIP follows an endpoint that takes connections and counts the one out.
                let client = (try await cloud.api("GET", "/ports?name=c")["items"] as? [[String: Any]])?.first?["id"] as? String ?? ""
                let trace = try await cloud.api("GET", "/trace?from=\(client)&to=\(vip)&protocol=tcp&port=80")
                let balanced = trace.hops.first { $0["kind"] as? String == "service" }?["detail"] as? String ?? ""
                let e1 = listed.first { $0["ip"] as? String == "10.0.0.11" }?["port"] as? String
                #expect(trace["verdict"] as? String == "delivered" && balanced.contains("over 2 endpoints (1 failing their health check)")
                    && e1 != nil && trace.hops.last?["object"] as? String == e1, "\(trace)")

                // It comes back after rise passes.
                try FileManager.default.removeItem(atPath: "\(cloud.work)/e2.fail")
                try await cloud.eventually("e2 takes connections again", timeout: .seconds(10)) {
                    try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 15).contains("e2")
                }

                // A TCP check: a stopped server takes its endpoint out.
                _ = try await cloud.api("PATCH", "/services/\(id)?wait=realized&timeout=10s",
                                        ["healthCheck": ["type": "tcp", "interval": 1, "timeout": 1, "rise": 2, "fall": 2]])
                try await Self.stopServers(cloud, in: "e3")
                try await cloud.eventually("e3 is out and the others answer", timeout: .seconds(10)) {
                    Set(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 15)) == ["e1", "e2"]
                }

                // A policy closing the endpoints to every client leaves their checks alone: they come
                // from the router's own address on the switch, as kubelet probes do from the node.
                _ = try await cloud.api("POST", "/policies", ["tenant": tenant, "name": "closed",
                                                              "appliesTo": ["labels": ["app": "web"]], "ingress": [[String: Any]]()])
                try await cloud.eventually("the policy closes e1 to the client") {
                    try await Self.httpAnswers(cloud, from: "c", "10.0.0.11", port: 8080, count: 1) == ["-"]
                }
                // Explain decides a connection to the VIP at the endpoints, as the hosts just did.
                #expect(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 1) == ["-"])
                let explained = try await cloud.api("GET", "/reachability?from=\(client)&to=\(vip)&protocol=tcp&port=80")
                let ingress = explained["ingress"] as? [String: Any] ?? [:]
                #expect(explained["allowed"] as? Bool == false && explained["service"] as? String == id
                    && ingress["policyName"] as? String == "closed", "\(explained)")
                try await Task.sleep(for: .seconds(3))
                let checked = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                for address in ["10.0.0.11", "10.0.0.12"] {
                    let verdict = checked.first { $0["ip"] as? String == address }?["health"] as? [String: Any]
                    #expect(verdict?["healthy"] as? Bool == true, "\(address): \(verdict ?? [:])")
                }
            }
        }

        @Test func scriptAndContainerChecksRunAsNobodyAndTakeADeadEndpointOut() async throws {
            try await SimulatedCloud.withCloud { cloud in
                let (tenant, router) = try await Self.webCloud(cloud, hosts: 2)
                // The script reaches the endpoint from the host (its router's side) by the address and port it is given.
                let script = "import os, socket; socket.create_connection((os.environ['SWITCHYARD_ENDPOINT_IP'], "
                    + "int(os.environ['SWITCHYARD_ENDPOINT_PORT'])), 1); print('uid', os.getuid(), 'reached', os.environ['SWITCHYARD_ENDPOINT_IP'])"
                let service = try await cloud.api("POST", "/services?wait=realized&timeout=10s", [
                    "tenant": tenant, "name": "web", "router": router, "ports": [["protocol": "tcp", "port": 80, "targetPort": 8080]],
                    "selector": ["labels": ["app": "web"]],
                    "healthCheck": ["type": "script", "command": ["/usr/bin/python3", "-c", script], "interval": 1, "rise": 1, "fall": 1],
                ])
                let (id, vip) = (service["id"] as? String ?? "", service["vip"] as? String ?? "")
                func health(_ address: String) async throws -> [String: Any] {
                    let items = try await cloud.api("GET", "/services/\(id)/endpoints")["items"] as? [[String: Any]] ?? []
                    return items.first { $0["ip"] as? String == address }?["health"] as? [String: Any] ?? [:]
                }
                try await cloud.eventually("the script passes for e1") {
                    (try await health("10.0.0.11")["output"] as? String)?.contains("exit 0: uid 65534 reached 10.0.0.11") == true
                }

                // e2's server dies: the script fails there and e2 goes out.
                try await Self.stopServers(cloud, in: "e2")
                try await cloud.eventually("the script fails for e2", timeout: .seconds(10)) {
                    try await health("10.0.0.12")["healthy"] as? Bool == false
                }
                try await cloud.eventually("only e1 answers", timeout: .seconds(10)) {
                    Set(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 10)) == ["e1"]
                }

                // A container check runs in the endpoint's own namespace, where its server is on 127.0.0.1.
                let local = "import socket; socket.create_connection(('127.0.0.1', 8080), 1); print('local server up')"
                _ = try await cloud.api("PATCH", "/services/\(id)?wait=realized&timeout=10s", [
                    "healthCheck": ["type": "container", "command": ["/usr/bin/python3", "-c", local], "interval": 1, "rise": 1, "fall": 1],
                ])
                try await cloud.eventually("the container check passes in e1 and fails in e2", timeout: .seconds(10)) {
                    let (first, second) = (try await health("10.0.0.11"), try await health("10.0.0.12"))
                    return (first["output"] as? String)?.contains("local server up") == true && first["healthy"] as? Bool == true
                        && second["healthy"] as? Bool == false
                }
                #expect(Set(try await Self.httpAnswers(cloud, from: "c", vip, port: 80, count: 10)) == ["e1"])
            }
        }

        /// What `count` datagrams from workload `name`, all from UDP port 40000 and a quarter second
        /// apart, got back (`-` for none).
        static func udpAnswers(_ cloud: SimulatedCloud, from name: String, _ address: String, port: Int, count: Int) async throws -> [String] {
            let script = """
                import socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", 40000))
                s.settimeout(0.25)
                for _ in range(\(count)):
                    s.sendto(b"who", ("\(address)", \(port)))
                    try:
                        print(s.recv(64).decode(), flush=True)
                        time.sleep(0.25)
                    except OSError:
                        print("-", flush=True)
                """
            let output = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("w-\(name)"), "python3", "-c", script]).output
            return output.split(separator: "\n").map(String.init)
        }

        @Test func aUDPFlowMovesToTheNewEndpointWhenItsEndpointIsReplaced() async throws {
            try await SimulatedCloud.withCloud { cloud in
                let (tenant, router) = try await Self.webCloud(cloud, hosts: 2)
                for name in ["e1", "e2"] {
                    try await Self.serve("""
                        import socket
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        s.bind(("0.0.0.0", 5353))
                        while True:
                            data, peer = s.recvfrom(64)
                            s.sendto(b"\(name)", peer)
                        """, cloud, in: name, port: 5353, udp: true)
                }
                let ports = try await cloud.api("GET", "/ports?label=app=web")["items"] as? [[String: Any]] ?? []
                let e2 = ports.first { $0["name"] as? String == "e2" }?["id"] as? String ?? ""
                let e1 = ports.first { $0["name"] as? String == "e1" }?["id"] as? String ?? ""
                _ = try await cloud.api("PATCH", "/ports/\(e2)?wait=realized&timeout=10s", ["labels": ["app": "spare"]])
                let service = try await cloud.api("POST", "/services?wait=realized&timeout=10s", [
                    "tenant": tenant, "name": "dns", "router": router, "ports": [["protocol": "udp", "port": 53, "targetPort": 5353]],
                    "selector": ["labels": ["app": "web"]],
                ])
                let vip = service["vip"] as? String ?? ""
                #expect(Set(try await Self.udpAnswers(cloud, from: "c", vip, port: 53, count: 5)) == ["e1"])

                // e1 is replaced by e2 while the client's flow (one source port, a datagram every
                // quarter second) keeps its conntrack entry alive.
                let flow = Task { try await Self.udpAnswers(cloud, from: "c", vip, port: 53, count: 24) }
                try await Task.sleep(for: .seconds(2))
                _ = try await cloud.api("PATCH", "/ports/\(e2)?wait=realized&timeout=10s", ["labels": ["app": "web"]])
                _ = try await cloud.api("PATCH", "/ports/\(e1)?wait=realized&timeout=10s", ["labels": ["app": "spare"]])
                let answers = try await flow.value
                #expect(answers.first == "e1", "\(answers)")
                #expect(answers.suffix(4).allSatisfy { $0 == "e2" }, "the flow stayed on the endpoint that left: \(answers)")
            }
        }

        @Test func connectionsSpreadOverEndpointsOnThreeHostsWithHairpinAndIsolation() async throws {
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 3)
                let tenant = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let web = try await cloud.api("POST", "/switches", ["tenant": tenant, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let app = try await cloud.api("POST", "/switches", ["tenant": tenant, "name": "app", "cidr": "10.1.0.0/24"])["id"] as? String ?? ""
                let router = try await cloud.api("POST", "/routers", ["tenant": tenant, "name": "r1"])["id"] as? String ?? ""
                for sw in [web, app] { _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": sw]) }
                let echo = ["labels": ["app": "echo"]]
                // e1 shares host 1 and its switch with client c1, e2 shares host 2 and its switch with c2,
                // e3 is on c1's switch on a third host.
                try await cloud.port("e1", on: web, host: 1, ip: "10.0.0.11", fields: echo)
                try await cloud.port("e2", on: app, host: 2, ip: "10.1.0.12", fields: echo)
                try await cloud.port("e3", on: web, host: 3, ip: "10.0.0.13", fields: echo)
                try await cloud.port("c1", on: web, host: 1, ip: "10.0.0.21")
                try await cloud.port("c2", on: app, host: 2, ip: "10.1.0.22")
                for name in ["e1", "e2", "e3"] { try await Self.startNamedServer(cloud, in: name, port: 8080) }

                let created = try await cloud.syctl(["service", "create", "echo", "--tenant", "acme", "--router", "r1",
                                                     "--port", "80:8080/tcp", "--selector", "app=echo", "-o", "json"]).output
                let service = try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any] ?? [:]
                let id = service["id"] as? String ?? ""
                let vip = service["vip"] as? String ?? ""
                #expect(vip == "10.96.0.1", "the first address of the service range")
                let listed = try await cloud.syctl(["get", "endpoints", "echo", "--tenant", "acme"]).output
                for address in ["10.0.0.11", "10.1.0.12", "10.0.0.13"] { #expect(listed.contains(address), "\(listed)") }
                #expect(!listed.contains("10.0.0.21"))
                try await cloud.eventually("the service is realized") {
                    ((try await cloud.api("GET", "/services/\(id)"))["status"] as? [String: Any])?["realized"] as? Bool == true
                }

                // 300 connections from two clients on two hosts reach all three endpoints, each
                // seeing the client's own address.
                var counts: [String: Int] = [:]
                for (client, address) in [("c1", "10.0.0.21"), ("c2", "10.1.0.22")] {
                    for answer in try await Self.answers(cloud, from: client, vip, port: 80, count: 150) {
                        let words = answer.split(separator: " ").map(String.init)
                        #expect(words.count == 2 && words[1] == address, "\(client) got '\(answer)'")
                        counts[words.first ?? "-", default: 0] += 1
                    }
                }
                #expect(counts["-"] == nil, "failed connections: \(counts)")
                for name in ["e1", "e2", "e3"] {
                    let share = Double(counts[name] ?? 0) / 300
                    #expect(share >= 0.20 && share <= 0.47, "\(name) took \(counts[name] ?? 0) of 300: \(counts)")
                }

                // Hairpin: an endpoint reaches its own service; when it lands on itself it sees the VIP.
                let own = try await Self.answers(cloud, from: "e1", vip, port: 80, count: 30)
                #expect(!own.contains("-"), "e1 failed to reach its own service: \(own)")
                #expect(own.contains("e1 \(vip)"), "e1 never landed on itself in 30 tries: \(own)")
                #expect(own.contains { $0.hasPrefix("e3 ") } || own.contains { $0.hasPrefix("e2 ") })

                // source-hash: one client sticks to one endpoint.
                _ = try await cloud.api("PATCH", "/services/\(id)?wait=realized&timeout=10s", ["algorithm": "source-hash"])
                let sticky = Set(try await Self.answers(cloud, from: "c2", vip, port: 80, count: 20))
                #expect(sticky.count == 1 && !sticky.contains("-"), "source-hash spread c2 over \(sticky)")

                // Another tenant on the same hosts, with the same subnet, does not reach the VIP.
                let other = try await cloud.api("POST", "/tenants", ["name": "globex"])["id"] as? String ?? ""
                let otherWeb = try await cloud.api("POST", "/switches", ["tenant": other, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                let otherRouter = try await cloud.api("POST", "/routers", ["tenant": other, "name": "r1"])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(otherRouter)/interfaces", ["switch": otherWeb])
                try await cloud.port("g", on: otherWeb, host: 1, ip: "10.0.0.21")
                #expect(try await Self.answers(cloud, from: "g", vip, port: 80, count: 2) == ["-", "-"])

                // A VIP is no way around its endpoints' policies: closed to all ingress, none answers.
                let closed = try await cloud.api("POST", "/policies", ["tenant": tenant, "name": "closed",
                                                                        "appliesTo": ["labels": ["app": "echo"]], "ingress": [[String: Any]]()])
                try await cloud.eventually("the endpoints' policy closes the VIP too") {
                    try await Self.answers(cloud, from: "c1", vip, port: 80, count: 6) == Array(repeating: "-", count: 6)
                }
                _ = try await cloud.api("DELETE", "/policies/\(closed["id"] as? String ?? "")")
                try await cloud.eventually("the VIP answers again") {
                    try await !Self.answers(cloud, from: "c1", vip, port: 80, count: 3).contains("-")
                }

                // Deleting the service stops the load balancing on every host.
                _ = try await cloud.api("DELETE", "/services/\(id)")
                try await cloud.eventually("the VIP no longer answers") {
                    try await Self.answers(cloud, from: "c1", vip, port: 80, count: 1) == ["-"]
                }
                for index in 1...3 {
                    let tables = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("hv\(index)"), "nft", "list", "tables"]).output
                    #expect(!tables.contains("sy-lb"), "hv\(index) kept its load-balancing table")
                }
            }
        }
    }
}
