import Hummingbird
import Northbound
import Store

/// Resolves `Authorization: Bearer <token>` to a scope. No or an unknown token is 401.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw ModelError(.unauthorized, "send the token as 'Authorization: Bearer <token>'")
        }
        guard let token = try await store.token(forSecret: String(header.dropFirst("Bearer ".count))) else {
            throw ModelError(.unauthorized, "the token is not valid")
        }
        var context = context
        context.scope = token.scope
        // What the request changes is recorded in the audit trail under this token.
        return try await AuditActor.$current.withValue(token) {
            try await next(request, context)
        }
    }
}
