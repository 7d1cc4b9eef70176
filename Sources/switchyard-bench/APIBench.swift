import Foundation

/// Port creates from concurrent keep-alive connections, one thread each; latency per request.
enum APIBench {
    static func run(client: BenchClient, total: Int, connections: Int) throws {
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let tenant = try client.create("/tenants", ["name": "bench-\(suffix)", "quotas": ["ports": total + 1]])
        let sw = try client.create("/switches", ["tenant": tenant["id"] as? String ?? "", "name": "bench", "cidr": "10.128.0.0/16"])
        let switchID = sw["id"] as? String ?? ""
        let (latencies, seconds) = try client.concurrently(total, connections: connections) { connection, index in
            let body = Array("{\"switch\":\"\(switchID)\",\"name\":\"p\(index)\"}".utf8)
            let reply = try connection.send(method: "POST", path: "/v1/ports", headers: client.headers, body: body)
            guard reply.status == 201 else { throw BenchFailure(message: "port create: \(reply.status)") }
        }
        print("port-creates-per-s: \(Int((Double(latencies.count) / seconds).rounded()))")
        print("port-create-p50-ms: \(format(percentile(latencies, 0.50)))")
        print("port-create-p99-ms: \(format(percentile(latencies, 0.99)))")
    }
}
