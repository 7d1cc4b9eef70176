import Foundation
import HTTPTypes
import Hummingbird

/// The topology page at `/ui`: three static files shipped with the API module. They hold no data;
/// the page reads the API with the token the user signs in with. Served without authentication,
/// with a policy that lets the page load only its own files and call only this controller.
enum TopologyPage {
    static let files: [(path: String, name: String, type: String)] = [
        ("/ui", "index.html", "text/html; charset=utf-8"),
        ("/ui/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/ui/app.css", "app.css", "text/css; charset=utf-8"),
    ]

    static let securityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    static func register(on router: Hummingbird.Router<APIRequestContext>) {
        for file in files {
            router.get(RouterPath(file.path)) { _, _ in
                guard let url = Bundle.module.url(forResource: file.name, withExtension: nil, subdirectory: "ui") else {
                    throw HTTPError(.notFound)
                }
                let body = try Data(contentsOf: url)
                return Response(status: .ok, headers: [
                    .contentType: file.type, .contentSecurityPolicy: securityPolicy, .xContentTypeOptions: "nosniff",
                    HTTPField.Name("Referrer-Policy")!: "no-referrer", .cacheControl: "no-cache",
                ], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
    }
}
