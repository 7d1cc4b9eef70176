import Foundation
import Testing

extension EndToEnd {
    /// Docker 20.10, libnetwork's remote drivers: one dockerd per hypervisor namespace, each with its
    /// host's agent as network and IPAM driver. Containers on a Switchyard network ping each other
    /// across hosts and a Podman container on the same switch, Docker shows the ports' addresses and
    /// MACs, a network that names no switch is refused with our message, and removing containers
    /// removes their ports.
    @Suite struct DockerTests {
        @Test func dockerContainersTalkAcrossHostsAndToAPodmanContainer() async throws {
            try #require(SimulatedCloud.isRoot, "needs root for network namespaces")
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/sbin/dockerd"), "ops/setup installs docker.io")
            try await SimulatedCloud.withCloud { cloud in
                cloud.servesDocker = true
                let docker = DockerHosts(cloud: cloud)
                let podman = PodmanHosts(cloud: cloud)
                do {
                    try await run(cloud, docker, podman)
                } catch {
                    await docker.removeAll()
                    await podman.removeAll()
                    throw error
                }
                await docker.removeAll()
                await podman.removeAll()
            }
        }

        private func run(_ cloud: SimulatedCloud, _ docker: DockerHosts, _ podman: PodmanHosts) async throws {
            try await cloud.start(hostCount: 2)
            let acme = try await cloud.api("POST", "/tenants", ["name": "acme"])["id"] as? String ?? ""
            _ = try await cloud.api("POST", "/switches", ["tenant": acme, "name": "web", "cidr": "10.0.0.0/24"])
            _ = try await cloud.api("POST", "/clusters", ["tenant": acme, "name": "pods", "kind": "other", "hosts": cloud.hosts])
            for host in 1...2 { try await docker.setUp(host: host) }

            let bare = try await docker.attempt(host: 1, ["network", "create", "-d", cloud.dockerDriver(host: 1),
                                                          "--ipam-driver", cloud.dockerDriver(host: 1), "bare"])
            #expect(bare.contains("-o tenant=TENANT -o switch=SWITCH [-o cluster=CLUSTER]"), "a network must name its switch: \(bare)")
            for host in 1...2 {
                // The second leaves the cluster out: the tenant's one cluster listing the host.
                try await docker.run(host: host, ["network", "create", "-d", cloud.dockerDriver(host: host), "--ipam-driver",
                                                  cloud.dockerDriver(host: host), "-o", "tenant=acme", "-o", "switch=web"]
                                                 + (host == 1 ? ["-o", "cluster=pods"] : []) + ["web"])
                try await docker.run(host: host, ["run", "-d", "--name", "d\(host)", "--network", "web", "bb:1", "sleep", "1000"])
            }
            let ports = try await cloud.api("GET", "/ports")["items"] as? [[String: Any]] ?? []
            #expect(ports.count == 2 && ports.allSatisfy { ($0["owner"] as? [String: Any])?["runtime"] as? String == "docker" },
                    "one port per container, owned by docker: \(ports)")
            let d2 = try #require(ports.first { ($0["owner"] as? [String: Any])?["host"] as? String == cloud.hosts[1] })
            let d2Address = try #require(d2["ip"] as? String)
            let shown = try await docker.run(host: 2, ["inspect", "-f", "'{{.NetworkSettings.Networks.web.IPAddress}} {{.NetworkSettings.Networks.web.MacAddress}}'", "d2"])
            #expect(shown.trimmingCharacters(in: .whitespacesAndNewlines) == "\(d2Address) \(d2["mac"] as? String ?? "")",
                    "Docker shows the port's address and MAC")
            try await cloud.eventually("d1 pings d2 across hosts", timeout: .seconds(60)) {
                try await docker.pings(host: 1, from: "d1", d2Address)
            }

            // A Podman container on the same switch, next to d2.
            try await podman.setUp(host: 2, networks: ["web"])
            try await podman.run(host: 2, ["run", "-d", "--init", "--network", "web", "--name", "p1", "bb:1", "sleep", "1000"])
            let all = try await cloud.api("GET", "/ports")["items"] as? [[String: Any]] ?? []
            let p1 = try #require(all.first { ($0["owner"] as? [String: Any])?["runtime"] as? String != "docker" })
            let p1Address = try #require(p1["ip"] as? String)
            let d1Address = try #require(all.first { ($0["owner"] as? [String: Any])?["host"] as? String == cloud.hosts[0] }?["ip"] as? String)
            try await cloud.eventually("d1 (Docker) pings p1 (Podman)", timeout: .seconds(60)) {
                try await docker.pings(host: 1, from: "d1", p1Address)
            }
            #expect(try await podman.pings(host: 2, from: "p1", d1Address), "and back")

            // A stopped container gives its port back; started again it gets a new one and talks.
            try await docker.run(host: 1, ["stop", "-t", "0", "d1"])
            try await cloud.eventually("d1's port is gone while it is stopped") {
                (try await cloud.api("GET", "/ports?host=\(cloud.hosts[0])")["items"] as? [Any] ?? [1]).isEmpty
            }
            try await docker.run(host: 1, ["start", "d1"])
            try await cloud.eventually("d1 (started again) pings p1", timeout: .seconds(60)) {
                try await docker.pings(host: 1, from: "d1", p1Address)
            }

            // Endpoint options `label.KEY` become the port's labels (`--driver-opt label.app=front`;
            // the 20.10 CLI has no such flag on `run`, so through Docker's API as newer CLIs send it).
            let create = #"{"Image":"bb:1","Cmd":["sleep","1000"],"HostConfig":{"NetworkMode":"web"},"#
                + #""NetworkingConfig":{"EndpointsConfig":{"web":{"DriverOpts":{"label.app":"front"}}}}}"#
            _ = try await SimulatedCloud.run(["curl", "-sf", "--unix-socket", "\(docker.directory(1))/docker.sock", "-H", "Content-Type: application/json",
                                              "-d", create, "http://docker/v1.41/containers/create?name=d3"])
            try await docker.run(host: 1, ["start", "d3"])
            let labelled = try await cloud.api("GET", "/ports?host=\(cloud.hosts[0])")["items"] as? [[String: Any]] ?? []
            #expect(labelled.contains { ($0["labels"] as? [String: String])?["app"] == "front" }, "d3's port carries app=front: \(labelled)")
            try await docker.run(host: 1, ["rm", "-f", "d3"])

            // Docker's calls refused as libnetwork expects: a JSON object with Err (or Error for IPAM).
            let plugin = "/run/docker/plugins/\(cloud.dockerDriver(host: 1)).sock"
            let unknown = try await SimulatedCloud.run(["curl", "-s", "--unix-socket", plugin, "-X", "POST", "-d", "{}", "http://plugin/NetworkDriver.Reboot"])
            #expect(unknown.output.contains(#""Err":"NetworkDriver.Reboot is not a call"#), "\(unknown.output)")
            let garbled = try await SimulatedCloud.run(["curl", "-s", "--unix-socket", plugin, "-X", "POST", "-d", "[1]", "http://plugin/IpamDriver.RequestAddress"])
            #expect(garbled.output.contains(#""Error":"#), "\(garbled.output)")

            // Removing containers removes their ports; the Podman one stays.
            try await docker.run(host: 1, ["rm", "-f", "d1"])
            try await docker.run(host: 2, ["rm", "-f", "d2"])
            for host in 1...2 { try await docker.run(host: host, ["network", "rm", "web"]) }
            try await cloud.eventually("the Docker containers' ports are gone") {
                let left = try await cloud.api("GET", "/ports")["items"] as? [[String: Any]] ?? []
                return left.count == 1 && left.first?["id"] as? String == p1["id"] as? String
            }
        }
    }
}

/// One dockerd per hypervisor namespace (`ops/docker-env`), with the busybox image.
struct DockerHosts {
    let cloud: SimulatedCloud

    /// Short: containerd's socket lives under it.
    func directory(_ host: Int) -> String { "/tmp/\(cloud.prefix)-docker\(host)" }

    func setUp(host: Int) async throws {
        try await cloud.sourcing("ops/docker-env", "docker_up \(directory(host)) \(cloud.namespace("hv\(host)")) && docker_image \(directory(host))")
    }

    /// Runs docker against host `host`'s daemon; returns its output, throws when it fails.
    @discardableResult
    func run(host: Int, _ arguments: [String]) async throws -> String {
        try await cloud.sourcing("ops/docker-env", "DOCKER_TIMEOUT=20 docker_in \(directory(host)) \(arguments.joined(separator: " "))")
    }

    /// Runs docker expecting a refusal; returns what it printed.
    func attempt(host: Int, _ arguments: [String]) async throws -> String {
        try await cloud.sourcing("ops/docker-env", "! DOCKER_TIMEOUT=20 docker_in \(directory(host)) \(arguments.joined(separator: " "))")
    }

    /// Whether `container` pings `address` (see ``PodmanHosts/pings(host:from:_:)``).
    func pings(host: Int, from container: String, _ address: String) async throws -> Bool {
        let output = try await run(host: host, ["exec", container, "sh", "-c", "'ping -c 1 -W 1 -w 2 \(address) >/dev/null; echo status=$?'"])
        return output.contains("status=0")
    }

    func removeAll() async {
        for host in 1...2 { _ = try? await cloud.sourcing("ops/docker-env", "docker_down \(directory(host))") }
    }
}
