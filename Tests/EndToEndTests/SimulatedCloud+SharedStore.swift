import Foundation
import TestSupport

/// A cloud served by several controllers on one PostgreSQL database: the database and every
/// controller run in the underlay namespace, controller N at 198.18.0.N (API on 8080, agents on
/// 7443), so killing one leaves the cloud's wiring as it was.
extension SimulatedCloud {
    /// Starts PostgreSQL (Debian's, ``ops/postgres-scratch``) and `controllers` controllers on it,
    /// sharing the first one's CA; then `hostCount` compute hosts, host `i` made and enrolled
    /// through controller `enrolledThrough(i)`, whose agent dials that controller first. Returns the
    /// controllers' processes, to kill.
    func startShared(controllers count: Int, hostCount: Int, enrolledThrough: (Int) -> Int) async throws -> [ChildProcess.Launched] {
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try await Self.run([Self.repository.appendingPathComponent("ops/topology").path, "up", prefix, String(hostCount)])
        for index in (1...count).dropFirst() {
            try await Self.run(["ip", "-n", namespace("ul"), "addr", "add", "198.18.0.\(index)/24", "dev", "ul0"])
        }
        let store = try await Self.run(["ip", "netns", "exec", namespace("ul"), Self.repository.appendingPathComponent("ops/postgres-scratch").path,
                                        "start", work + "/postgres", "5432"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        token = try await Self.run(["ip", "netns", "exec", namespace("ul"), Self.executable("switchyard-controller"), "init", "--store", store])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
        var processes: [ChildProcess.Launched] = []
        for index in 1...count {
            if index > 1 {
                // One CA: each controller serves with a copy of the first one's.
                try FileManager.default.createDirectory(atPath: "\(work)/controller\(index)", withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: "\(work)/controller1/pki", toPath: "\(work)/controller\(index)/pki")
            }
            processes.append(try ChildProcess.launch(
                ["ip", "netns", "exec", namespace("ul"), Self.executable("switchyard-controller"), "serve", "--store", store,
                 "--data-dir", "\(work)/controller\(index)", "--listen", "198.18.0.\(index):8080", "--southbound", "198.18.0.\(index):7443"],
                log: "\(work)/controller\(index).log"))
            try await eventually("controller \(index) answers") { (try? await self.api("GET", "/revision", via: index))?["revision"] != nil }
        }
        for index in 1...hostCount {
            let controller = enrolledThrough(index)
            let host = try await api("POST", "/hosts", ["name": "hv\(index)", "address": "198.18.0.\(10 + index)"], via: controller)["id"] as? String ?? ""
            hosts.append(host)
            // A join string lists the controllers heard in the last 10 s, its own first: wait until
            // it lists them all (each reports itself every second).
            var join = ""
            try await eventually("controller \(controller) knows the others") {
                join = try await self.api("POST", "/hosts/\(host)/enroll-tokens", [:], via: controller)["joinString"] as? String ?? ""
                return join.split(separator: "/").first?.split(separator: ",").count == count
            }
            try Self.spawn(agentCommand(host: index) + ["--join", join], log: "\(work)/agent\(index).log")
        }
        for host in hosts {
            try await eventually("\(host) is connected") {
                ((try? await self.api("GET", "/hosts/\(host)"))?["status"] as? [String: Any])?["connected"] as? Bool == true
            }
        }
        return processes
    }

    /// The agents each controller serves now, by controller number; a controller that does not
    /// answer is left out.
    func agentsServed(by controllers: [Int]) async -> [Int: Int] {
        var served: [Int: Int] = [:]
        for controller in controllers {
            if let count = try? await scrapeController(via: controller)["switchyard_hosts_connected"] { served[controller] = Int(count) }
        }
        return served
    }

    /// Whether the controller at 198.18.0.`controller` holds the edge-failover lease.
    func leads(_ controller: Int) async -> Bool {
        (try? await api("GET", "/health", via: controller))?["leader"] as? Bool == true
    }
}
