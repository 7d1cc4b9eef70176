import Foundation
import Testing

extension EndToEnd {
    /// Podman 4.3, a real CNI runtime, one instance per hypervisor namespace, with our plugin in
    /// its conflists (chained with Debian's tuning, portmap and bandwidth): busybox containers on
    /// a Switchyard switch ping each other across hosts, one container joins two networks, the
    /// runtime's labels reach the ports, and stopping containers removes their ports. (A policy
    /// selecting containers by those labels is proven in ``CNITests``.)
    @Suite struct PodmanTests {
        @Test func podmanContainersTalkAcrossHostsThroughOurPlugin() async throws {
            try #require(SimulatedCloud.isRoot, "needs root for network namespaces")
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/podman"), "ops/setup installs podman")
            try await SimulatedCloud.withCloud { cloud in
                let podman = PodmanHosts(cloud: cloud)
                do {
                    try await run(cloud, podman)
                } catch {
                    await podman.removeAll()
                    throw error
                }
                await podman.removeAll()
            }
        }

        private func run(_ cloud: SimulatedCloud, _ podman: PodmanHosts) async throws {
            try await cloud.start(hostCount: 2)
            let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
            _ = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])
            _ = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "db", "cidr": "10.1.0.0/24"])
            _ = try await cloud.api("POST", "/clusters", ["tenant": acme, "name": "pods", "kind": "other", "hosts": cloud.hosts])
            for host in 1...2 { try await podman.setUp(host: host, networks: ["web", "db"]) }

            try await podman.run(host: 1, ["run", "-d", "--init", "--network", "web", "--name", "p1", "bb:1", "sleep", "1000"],
                                 cniArgs: "label.app=front")
            try await podman.run(host: 2, ["run", "-d", "--init", "--network", "web,db", "--name", "p2", "bb:1", "sleep", "1000"])
            let ports = try await cloud.api("GET", "/ports")["items"] as? [[String: Any]] ?? []
            #expect(ports.count == 3, "p1 on web, p2 on web and db: \(ports.map { $0["name"] ?? "" })")
            let p1 = try #require(ports.first { ($0["owner"] as? [String: Any])?["host"] as? String == cloud.hosts[0] })
            #expect((p1["labels"] as? [String: String])?["app"] == "front", "labels from CNI_ARGS: \(p1["labels"] ?? "")")
            #expect((p1["labels"] as? [String: String])?["io.kubernetes.pod.name"] == "p1")
            let p2Web = try #require(ports.first { ($0["owner"] as? [String: Any])?["host"] as? String == cloud.hosts[1] && ($0["ip"] as? String ?? "").hasPrefix("10.0.0.") })

            let p2Address = try #require(p2Web["ip"] as? String)
            try await cloud.eventually("p1 pings p2 across hosts", timeout: .seconds(60)) {
                try await podman.pings(host: 1, from: "p1", p2Address)
            }
            let interfaces = try await podman.run(host: 2, ["exec", "p2", "ip", "-o", "-4", "addr", "show"])
            #expect(interfaces.contains("eth0") && interfaces.contains("eth1") && interfaces.contains("10.1.0."), "two networks: \(interfaces)")
            let routes = try await podman.run(host: 2, ["exec", "p2", "ip", "route"]).split(separator: "\n").filter { $0.hasPrefix("default") }
            #expect(routes.count == 1 && routes[0].contains("dev eth0"), "the default route stays on eth0: \(routes)")

            // Stopping and removing containers removes their ports.
            _ = try await podman.run(host: 2, ["rm", "-f", "-t", "0", "p2"])
            try await cloud.eventually("p2's ports are gone") {
                (try await cloud.api("GET", "/ports?host=\(cloud.hosts[1])")["items"] as? [Any] ?? [1]).isEmpty
            }
            _ = try await podman.run(host: 1, ["stop", "-t", "0", "p1"])
            try await cloud.eventually("p1's port is gone") { (try await cloud.api("GET", "/ports")["items"] as? [Any] ?? [1]).isEmpty }
        }
    }
}

/// One isolated Podman instance per hypervisor namespace (`ops/podman-env`), with conflists
/// naming our plugin and the host's agent socket.
struct PodmanHosts {
    let cloud: SimulatedCloud

    /// Short: podman refuses a runroot longer than 50 characters. `podman_down` removes it.
    func directory(_ host: Int) -> String { "/tmp/\(cloud.prefix)-podman\(host)" }

    /// Writes the instance's containers.conf (our build directory first among the plugin
    /// directories), a conflist per network, and imports the busybox image.
    func setUp(host: Int, networks: [String]) async throws {
        let pluginDirectory = (SimulatedCloud.executable("switchyard-cni") as NSString).deletingLastPathComponent
        try await shell("podman_setup \(directory(host)) \(pluginDirectory) && podman_image \(directory(host))")
        for network in networks {
            let conflist: [String: Any] = ["cniVersion": "1.0.0", "name": network, "plugins": [
                ["type": "switchyard-cni", "tenant": "acme", "switch": network, "cluster": "pods", "socket": cloud.socket(host: host)],
                ["type": "tuning"],
                ["type": "portmap", "capabilities": ["portMappings": true]],
                ["type": "bandwidth", "capabilities": ["bandwidth": true]],
            ]]
            try JSONSerialization.data(withJSONObject: conflist).write(to: URL(fileURLWithPath: "\(directory(host))/net.d/\(network).conflist"))
        }
    }

    /// Runs podman in host `host`'s namespace; returns its output, throws when it fails.
    @discardableResult
    func run(host: Int, _ arguments: [String], cniArgs: String? = nil) async throws -> String {
        let environment = cniArgs.map { "CNI_ARGS='\($0)' " } ?? ""
        return try await shell("PODMAN_TIMEOUT=10 \(environment)podman_in \(directory(host)) \(cloud.namespace("hv\(host)")) \(arguments.joined(separator: " "))")
    }

    /// Whether `container` pings `address`. The exec itself always succeeds (ping's status is
    /// printed), so a failing podman is an error here, not a lost ping. `-w`: busybox's ping
    /// without a reply does not stop at `-W`.
    func pings(host: Int, from container: String, _ address: String) async throws -> Bool {
        let output = try await run(host: host, ["exec", container, "sh", "-c", "'ping -c 1 -W 1 -w 2 \(address) >/dev/null; echo status=$?'"])
        return output.contains("status=0")
    }

    /// Removes every container of every instance (their DELs run) and the instances' storage.
    func removeAll() async {
        for host in 1...2 {
            _ = try? await shell("podman_down \(directory(host)) \(cloud.namespace("hv\(host)"))")
        }
    }

    @discardableResult
    private func shell(_ script: String) async throws -> String {
        try await cloud.sourcing("ops/podman-env", script)
    }
}
