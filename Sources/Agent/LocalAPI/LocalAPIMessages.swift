/// One request on the local API socket, a JSON object on one line.
///
/// `{"op":"attach","port":"pt-…","namespace":"cni-1234","interfaceName":"eth0"}`,
/// `{"op":"detach","port":"pt-…"}`, `{"op":"check","port":"pt-…"}`, `{"op":"list"}`.
public struct LocalAPIRequest: Codable, Equatable, Sendable {
    public enum Operation: String, Codable, Sendable { case attach, detach, check, list }

    public var op: Operation
    public var port: String?
    public var namespace: String?
    public var interfaceName: String?

    public init(op: Operation, port: String? = nil, namespace: String? = nil, interfaceName: String? = nil) {
        self.op = op
        self.port = port
        self.namespace = namespace
        self.interfaceName = interfaceName
    }
}

/// The answer, one JSON line: the attachments concerned, or an error.
public struct LocalAPIResponse: Codable, Equatable, Sendable {
    public var attachments: [PortAttachment]
    public var error: LocalAPIError?

    public init(attachments: [PortAttachment] = [], error: LocalAPIError? = nil) {
        self.attachments = attachments
        self.error = error
    }
}
