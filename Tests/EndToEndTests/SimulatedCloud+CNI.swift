import Foundation
import TestSupport

extension SimulatedCloud {
    /// What a CNI plugin run returned: exit status and stdout as JSON (empty when it printed nothing).
    struct PluginRun {
        var status: Int32
        var output: [String: Any]
        var text: String
    }

    /// Runs a CNI plugin binary as a runtime does: only the given environment, the configuration
    /// on stdin (no shell in between).
    func runPlugin(_ path: String, environment: [String: String], stdin: String) async throws -> PluginRun {
        let environment = environment.merging(["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]) { own, _ in own }
        let outcome = try await ChildProcess.run([path], environment: environment, input: stdin)
        let object = (try? JSONSerialization.jsonObject(with: Data(outcome.output.utf8))) as? [String: Any] ?? [:]
        return PluginRun(status: outcome.status, output: object, text: outcome.output)
    }

    /// Runs `switchyard-cni` with a command for a container of host `index`.
    func cni(_ command: String, host index: Int, container: String? = nil, netns: String? = nil, ifname: String? = "eth0",
             args: String = "IgnoreUnknown=1", config: [String: Any]) async throws -> PluginRun {
        var environment = ["CNI_COMMAND": command, "CNI_PATH": "/usr/lib/cni", "CNI_ARGS": args]
        environment["CNI_CONTAINERID"] = container
        environment["CNI_NETNS"] = netns
        environment["CNI_IFNAME"] = ifname
        var config = config
        config["socket"] = socket(host: index)
        let stdin = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        return try await runPlugin(Self.executable("switchyard-cni"), environment: environment, stdin: stdin)
    }

    /// A container's network namespace, created the way runtimes do (empty, loopback down), under
    /// the cloud's prefix; returns its path.
    func containerNamespace(_ name: String) async throws -> String {
        try await Self.run(["ip", "netns", "add", namespace(name)])
        return "/run/netns/\(namespace(name))"
    }
}
