import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// What hostile clients cost everyone else: slow REST clients, anonymous TLS clients on the agent
/// listener, and a long churn of port creates and deletes.
enum AbuseBench {
    /// Opens `slow` connections to the API (half silent, half sending a request one byte a second)
    /// and measures a normal client's requests meanwhile.
    static func http(client: BenchClient, slow: Int, requests: Int) throws {
        SlowSocket.raiseOpenFilesLimit()
        let sockets = try (0..<slow).map { _ in try SlowSocket(host: client.host, port: client.port) }
        let trickle = Array("GET /v1/revision HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer x\r\n".utf8)
        let stop = Stopper()
        let trickler = Thread {
            var offset = 0
            while !stop.isStopped {
                for socket in sockets.enumerated().filter({ $0.offset.isMultiple(of: 2) }).map(\.element) {
                    socket.send([trickle[offset % trickle.count]])
                }
                offset += 1
                Thread.sleep(forTimeInterval: 1)
            }
        }
        trickler.start()
        defer { stop.stop() }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let tenant = try client.create("/tenants", ["name": "abuse-\(suffix)", "quotas": ["ports": requests + 1]])
        let sw = try client.create("/switches", ["tenant": tenant["id"] as? String ?? "", "name": "abuse", "cidr": "10.129.0.0/16"])
        let switchID = sw["id"] as? String ?? ""
        let (latencies, _) = try client.concurrently(requests, connections: 1) { connection, index in
            let reply = index.isMultiple(of: 2)
                ? try connection.send(method: "GET", path: "/v1/ports?limit=10", headers: client.headers, body: [])
                : try connection.send(method: "POST", path: "/v1/ports", headers: client.headers,
                                      body: Array("{\"switch\":\"\(switchID)\",\"name\":\"n\(index)\"}".utf8))
            guard reply.status < 300 else { throw BenchFailure(message: "a normal request got \(reply.status)") }
        }
        print("api-requests-under-slow-clients: \(latencies.count)")
        print("api-p50-ms-under-\(slow)-slow-clients: \(format(percentile(latencies, 0.50)))")
        print("api-p99-ms-under-\(slow)-slow-clients: \(format(percentile(latencies, 0.99)))")
    }

    /// Opens `clients` TLS connections without a certificate to the agent listener, from `sources`
    /// loopback addresses, and holds them for `hold` seconds sending nothing; samples the
    /// controller's memory meanwhile.
    static func southbound(host: String, port: Int, clients: Int, sources: Int, hold: Double, controllerPID: Int32) async throws {
        SlowSocket.raiseOpenFilesLimit()
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        var channels: [any Channel] = []
        var refused = 0
        for index in 0..<clients {
            let source = "127.0.0.\(2 + index % max(1, sources))"
            do {
                let channel = try await ClientBootstrap(group: group)
                    .bind(to: try SocketAddress(ipAddress: source, port: 0))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                        }
                    }
                    .connect(host: host, port: port).get()
                channels.append(channel)
            } catch {
                refused += 1
            }
        }
        var peak = 0
        let deadline = Date().addingTimeInterval(hold)
        while Date() < deadline {
            peak = max(peak, residentMiB(pid: controllerPID))
            try await Task.sleep(for: .milliseconds(200))
        }
        let open = channels.filter(\.isActive).count
        for channel in channels { try? await channel.close() }
        print("southbound-anonymous-clients: \(clients)")
        print("southbound-anonymous-still-open-after-\(Int(hold))s: \(open)")
        print("southbound-anonymous-refused-at-connect: \(refused)")
        print("southbound-rss-mib-under-\(clients)-anonymous-clients: \(peak)")
    }

    /// Creates and deletes `total` ports, `batch` at a time over `connections` connections.
    static func churn(client: BenchClient, total: Int, batch: Int, connections: Int) throws {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let tenant = try client.create("/tenants", ["name": "churn-\(suffix)", "quotas": ["ports": batch + 1]])
        let sw = try client.create("/switches", ["tenant": tenant["id"] as? String ?? "", "name": "churn", "cidr": "10.130.0.0/16"])
        let switchID = sw["id"] as? String ?? ""
        let started = Date()
        var done = 0
        while done < total {
            let (count, first) = (min(batch, total - done), done)
            let ids = IDList()
            _ = try client.concurrently(count, connections: connections) { connection, index in
                let reply = try connection.send(method: "POST", path: "/v1/ports", headers: client.headers,
                                                body: Array("{\"switch\":\"\(switchID)\",\"name\":\"c\(first + index)\"}".utf8))
                guard reply.status == 201,
                      let id = (try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])?["id"] as? String else {
                    throw BenchFailure(message: "churn create: \(reply.status)")
                }
                ids.append(id)
            }
            let created = ids.all
            _ = try client.concurrently(created.count, connections: connections) { connection, index in
                let reply = try connection.send(method: "DELETE", path: "/v1/ports/\(created[index])", headers: client.headers, body: [])
                guard reply.status == 200 else { throw BenchFailure(message: "churn delete: \(reply.status)") }
            }
            done += count
        }
        print("churn-ports-created-and-deleted: \(done)")
        print("churn-seconds: \(format(Date().timeIntervalSince(started)))")
    }

    static func residentMiB(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}

/// Ids collected from many threads.
private final class IDList: @unchecked Sendable {
    // Unchecked: every access holds the lock.
    private let lock = NSLock()
    private var ids: [String] = []

    func append(_ id: String) { lock.withLock { ids.append(id) } }
    var all: [String] { lock.withLock { ids } }
}

/// A flag one thread sets and another polls.
private final class Stopper: @unchecked Sendable {
    // Unchecked: every access holds the lock.
    private let lock = NSLock()
    private var stopped = false

    func stop() { lock.withLock { stopped = true } }
    var isStopped: Bool { lock.withLock { stopped } }
}
