import Foundation
import Testing

extension EndToEnd {
    /// The CNI plugin run as a runtime runs it (literal environment, configuration on stdin)
    /// against real agents on a 2-host cloud: every command and the spec's error paths, results
    /// checked against the spec, ports created and deleted through the hosts' sessions, real packets.
    @Suite struct CNITests {
        /// The spec's result, as its JSON schema describes it: interfaces with names, the
        /// container's with the sandbox; ips with an address in CIDR form pointing at an interface.
        static func specProblems(_ result: [String: Any], version: String, sandbox: String) -> [String] {
            var problems: [String] = []
            if result["cniVersion"] as? String != version { problems.append("cniVersion \(result["cniVersion"] ?? "nil")") }
            let interfaces = result["interfaces"] as? [[String: Any]] ?? []
            if interfaces.isEmpty || interfaces.contains(where: { ($0["name"] as? String ?? "").isEmpty }) { problems.append("interfaces") }
            let ips = result["ips"] as? [[String: Any]] ?? []
            for ip in ips {
                let address = ip["address"] as? String ?? ""
                if !address.contains("/") { problems.append("address \(address) without prefix") }
                guard let index = ip["interface"] as? Int, interfaces.indices.contains(index) else { problems.append("interface index"); continue }
                if interfaces[index]["sandbox"] as? String != sandbox { problems.append("ip not on the sandbox interface") }
            }
            if ips.isEmpty { problems.append("no ips") }
            for route in result["routes"] as? [[String: Any]] ?? [] where !((route["dst"] as? String)?.contains("/") ?? false) {
                problems.append("route without dst")
            }
            return problems
        }

        @Test func everyCommandAndErrorPathAgainstRealAgents() async throws {
            try #require(SimulatedCloud.isRoot, "needs root for network namespaces")
            try await SimulatedCloud.withCloud { cloud in
                try await cloud.start(hostCount: 2)
                let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
                let webSwitch = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])["id"] as? String ?? ""
                // A router on web: its gateway answers DNS, which ADD's result names.
                let router = try await cloud.api("POST", "/routers", ["tenant": acme, "name": "r1"])["id"] as? String ?? ""
                _ = try await cloud.api("POST", "/routers/\(router)/interfaces", ["switch": webSwitch])
                _ = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "db", "cidr": "10.1.0.0/24"])
                _ = try await cloud.api("POST", "/clusters", ["tenant": acme, "name": "kube1", "kind": "kubernetes", "hosts": cloud.hosts])
                _ = try await cloud.api("POST", "/clusters", ["tenant": acme, "name": "kube2", "kind": "kubernetes", "hosts": [cloud.hosts[1]]])
                let web: [String: Any] = ["cniVersion": "1.0.0", "name": "web", "type": "switchyard-cni", "tenant": "acme", "switch": "web",
                                          "cluster": "kube1"]
                var db = web
                db["name"] = "db"
                db["switch"] = "db"

                let version = try await cloud.cni("VERSION", host: 1, container: nil, netns: "dummy", ifname: "dummy", config: ["cniVersion": "1.0.0"])
                #expect(version.status == 0 && version.output["supportedVersions"] as? [String] == ["1.0.0", "1.1.0"])
                var status11 = web
                status11["cniVersion"] = "1.1.0"
                #expect(try await cloud.cni("STATUS", host: 1, ifname: nil, config: status11).status == 0)

                // ADD on two hosts; the containers talk across them.
                let c1 = try await cloud.containerNamespace("c1")
                let c2 = try await cloud.containerNamespace("c2")
                let added = try await cloud.cni("ADD", host: 1, container: "c1-0123456789ab", netns: c1,
                                                args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=front;label.tier=web", config: web)
                #expect(added.status == 0, "ADD: \(added.text)")
                #expect(Self.specProblems(added.output, version: "1.0.0", sandbox: c1).isEmpty, "\(Self.specProblems(added.output, version: "1.0.0", sandbox: c1)): \(added.text)")
                let dns = added.output["dns"] as? [String: Any]
                #expect(dns?["nameservers"] as? [String] == ["10.0.0.1"] && dns?["search"] as? [String] == ["acme.switchyard.internal"],
                        "the router's DNS server and the tenant's zone: \(added.text)")
                let other = try await cloud.cni("ADD", host: 2, container: "c2-0123456789ab", netns: c2, args: "IP=10.0.0.77", config: web)
                #expect(other.status == 0, "ADD on hv2: \(other.text)")
                let ip1 = ((added.output["ips"] as? [[String: Any]])?.first?["address"] as? String ?? "").split(separator: "/").first.map(String.init) ?? ""
                let ip2 = ((other.output["ips"] as? [[String: Any]])?.first?["address"] as? String ?? "")
                #expect(ip2 == "10.0.0.77/24", "the requested address")
                try await cloud.eventually("c1 reaches c2 across hosts") { await cloud.pingsFrom("c1", "10.0.0.77") }
                #expect(await cloud.pingsFrom("c2", ip1, count: 2), "c2 reaches c1")
                // A policy selects c1 by a label its runtime passed (CNI_ARGS): only tier=web peers may reach it.
                let policy = try await cloud.api("POST", "/policies", [
                    "tenant": acme, "name": "web-only", "appliesTo": ["labels": ["tier": "web"]],
                    "ingress": [["from": [["labels": ["tier": "web"]]]]],
                ])
                #expect(policy["id"] != nil, "\(policy)")
                try await cloud.eventually("the policy keeps c2 from c1") { await !cloud.pingsFrom("c2", ip1) }
                #expect(await cloud.pingsFrom("c1", "10.0.0.77"), "c1's own egress is open")
                _ = try await cloud.api("DELETE", "/policies/\(policy["id"] as? String ?? "")")

                // The port records its owner and the runtime's labels; asking again returns it.
                let ports = try await cloud.api("GET", "/ports?switch=\(try await cloud.switchID("web", tenant: acme))")["items"] as? [[String: Any]] ?? []
                let port1 = try #require(ports.first { ($0["ip"] as? String) == ip1 })
                let owner = port1["owner"] as? [String: Any] ?? [:]
                #expect(owner["host"] as? String == cloud.hosts[0] && owner["runtime"] as? String == "cni")
                #expect(owner["containerID"] as? String == "c1-0123456789ab" && owner["interface"] as? String == "eth0")
                #expect(port1["labels"] as? [String: String] == ["io.kubernetes.pod.namespace": "shop", "io.kubernetes.pod.name": "front", "tier": "web"])
                let again = try await cloud.cni("ADD", host: 1, container: "c1-0123456789ab", netns: c1, config: web)
                #expect(again.status == 0 && (again.output["ips"] as? [[String: Any]])?.first?["address"] as? String == "\(ip1)/24", "again: \(again.text)")

                // A second network: net1 without the default route.
                let net1 = try await cloud.cni("ADD", host: 1, container: "c1-0123456789ab", netns: c1, ifname: "net1", config: db)
                #expect(net1.status == 0 && (net1.output["routes"] as? [Any])?.isEmpty == true, "net1: \(net1.text)")
                #expect((net1.output["dns"] as? [String: Any])?["nameservers"] == nil, "db has no router, so no DNS server: \(net1.text)")
                let routes = try await SimulatedCloud.run(["ip", "-n", cloud.namespace("c1"), "route", "show", "default"]).output
                #expect(routes.contains("dev eth0") && !routes.contains("net1"), "default route: \(routes)")

                // Debian's reference plugins accept our result as their prevResult.
                for plugin in [["type": "tuning", "sysctl": ["net.ipv4.conf.eth0.rp_filter": "2"]] as [String: Any],
                               ["type": "portmap", "capabilities": ["portMappings": true]], ["type": "bandwidth", "capabilities": ["bandwidth": true]]] {
                    var config = plugin.merging(["cniVersion": "1.0.0", "name": "web"]) { own, _ in own }
                    config["prevResult"] = added.output
                    let type = plugin["type"] as? String ?? ""
                    let chained = try await cloud.runPlugin("/usr/lib/cni/\(type)", environment: [
                        "CNI_COMMAND": "ADD", "CNI_CONTAINERID": "c1-0123456789ab", "CNI_NETNS": c1, "CNI_IFNAME": "eth0", "CNI_PATH": "/usr/lib/cni",
                    ], stdin: String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self))
                    #expect(chained.status == 0, "\(type) refused our result: \(chained.text)")
                }
                let rpFilter = try await SimulatedCloud.run(["ip", "netns", "exec", cloud.namespace("c1"), "cat", "/proc/sys/net/ipv4/conf/eth0/rp_filter"]).output
                #expect(rpFilter.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "tuning applied its sysctl")

                // CHECK passes, then fails with our code once someone removed the address.
                var checked = web
                checked["prevResult"] = added.output
                #expect(try await cloud.cni("CHECK", host: 1, container: "c1-0123456789ab", netns: c1, config: checked).status == 0)
                try await SimulatedCloud.run(["ip", "-n", cloud.namespace("c1"), "addr", "flush", "dev", "eth0"])
                let broken = try await cloud.cni("CHECK", host: 1, container: "c1-0123456789ab", netns: c1, config: checked)
                #expect(broken.status != 0 && broken.output["code"] as? Int == 100, "CHECK: \(broken.text)")
                let unknown = try await cloud.cni("CHECK", host: 1, container: "nobody", netns: c1, config: checked)
                #expect(unknown.output["code"] as? Int == 3, "CHECK of an unknown container: \(unknown.text)")

                // A host outside the cluster gets no port; bad configurations and environments are refused.
                var foreign = web
                foreign["cluster"] = "kube2"
                let c3 = try await cloud.containerNamespace("c3")
                let refused = try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: c3, config: foreign)
                #expect(refused.output["code"] as? Int == 7 && (refused.output["msg"] as? String ?? "").contains("host"), "foreign cluster: \(refused.text)")
                var noSwitch = web
                noSwitch["switch"] = nil
                #expect(try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: c3, config: noSwitch).output["code"] as? Int == 7)
                #expect(try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: nil, config: web).output["code"] as? Int == 4)
                var old = web
                old["cniVersion"] = "0.3.1"
                #expect(try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: c3, config: old).output["code"] as? Int == 1)
                let badNetns = try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: "/etc/passwd", config: web)
                #expect(badNetns.output["code"] as? Int == 4, "a namespace path outside the accepted places: \(badNetns.text)")

                // GC deletes what no runtime lists any more: c3's attachment leaks, c1's is kept.
                #expect(try await cloud.cni("ADD", host: 1, container: "c3-0123456789ab", netns: c3, config: web).status == 0)
                var gc = web
                gc["cniVersion"] = "1.1.0"
                gc["cni.dev/valid-attachments"] = [["containerID": "c1-0123456789ab", "ifname": "eth0"]]
                #expect(try await cloud.cni("GC", host: 1, container: nil, netns: nil, ifname: nil, config: gc).status == 0)
                let owners = Set((try await cloud.api("GET", "/ports?host=\(cloud.hosts[0])")["items"] as? [[String: Any]] ?? [])
                    .compactMap { ($0["owner"] as? [String: Any])?["containerID"] as? String })
                #expect(owners == ["c1-0123456789ab"], "after GC: \(owners)")
                try await cloud.eventually("c3's interface is gone") {
                    !(try await SimulatedCloud.run(["ip", "-n", cloud.namespace("c3"), "link", "show"]).output.contains("eth0"))
                }

                // DEL twice, and DEL after the namespace is gone, succeed; the ports go.
                #expect(try await cloud.cni("DEL", host: 2, container: "c2-0123456789ab", netns: c2, config: web).status == 0)
                #expect(try await cloud.cni("DEL", host: 2, container: "c2-0123456789ab", netns: c2, config: web).status == 0)
                try await SimulatedCloud.run(["ip", "netns", "del", cloud.namespace("c1")])
                #expect(try await cloud.cni("DEL", host: 1, container: "c1-0123456789ab", netns: nil, ifname: "net1", config: db).status == 0)
                #expect(try await cloud.cni("DEL", host: 1, container: "c1-0123456789ab", netns: nil, config: web).status == 0)
                let left = try await cloud.api("GET", "/ports")["items"] as? [[String: Any]] ?? []
                #expect(left.isEmpty, "ports left: \(left.map { $0["name"] ?? "" })")

                // With its agent down, the plugin says STATUS 50 and ADD "try again later".
                try await cloud.killProcesses(in: "hv2")
                let down = try await cloud.cni("STATUS", host: 2, ifname: nil, config: status11)
                #expect(down.output["code"] as? Int == 50, "STATUS with the agent down: \(down.text)")
                let later = try await cloud.cni("ADD", host: 2, container: "c2-0123456789ab", netns: c2, config: web)
                #expect(later.output["code"] as? Int == 11, "ADD with the agent down: \(later.text)")
            }
        }
    }
}

extension SimulatedCloud {
    func switchID(_ name: String, tenant: String) async throws -> String {
        let items = try await api("GET", "/switches?tenant=\(tenant)&name=\(name)")["items"] as? [[String: Any]] ?? []
        return items.first?["id"] as? String ?? ""
    }
}
