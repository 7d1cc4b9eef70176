/// A refusal from the controller, decoded from `{"error": {"code", "message", "field"}}`.
public struct APIError: UserFacingError, Equatable, Decodable {
    /// The stable machine-readable code, like `cidr_overlap`.
    public let code: String
    public let message: String
    /// The request field the error is about, if it is about one.
    public let field: String?

    /// `<code> (<field>): <message>`, or `<code>: <message>` when no field is involved.
    public var description: String {
        if let field { return "\(code) (\(field)): \(message)" }
        return "\(code): \(message)"
    }

    /// The error body's envelope.
    struct Envelope: Decodable {
        let error: APIError
    }
}
