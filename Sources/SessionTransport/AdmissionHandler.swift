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
    private var source: String?
    private var isPending = false
    private var deadline: Scheduled<Void>?

    init(gate: ConnectionGate, limit: FrameLimit, identifiedLimit: Int) {
        self.gate = gate
        self.limit = limit
        self.identifiedLimit = identifiedLimit
    }

    func channelActive(context: ChannelHandlerContext) {
        let source = context.remoteAddress?.ipAddress ?? "unknown"
        guard gate.admit(source: source) else {
            context.close(promise: nil)
            return
        }
        self.source = source
        isPending = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: gate.limits.identificationDeadline) {
            loopBound.value.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is Identified else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        if isPending, let source {
            isPending = false
            deadline?.cancel()
            gate.identified(source: source)
            limit.set(identifiedLimit)
        }
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        if let source {
            gate.closed(source: source, wasPending: isPending)
            self.source = nil
        }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension AdmissionHandler: Sendable {}
