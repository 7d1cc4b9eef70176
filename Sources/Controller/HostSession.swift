import Foundation
import NIOCore
import SessionTransport
import Southbound

/// One agent's session after its hello: a writer that sends whatever brings the agent up to date
/// (and heartbeats when idle), a reader for acks and heartbeats, and a watchdog that ends the
/// session when the agent has been silent for three heartbeat intervals. A `renew` from the agent
/// is answered with a new certificate (or a refusal, which ends the session); one that comes
/// sooner than `renewalSpacing` after the last is ignored, so a host cannot make the controller
/// sign and write in a loop (the agent asks again later).
struct HostSession {
    let hub: SouthboundHub
    let host: String
    let heartbeat: Duration
    let renewalSpacing: Duration
    let renew: @Sendable () async -> ControllerMessage
    let runtimePorts: RuntimePortDesk
    let presence: ControllerPresence

    func run(appliedRevision: Int64, routingDomain: String?, frames: InboundCursor, outbound: FrameWriter) async throws {
        let (session, wake) = await hub.attach(host: host, appliedRevision: appliedRevision, routingDomain: routingDomain)
        let lastHeard = LastHeard()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await write(session: session, wake: wake, outbound: outbound) }
                group.addTask { try await read(session: session, frames: frames, lastHeard: lastHeard, outbound: outbound) }
                group.addTask { try await watch(lastHeard: lastHeard) }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            await hub.detach(host: host, session: session)
            throw error
        }
        await hub.detach(host: host, session: session)
    }

    private func write(session: UUID, wake: AsyncStream<Void>, outbound: FrameWriter) async throws {
        // A delta per host per change: the streaming encoder (about 3x Foundation's speed here).
        let encoder = WireJSONEncoder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Heartbeats go out on a timer, and (with a shared store) the controllers' list first and
            // whenever it changed; state goes out when the hub signals a change.
            group.addTask {
                var told: [String] = []
                while !Task.isCancelled {
                    if presence.isShared, presence.addresses != told {
                        told = presence.addresses
                        try await outbound.write(ByteBuffer(bytes: try encoder.encode(ControllerMessage.controllers(told))))
                    }
                    try await Task.sleep(for: heartbeat)
                    try await outbound.write(ByteBuffer(bytes: try encoder.encode(ControllerMessage.heartbeat)))
                }
            }
            group.addTask {
                for await _ in wake {
                    while let message = await hub.nextMessage(host: host, session: session) {
                        try await outbound.write(ByteBuffer(bytes: try encoder.encode(message)))
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func read(session: UUID, frames: InboundCursor, lastHeard: LastHeard, outbound: FrameWriter) async throws {
        let decoder = JSONDecoder()
        var lastRenewal: ContinuousClock.Instant?
        while let frame = try await frames.next() {
            lastHeard.touch()
            let message = try decoder.decode(AgentMessage.self, from: Data(frame.readableBytesView))
            switch message {
            case .ack(let ack):
                await hub.acknowledge(host: host, session: session, revision: ack.revision, errors: ack.errors)
            case .heartbeat:
                await hub.heard(from: host)
            case .renew:
                if let lastRenewal, ContinuousClock.now - lastRenewal < renewalSpacing { continue }
                lastRenewal = .now
                let answer = await renew()
                try await outbound.write(ByteBuffer(bytes: try JSONEncoder().encode(answer)))
                if case .refused = answer { return }
            case .requestPort, .releasePorts, .collectPorts, .labelPorts:
                // Answered in order, one at a time: a runtime's DEL never overtakes its ADD.
                if let answer = await runtimePorts.answer(message, host: host) {
                    try await outbound.write(ByteBuffer(bytes: try JSONEncoder().encode(ControllerMessage.portAnswer(answer))))
                }
            case .endpointHealth(let report):
                await hub.reportHealth(host: host, report: report)
            case .hello, .enroll:
                return
            }
        }
    }

    private func watch(lastHeard: LastHeard) async throws {
        while true {
            try await Task.sleep(for: heartbeat)
            if lastHeard.silence > heartbeat * 3 { return }
        }
    }
}
