import HTTPTypes
import Hummingbird
import Northbound

/// Answers a request for a path the router serves, with a method it does not serve there, with 405
/// `method_not_allowed` and an `Allow` header listing the path's methods (RFC 9110), where
/// Hummingbird would answer 404. The table comes from the router's own routes.
///
/// Added to the router after every route: a router wraps each route in the middleware added
/// before it, and its not-found responder in all of them, so this one sees only requests that no
/// route took.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    /// Each routed path with the methods it answers.
    let paths: [(path: RouterPath, methods: [HTTPRequest.Method])]

    init(routes: [Hummingbird.Router<Context>.RouteDescription]) {
        let byPath = Dictionary(grouping: routes, by: \.path.description)
        paths = byPath.values.map { routes in (routes[0].path, routes.map(\.method).sorted { $0.rawValue < $1.rawValue }) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            var response = ErrorMiddleware.response(for: ModelError(
                .methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); it allows \(list)"))
            response.headers[.allow] = list
            return response
        }
    }

    /// The methods served on `path`, matched segment by segment as the router matches it. The API's
    /// paths do not overlap (no literal segment where another path captures), so at most one matches.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return paths.first { entry in
            entry.path.count == segments.count && zip(entry.path, segments).allSatisfy { element, segment in element ~= segment }
        }?.methods ?? []
    }
}
