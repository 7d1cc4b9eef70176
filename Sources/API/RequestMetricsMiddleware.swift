import Hummingbird
import Metrics

/// Counts every request by route, method and status, and times it. The route is the pattern the
/// router matched (`/v1/ports/{id}`), or `unmatched`, never the path: a label per object would
/// grow without bound. Added before every other middleware, so it sees the status actually sent.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        Counter(label: "switchyard_api_requests_total",
                dimensions: [("route", route), ("method", method), ("status", String(response.status.code))]).increment()
        Timer(label: "switchyard_api_request_duration_seconds", dimensions: [("route", route), ("method", method)])
            .record(duration: ContinuousClock.now - started)
        return response
    }
}
