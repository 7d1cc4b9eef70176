import Foundation

/// Long-lived connections, to see what a policy change does to connections already open.
/// The server side is ``startPeerEcho(in:port:)``.
extension SimulatedCloud {
    /// Opens one connection from namespace `name` to `address:port` and keeps it busy: a line every
    /// 0.2 s, logging `ok` for each echo and `timeout` for each line not answered within a second.
    func holdConnection(from name: String, to address: String, port: Int) async throws -> HeldConnection {
        let log = "\(work)/held-\(name)-\(address)-\(port).log"
        let script = """
            import socket, time
            s = socket.create_connection(("\(address)", \(port)), 2)
            s.settimeout(1)
            s.recv(64)
            while True:
                try:
                    s.sendall(b"x")
                    if not s.recv(64):
                        print("closed", flush=True)
                        break
                    print("ok", flush=True)
                except socket.timeout:
                    print("timeout", flush=True)
                except OSError as error:
                    print("error", error, flush=True)
                    break
                time.sleep(0.2)
            """
        try Self.spawn(["ip", "netns", "exec", namespace(name), "python3", "-u", "-c", script], log: log)
        let held = HeldConnection(log: log)
        try await eventually("the connection from \(name) to \(address):\(port) answers") { held.answers() > 0 }
        return held
    }
}

/// A connection kept open by ``SimulatedCloud/holdConnection(from:to:port:)``, read through its log.
struct HeldConnection {
    let log: String

    /// How many lines were echoed so far.
    func answers() -> Int {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0 == "ok" }.count
    }

    /// Whether echoes keep coming: more than two in the next two seconds.
    func isAlive() async -> Bool {
        let before = answers()
        try? await Task.sleep(for: .seconds(2))
        return answers() > before + 2
    }
}
