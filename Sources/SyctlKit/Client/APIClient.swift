import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The controller's REST API over HTTP: JSON in and out, bearer token, errors decoded into `APIError`.
public struct APIClient: Sendable {
    /// The largest page the API serves; lists are read in pages of this size.
    static let pageSize = 1_000

    public let configuration: ClientConfiguration
    let session: URLSession

    public init(configuration: ClientConfiguration, session: URLSession = .shared) {
        self.configuration = configuration
        self.session = session
    }

    /// `GET path`, decoded.
    public func get<T: Decodable>(_ path: String) async throws -> T {
        try decode(try await send("GET", path))
    }

    /// `GET path?query`, decoded.
    public func get<T: Decodable>(_ path: String, query: [URLQueryItem]) async throws -> T {
        try decode(try await send("GET", path, query: query))
    }

    /// Every object of a collection that matches `filters`, reading page after page to the end.
    public func list<T: Decodable>(_ path: String, filters: [URLQueryItem] = []) async throws -> [T] {
        try await Pagination.collect { cursor in
            var query = filters + [URLQueryItem(name: "limit", value: String(Self.pageSize))]
            if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
            let page: ListPage<T> = try decode(try await send("GET", path, query: query))
            return (page.items, page.next)
        }
    }

    /// `POST path` with a JSON body; the created object.
    public func post<T: Decodable>(_ path: String, _ body: some Encodable) async throws -> T {
        try decode(try await send("POST", path, body: try Self.encoder.encode(body)))
    }

    /// `POST path` without a body, for actions such as `/v1/hosts/{id}/revoke`; the object acted on.
    public func post<T: Decodable>(_ path: String) async throws -> T {
        try decode(try await send("POST", path))
    }

    /// `PATCH path` with a JSON body; the updated object.
    public func patch<T: Decodable>(_ path: String, _ body: some Encodable) async throws -> T {
        try decode(try await send("PATCH", path, body: try Self.encoder.encode(body)))
    }

    /// `DELETE path`.
    public func delete(_ path: String) async throws {
        _ = try await send("DELETE", path)
    }

    private static let encoder = JSONEncoder()

    /// `GET path?query` as a stream of lines, for `GET /v1/watch`.
    public func stream(_ path: String, query: [URLQueryItem]) throws -> AsyncThrowingStream<String, any Error> {
        var components = URLComponents(url: configuration.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        components?.queryItems = query
        guard let url = components?.url else { throw SyctlError.invalidArgument("cannot build a URL for \(path)") }
        // The server writes at least a bookmark every 10 s; a minute of silence is a dead connection.
        var request = URLRequest(url: url, timeoutInterval: 60)
        if let token = configuration.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return WatchConnection.open(request)
    }

    private struct ListPage<Item: Decodable>: Decodable {
        let items: [Item]
        let next: String?
    }

    private func send(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil) async throws -> Data {
        var components = URLComponents(url: configuration.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else { throw SyctlError.invalidArgument("cannot build a URL for \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token = configuration.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw SyctlError.unreachable(url: configuration.baseURL.absoluteString, reason: Self.reason(error))
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let envelope = try? JSONDecoder().decode(APIError.Envelope.self, from: data) { throw envelope.error }
            throw SyctlError.unexpectedResponse(status: status, detail: Self.preview(data))
        }
        return data
    }

    private func decode<T: Decodable>(_ data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw SyctlError.unexpectedResponse(status: 200, detail: "cannot read the body as \(T.self): \(Self.preview(data))")
        }
    }

    private static func preview(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "empty body" : text
    }

    /// Foundation's messages for URL errors are vague on Linux; name the common causes.
    static func reason(_ error: any Error) -> String {
        guard let urlError = error as? URLError else { return "\(error)" }
        switch urlError.code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "connection lost"
        case .secureConnectionFailed, .serverCertificateUntrusted: return "TLS handshake failed"
        default: return urlError.localizedDescription
        }
    }
}
