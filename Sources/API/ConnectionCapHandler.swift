import NIOCore
import Synchronization

/// Holds the REST listener to a number of open connections; one over it is closed at once. The
/// controller shares its file descriptors between REST clients, agents and the store, so clients
/// that hold connections open must not be able to take them all.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    /// The open connections of one listener.
    final class Count: Sendable {
        let maximum: Int
        private let open = Atomic(0)

        init(maximum: Int) {
            self.maximum = maximum
        }

        func enter() -> Bool {
            if open.wrappingAdd(1, ordering: .relaxed).newValue <= maximum { return true }
            leave()
            return false
        }

        func leave() {
            open.wrappingSubtract(1, ordering: .relaxed)
        }
    }

    private let count: Count
    private var counted = false

    init(count: Count) {
        self.count = count
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = count.enter()
        if !counted { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if counted { count.leave() }
        counted = false
    }
}

@available(*, unavailable)
extension ConnectionCapHandler: Sendable {}
