import NIOCore

/// The first handler of every accepted connection: admits it through the ``ConnectionGate`` or
/// closes it at once, closes it when it is not identified within the deadline, and on
/// identification (an ``Identified`` outbound event) raises its frame limit.
final class AdmissionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    /// Sent down the pipeline (`triggerUserOutboundEvent`) when the session has identified its peer.
    struct Identified: Sendable {}

    private let gate: ConnectionGate
    private let limit: FrameLimit
    private let identifiedLimit: Int
    private var ticket: ConnectionGate.Ticket?
    private var isPending = false
    private var deadline: Scheduled<Void>?

    init(gate: ConnectionGate, limit: FrameLimit, identifiedLimit: Int) {
        self.gate = gate
        self.limit = limit
        self.identifiedLimit = identifiedLimit
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        guard let ticket = gate.admit(source: Self.source(of: context.remoteAddress), close: { channel.close(promise: nil) }) else {
            context.close(promise: nil)
            return
        }
        self.ticket = ticket
        isPending = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: gate.limits.identificationDeadline) {
            loopBound.value.close(promise: nil)
        }
        context.fireChannelActive()
    }

    /// What the per-source cap counts: an IPv4 address, or the /64 of an IPv6 address (one host
    /// commonly holds a whole /64).
    static func source(of address: SocketAddress?) -> String {
        guard case .v6(let v6) = address else { return address?.ipAddress ?? "unknown" }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes.suffix(4).map(String.init).joined(separator: ".")
        }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is Identified else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if isPending, let ticket {
            isPending = false
            deadline?.cancel()
            guard gate.identified(ticket) else {
                // Evicted while its first message was read: it is closing.
                promise?.fail(ChannelError.ioOnClosedChannel)
                return
            }
            limit.set(identifiedLimit)
        }
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        if let ticket {
            gate.closed(ticket)
            self.ticket = nil
        }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension AdmissionHandler: Sendable {}
