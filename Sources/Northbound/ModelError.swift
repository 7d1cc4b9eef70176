/// A refusal the user can act on: a stable machine-readable code, the offending field, and a message.
///
/// Every layer throws this for bad input; the API turns it into
/// `{"error": {"code", "message", "field"}}` with the HTTP status of its code.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let field: String?
    public let message: String

    public init(_ code: ErrorCode, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "\(code.rawValue) (\(field)): \(message)" }
        return "\(code.rawValue): \(message)"
    }

    public static func notFound(_ kind: String, _ id: String, field: String? = nil) -> ModelError {
        ModelError(.notFound, field: field, "\(kind) '\(id)' not found")
    }
}

/// The stable error codes of the API. Clients match on these; never rename one.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    case invalidJSON = "invalid_json"
    case unknownField = "unknown_field"
    case invalidType = "invalid_type"
    case missingField = "missing_field"
    case invalidName = "invalid_name"
    case invalidValue = "invalid_value"
    case invalidLabel = "invalid_label"
    case invalidCIDR = "invalid_cidr"
    case invalidIP = "invalid_ip"
    case invalidMAC = "invalid_mac"
    case invalidQuery = "invalid_query"
    case invalidExpression = "invalid_expression"
    case cidrOverlap = "cidr_overlap"
    case ipTaken = "ip_taken"
    case ipOutOfRange = "ip_out_of_range"
    case macTaken = "mac_taken"
    case poolExhausted = "pool_exhausted"
    case quotaExceeded = "quota_exceeded"
    case nexthopUnreachable = "nexthop_unreachable"
    case nexthopForbidden = "nexthop_forbidden"
    case notFound = "not_found"
    case conflict = "conflict"
    case inUse = "in_use"
    case unauthorized = "unauthorized"
    case forbidden = "forbidden"
    case methodNotAllowed = "method_not_allowed"
    case bodyTooLarge = "body_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case unavailable = "unavailable"
    /// The history a request asks for was pruned: re-list, then watch from the list's revision.
    case historyPruned = "history_pruned"
    case internalError = "internal_error"
}
