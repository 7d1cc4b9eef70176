import Foundation

/// Where the controller is and how to authenticate: flags first, then the environment, then the default.
public struct ClientConfiguration: Equatable, Sendable {
    public static let defaultURL = "http://127.0.0.1:8080"
    public static let urlVariable = "SWITCHYARD_URL"
    public static let tokenVariable = "SWITCHYARD_TOKEN"

    /// The controller's base URL, without the `/v1` the API paths add.
    public var baseURL: URL
    public var token: String?

    public init(baseURL: URL, token: String?) {
        self.baseURL = baseURL
        self.token = token
    }

    /// Resolves `--url` and `--token` against `SWITCHYARD_URL` and `SWITCHYARD_TOKEN`.
    public init(url: String?, token: String?, environment: [String: String]) throws {
        let text = url ?? environment[Self.urlVariable] ?? Self.defaultURL
        guard let parsed = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
              let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              parsed.host?.isEmpty == false else {
            throw SyctlError.invalidArgument("the controller URL '\(text)' is not an http(s) URL like \(Self.defaultURL)")
        }
        let token = token ?? environment[Self.tokenVariable]
        self.init(baseURL: parsed, token: token?.isEmpty == true ? nil : token)
    }
}
