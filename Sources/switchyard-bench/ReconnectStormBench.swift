import Foundation

/// A controller restart with every agent attached: the controller (whose pid the script keeps in
/// `pidFile`, and which it starts again whenever it exits) is stopped with SIGTERM, and the clock
/// runs until the new controller reports every host connected and acked. A restarted controller
/// knows no agent's state, so each ack is of a snapshot of the host's current state. It includes
/// the controller's own start (store, full compile) and the agents' reconnect backoff.
enum ReconnectStormBench {
    static func run(client: BenchClient, hosts: Int, pidFile: String) async throws {
        let pid = try controllerPID(pidFile)
        print("controller-rss-mib: \(residentMiB(pid))")
        let started = Date()
        guard kill(pid, SIGTERM) == 0 else { throw BenchFailure(message: "could not stop the controller (pid \(pid))") }
        let deadline = started.addingTimeInterval(300)
        while true {
            try await Task.sleep(for: .milliseconds(250))
            guard Date() < deadline else { throw BenchFailure(message: "the agents were not all back within 300 s") }
            guard (try? controllerPID(pidFile)) != pid, let statuses = try? SouthboundBench.hostStatuses(client) else { continue }
            let back = statuses.filter { status in
                status["connected"] as? Bool == true && ((status["ackedRevision"] as? NSNumber)?.int64Value ?? 0) > 0
            }
            if back.count == hosts { break }
        }
        print("reconnect-storm-s: \(String(format: "%.2f", Date().timeIntervalSince(started)))")
    }

    static func controllerPID(_ pidFile: String) throws -> pid_t {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchFailure(message: "no controller pid in \(pidFile)")
        }
        return pid
    }

    static func residentMiB(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }
}
