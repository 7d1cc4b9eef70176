import Foundation
import Hummingbird
import Logging
import NIOCore
import Northbound

/// Turns every failure into the one error shape, `{"error": {"code", "message", "field"}}`.
/// Anything that is not a `ModelError` or an HTTP error is a bug: it is logged and answered with 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ModelError {
            return Self.response(for: error)
        } catch is NIOTooManyBytesError {
            return Self.response(for: ModelError(.bodyTooLarge, "the request body exceeds \(JSONBody.maxBytes) bytes"))
        } catch let error as HTTPError {
            return Self.response(for: Self.modelError(for: error, request: request))
        } catch {
            context.logger.error("internal error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return Self.response(for: ModelError(.internalError, "internal error; the controller log has the details"))
        }
    }

    static func modelError(for error: HTTPError, request: Request) -> ModelError {
        switch error.status {
        case .notFound: ModelError(.notFound, "no route for \(request.method) \(request.uri.path)")
        case .contentTooLarge: ModelError(.bodyTooLarge, "the request body exceeds \(JSONBody.maxBytes) bytes")
        case .methodNotAllowed: ModelError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
        case .unauthorized: ModelError(.unauthorized, error.body ?? "a bearer token is required")
        case .badRequest: ModelError(.invalidValue, error.body ?? "bad request")
        default: ModelError(.internalError, error.body ?? "\(error.status)")
        }
    }

    static func response(for error: ModelError) -> Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String
                let message: String
                let field: String?

                /// `field` is always present, null when the error is not about one field.
                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(code, forKey: .code)
                    try container.encode(message, forKey: .message)
                    try container.encode(field, forKey: .field)
                }

                enum CodingKeys: String, CodingKey { case code, message, field }
            }
            let error: Detail
        }
        let body = Body(error: .init(code: error.code.rawValue, message: error.message, field: error.field))
        let data = (try? JSONResponse.encoder.encode(body)) ?? Data()
        return Response(status: status(for: error.code), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func status(for code: ErrorCode) -> HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .methodNotAllowed: .methodNotAllowed
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .conflict, .inUse, .ipTaken, .macTaken, .cidrOverlap, .quotaExceeded, .poolExhausted: .conflict
        case .internalError: .internalServerError
        case .unavailable: .serviceUnavailable
        case .historyPruned: .gone
        case .invalidJSON, .unknownField, .invalidType, .missingField, .invalidName, .invalidValue, .invalidLabel,
             .invalidCIDR, .invalidIP, .invalidMAC, .invalidQuery, .invalidExpression, .ipOutOfRange, .nexthopUnreachable, .nexthopForbidden: .badRequest
        }
    }
}
