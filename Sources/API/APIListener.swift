public import HummingbirdCore
import NIOCore

/// How the REST listener treats its connections.
public enum APIListener {
    /// HTTP/1.1 where a connection must deliver a whole request within `requestTimeout` of opening
    /// or of its last response, and at most `maximumConnections` are open at once.
    public static func http1(requestTimeout: TimeAmount, maximumConnections: Int) -> HTTPServerBuilder {
        let count = ConnectionCapHandler.Count(maximum: maximumConnections)
        return .http1(configuration: .init(additionalChannelHandlers: [
            ConnectionCapHandler(count: count), RequestDeadlineHandler(deadline: requestTimeout),
        ]))
    }
}
