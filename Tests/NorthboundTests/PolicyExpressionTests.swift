import Northbound
import Testing

/// The operators' match expressions: what parses, what it means, and where a refusal points.
@Suite struct PolicyExpressionTests {
    let front = EndpointAttributes(tenant: "tano", project: "front-end", cluster: "kube1", labels: ["tier": "web"])
    let redis = EndpointAttributes(tenant: "tano", project: "tano-project", labels: ["app": "redis"])
    let bare = EndpointAttributes()

    func holds(_ text: String, source: EndpointAttributes, destination: EndpointAttributes) throws -> Bool {
        try PolicyExpressionParser.parse(text).matches(source: source, destination: destination)
    }

    @Test func theOperatorsExpression() throws {
        let text = "src_project==front-end || src_tenant==external"
        #expect(try holds(text, source: front, destination: redis))
        #expect(try !holds(text, source: redis, destination: redis))
        #expect(try holds(text, source: EndpointAttributes(tenant: "external"), destination: redis))
        #expect(try !holds(text, source: bare, destination: redis), "a bare address has no project or tenant")
    }

    @Test func precedenceNegationAndLists() throws {
        // && binds tighter than ||; ! tighter than &&.
        #expect(try holds("src_tenant==x && src_project==y || dst_label.app==redis", source: front, destination: redis))
        #expect(try !holds("src_tenant==x && (src_project==y || dst_label.app==redis)", source: front, destination: redis))
        #expect(try holds("!src_cluster==kube2 && src_label.tier in (web, 'db')", source: front, destination: redis))
        #expect(try holds("src_project not in (ops, \"back\")", source: front, destination: redis))
        #expect(try !holds("src_project not in (front-end)", source: front, destination: redis))
        #expect(try holds("src_cluster != kube2", source: bare, destination: redis), "!= holds for a missing attribute")
        #expect(try holds("!!(dst_project==tano-project)", source: front, destination: redis))
    }

    @Test func whatAnExpressionReads() throws {
        #expect(try PolicyExpressionParser.parse("src_project==a").reads(.source))
        #expect(try !PolicyExpressionParser.parse("src_project==a").reads(.destination))
        #expect(try PolicyExpressionParser.parse("src_project==a || !(dst_label.k==v)").reads(.destination))
    }

    @Test(arguments: [
        ("src_project=front", 12, "unexpected character '='"),
        ("src_project==", 14, "expected a value"),
        ("project==a", 1, "attributes start with src_ or dst_"),
        ("src_namespace==a", 1, "unknown attribute"),
        ("src_label.==a", 1, "unknown attribute"),
        ("(src_project==a", 16, "expected ')'"),
        ("src_project==a b", 16, "expected '&&', '||' or the end"),
        ("src_project in a", 16, "expected '(' after 'in'"),
        ("src_project in (a b)", 19, "expected ',' or ')'"),
        ("src_project==\"a", 14, "unterminated string"),
        ("", 1, "expected an attribute"),
    ])
    func refusalsNameThePosition(text: String, position: Int, message: String) {
        #expect {
            try PolicyExpressionParser.parse(text, field: "ingress[0].expression")
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.code == .invalidExpression && error.field == "ingress[0].expression"
                && error.message.hasPrefix("at position \(position):") && error.message.contains(message)
        }
    }

    @Test func deepNestingAndLongTextAreRefused() {
        #expect(throws: ModelError.self) { try PolicyExpressionParser.parse(String(repeating: "(", count: 100) + "src_project==a" + String(repeating: ")", count: 100)) }
        #expect(throws: ModelError.self) { try PolicyExpressionParser.parse("src_project==" + String(repeating: "a", count: 5_000)) }
    }
}
