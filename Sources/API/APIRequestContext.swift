import Hummingbird
import Logging
import Northbound

/// The per-request context: Hummingbird's core storage plus the caller's scope, set by `AuthMiddleware`.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var scope: Scope?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// A context with no connection behind it, for driving the router in-process.
    public init(logger: Logger) {
        coreContext = .init(source: LoggerSource(logger: logger))
    }

    /// The caller's scope; only routes behind `AuthMiddleware` are reached, so it is always set there.
    func requireScope() throws -> Scope {
        guard let scope else { throw ModelError(.unauthorized, "a bearer token is required") }
        return scope
    }
}

private struct LoggerSource: RequestContextSource {
    let logger: Logger
}
