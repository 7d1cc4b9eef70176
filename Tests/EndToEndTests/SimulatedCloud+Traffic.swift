import Foundation

/// Real traffic helpers: TCP servers that tell a client where it came from, and a packet capture on
/// a hypervisor's underlay link.
extension SimulatedCloud {
    /// Serves `port` in namespace `name` (a suffix like `ext` or `w-a`): every connection first gets
    /// the address it came from, then every byte it sends is echoed for as long as it stays open
    /// (see ``holdConnection(from:to:port:)``).
    func startPeerEcho(in name: String, port: Int) async throws {
        let script = """
            import socket, threading
            def serve(c, peer):
                c.sendall(peer[0].encode())
                while True:
                    data = c.recv(64)
                    if not data:
                        break
                    c.sendall(data)
                c.close()
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", \(port)))
            s.listen(16)
            while True:
                c, peer = s.accept()
                threading.Thread(target=serve, args=(c, peer), daemon=True).start()
            """
        try Self.spawn(["ip", "netns", "exec", namespace(name), "python3", "-c", script], log: "\(work)/echo-\(name)-\(port).log")
        try await eventually("the echo server in \(name) listens") {
            try await Self.run(["ip", "netns", "exec", namespace(name), "ss", "-Hltn", "sport = :\(port)"]).output.contains("LISTEN")
        }
    }

    /// Connects from namespace `name` to `address:port` (2 s timeout), from `source` when given;
    /// the address the server saw, or nil when no connection was made.
    func peerSeen(from name: String, _ address: String, port: Int, source: String? = nil) async -> String? {
        let bind = source.map { ", (\"\($0)\", 0)" } ?? ""
        let script = """
            import socket
            s = socket.create_connection(("\(address)", \(port)), 2\(bind))
            print(s.recv(64).decode())
            """
        guard let result = try? await Self.run(["ip", "netns", "exec", namespace(name), "python3", "-c", script], check: false),
              result.status == 0 else { return nil }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Counts the VXLAN frames on hypervisor `host`'s underlay link whose inner IPv4 packet is from
    /// or to one of `addresses`, while `traffic` runs (a raw AF_PACKET capture: no tcpdump needed).
    func overlayFrames(on host: String, touching addresses: [String], during traffic: () async throws -> Void) async throws -> Int {
        let output = "\(work)/capture-\(host).txt"
        let quoted = addresses.map { "\"\($0)\"" }.joined(separator: ", ")
        let script = """
            import socket, struct, time
            watch = {socket.inet_aton(a) for a in [\(quoted)]}
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
            s.bind(("ul0", 0))
            s.settimeout(0.2)
            open("\(output).ready", "w").close()
            count, end = 0, time.time() + 600
            while time.time() < end:
                try:
                    frame = s.recv(65535)
                except socket.timeout:
                    continue
                if len(frame) < 14 + 20 + 8 + 8 + 14 + 20 or frame[12:14] != b"\\x08\\x00" or frame[23] != 17:
                    continue
                ihl = (frame[14] & 0x0f) * 4
                udp = 14 + ihl
                if struct.unpack("!H", frame[udp + 2:udp + 4])[0] != 4789:
                    continue
                inner = udp + 8 + 8 + 14
                if frame[inner - 2:inner] == b"\\x08\\x00" and (frame[inner + 12:inner + 16] in watch or frame[inner + 16:inner + 20] in watch):
                    count += 1
                    with open("\(output)", "w") as f:
                        f.write(str(count))
            """
        try Self.spawn(["ip", "netns", "exec", namespace(host), "python3", "-c", script], log: "\(work)/capture-\(host).log")
        do {
            try await eventually("the capture on \(host) runs") { FileManager.default.fileExists(atPath: output + ".ready") }
            try await traffic()
            try await Task.sleep(for: .milliseconds(500))
        } catch {
            _ = try? await Self.run(["pkill", "-f", output], check: false)
            throw error
        }
        _ = try await Self.run(["pkill", "-f", output], check: false)
        return Int((try? String(contentsOfFile: output, encoding: .utf8)) ?? "0") ?? 0
    }

    /// Pings `address` from `workload` at 1,000 packets per second for three seconds while the agent
    /// of host 1 is SIGKILLed and started again; returns ping's summary, and the restarted agent's
    /// log from its start until 3 s after it is connected again.
    func pingAcrossAgentRestart(from workload: String, to address: String) async throws -> (summary: String, restartLog: String) {
        async let ping = Self.run(["ip", "netns", "exec", namespace("w-\(workload)"), "ping", "-q", "-i", "0.001", "-c", "3000",
                                   "-W", "1", address], check: false)
        try await Task.sleep(for: .milliseconds(500))
        try await killProcesses(in: "hv1")
        let log = work + "/agent1-restarted.log"
        try startAgent(host: 1, log: log)
        let summary = try await ping.output
        try await eventually("the restarted agent is connected") {
            ((try? await self.api("GET", "/hosts/\(self.hosts[0])"))?["status"] as? [String: Any])?["connected"] as? Bool == true
        }
        try await Task.sleep(for: .seconds(3))
        return (summary, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}
