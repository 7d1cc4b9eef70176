import LocalAPI
import Agent
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The local API over a real unix socket: attach, check, list, detach, refusals, persistence.
@Suite struct LocalAPITests {
    /// Sends one request line and reads one reply line, refusals included. The blocking socket calls
    /// run on a thread of their own: the server answers on the threads async code shares.
    func exchange(_ path: String, _ request: String) async throws -> LocalAPIResponse {
        try await ChildProcess.onOwnThread { try blockingExchange(path, request) }
    }

    func blockingExchange(_ path: String, _ request: String) throws -> LocalAPIResponse {
        do {
            return try LocalAPIClient(socketPath: path).send(try JSONDecoder().decode(LocalAPIRequest.self, from: Data(request.utf8)))
        } catch let error as LocalAPIError {
            return LocalAPIResponse(error: error)
        } catch is DecodingError {
            return try rawExchange(path, request)
        }
    }

    /// For requests the client type cannot express (an unknown op): plain socket calls.
    func rawExchange(_ path: String, _ request: String) throws -> LocalAPIResponse {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let line = Array((request + "\n").utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        var reply: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { reply.append(byte) }
        return try JSONDecoder().decode(LocalAPIResponse.self, from: Data(reply))
    }

    @Test func attachCheckListDetachAndRefusals() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sy-local-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try AttachmentStore(stateDirectory: directory)
        let path = directory + "/agent.sock"
        let server = try await LocalAPIServer.bind(path: path, store: store)
        let running = Task { try await server.run() }
        defer { running.cancel() }

        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "only root may use the local API")

        let attached = try await exchange(path, #"{"op":"attach","port":"pt-1","namespace":"cni-abc","interfaceName":"eth0"}"#)
        #expect(attached.error == nil && attached.attachments == [PortAttachment(port: "pt-1", namespace: "cni-abc")])
        #expect(try await exchange(path, #"{"op":"attach","port":"pt-1","namespace":"cni-abc"}"#).error == nil, "attaching again is a no-op")
        #expect(try await exchange(path, #"{"op":"attach","port":"pt-1","namespace":"other"}"#).error?.code == "already_attached")
        #expect(try await exchange(path, #"{"op":"attach","port":"pt-2","namespace":"cni-abc"}"#).error?.code == "interface_taken")
        #expect(try await exchange(path, #"{"op":"attach","port":"pt-3","namespace":"x; rm -rf /"}"#).error?.code == "invalid_namespace")
        #expect(try await exchange(path, #"{"op":"attach","port":"pt-3","namespace":"ns","interfaceName":"a-very-long-interface"}"#)
            .error?.code == "invalid_interfaceName")
        #expect(try await exchange(path, #"{"op":"reboot"}"#).error?.code == "invalid_request")
        #expect(try await exchange(path, #"{"op":"check","port":"pt-1"}"#).attachments.count == 1)
        #expect(try await exchange(path, #"{"op":"check","port":"pt-9"}"#).error?.code == "not_attached")

        // Attachments survive a restart of the agent.
        #expect(await (try AttachmentStore(stateDirectory: directory)).all == [PortAttachment(port: "pt-1", namespace: "cni-abc")])

        #expect(try await exchange(path, #"{"op":"detach","port":"pt-1"}"#).attachments.count == 1)
        #expect(try await exchange(path, #"{"op":"detach","port":"pt-1"}"#).error == nil, "detach is idempotent, like CNI DEL")
        #expect(try await exchange(path, #"{"op":"list"}"#).attachments.isEmpty)
    }
}
