import Foundation
import HTTPTypes
import Hummingbird
import Northbound
import Store

/// JSON responses; a mutation's response carries the revision it committed, in the body and in a header.
enum JSONResponse {
    static let revisionHeader = HTTPField.Name("X-Switchyard-Revision")!

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, revision: Int64? = nil) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let revision { headers[revisionHeader] = String(revision) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func committed<T: Encodable>(_ committed: Committed<T>, status: HTTPResponse.Status = .ok) throws -> Response {
        try make(committed.value, status: status, revision: committed.revision)
    }

    /// The answer to a DELETE: which object went, at which revision.
    static func deleted(_ committed: Committed<String>) throws -> Response {
        struct Deleted: Encodable {
            let id: String
            let revision: Int64
        }
        return try make(Deleted(id: committed.value, revision: committed.revision), revision: committed.revision)
    }
}
