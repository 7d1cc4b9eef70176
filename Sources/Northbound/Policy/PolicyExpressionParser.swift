/// Parses ``PolicyExpression`` text; a refusal names the 1-based character position.
public struct PolicyExpressionParser {
    /// Longer expressions are refused: each one is evaluated per pair of endpoints.
    public static let maximumLength = 4_096
    static let maximumDepth = 64

    private enum Token: Equatable {
        case word(String), quoted(String), symbol(String), end
    }

    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0
    private var depth = 0

    public static func parse(_ text: String, field: String = "expression") throws -> PolicyExpression {
        guard text.count <= maximumLength else {
            throw ModelError(.invalidExpression, field: field, "an expression has at most \(maximumLength) characters")
        }
        var parser = PolicyExpressionParser()
        do {
            parser.tokens = try Self.tokenize(text)
            let expression = try parser.disjunction()
            guard parser.current.token == .end else { throw parser.failure("expected '&&', '||' or the end") }
            return expression
        } catch let failure as Failure {
            throw ModelError(.invalidExpression, field: field, "at position \(failure.position): \(failure.message)")
        }
    }

    struct Failure: Error {
        let position: Int
        let message: String
    }

    private var current: (token: Token, position: Int) { tokens[index] }

    private func failure(_ message: String) -> Failure {
        let found: String = switch current.token {
        case .word(let word): "'\(word)'"
        case .quoted(let text): "\"\(text)\""
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end"
        }
        return Failure(position: current.position, message: "\(message), found \(found)")
    }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private mutating func accept(_ symbol: String) -> Bool {
        guard current.token == .symbol(symbol) else { return false }
        advance()
        return true
    }

    private mutating func nested<T>(_ body: (inout PolicyExpressionParser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
        return try body(&self)
    }

    private mutating func disjunction() throws -> PolicyExpression {
        var result = try conjunction()
        while accept("||") { result = .or(result, try conjunction()) }
        return result
    }

    private mutating func conjunction() throws -> PolicyExpression {
        var result = try unary()
        while accept("&&") { result = .and(result, try unary()) }
        return result
    }

    private mutating func unary() throws -> PolicyExpression {
        if accept("!") { return .not(try nested { try $0.unary() }) }
        if accept("(") {
            let inner = try nested { try $0.disjunction() }
            guard accept(")") else { throw failure("expected ')'") }
            return inner
        }
        return try comparison()
    }

    private mutating func comparison() throws -> PolicyExpression {
        guard case .word(let name) = current.token else { throw failure("expected an attribute such as src_project") }
        let attribute = try Self.attribute(name, position: current.position)
        advance()
        if accept("==") { return .comparison(attribute, negated: false, values: [try value()]) }
        if accept("!=") { return .comparison(attribute, negated: true, values: [try value()]) }
        var negated = false
        if current.token == .word("not") {
            negated = true
            advance()
        }
        guard current.token == .word("in") else { throw failure(negated ? "expected 'in'" : "expected '==', '!=', 'in' or 'not in'") }
        advance()
        guard accept("(") else { throw failure("expected '(' after 'in'") }
        var values = [try value()]
        while accept(",") { values.append(try value()) }
        guard accept(")") else { throw failure("expected ',' or ')'") }
        return .comparison(attribute, negated: negated, values: values)
    }

    private mutating func value() throws -> String {
        switch current.token {
        case .word(let word), .quoted(let word):
            advance()
            return word
        default:
            throw failure("expected a value")
        }
    }

    private static func attribute(_ name: String, position: Int) throws -> PolicyAttribute {
        let side: PolicyAttribute.Side
        let rest: Substring
        if name.hasPrefix("src_") { (side, rest) = (.source, name.dropFirst(4)) }
        else if name.hasPrefix("dst_") { (side, rest) = (.destination, name.dropFirst(4)) }
        else { throw Failure(position: position, message: "unknown attribute '\(name)': attributes start with src_ or dst_") }
        switch rest {
        case "tenant": return PolicyAttribute(side: side, field: .tenant)
        case "project": return PolicyAttribute(side: side, field: .project)
        case "cluster": return PolicyAttribute(side: side, field: .cluster)
        default:
            guard rest.hasPrefix("label."), rest.count > 6 else {
                throw Failure(position: position, message: "unknown attribute '\(name)': use tenant, project, cluster or label.<key>")
            }
            return PolicyAttribute(side: side, field: .label(String(rest.dropFirst(6))))
        }
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "_-./:*".contains(character)
    }

    private static func tokenize(_ text: String) throws -> [(token: Token, position: Int)] {
        var tokens: [(token: Token, position: Int)] = []
        let characters = Array(text)
        var offset = 0
        while offset < characters.count {
            let character = characters[offset]
            let position = offset + 1
            if character.isWhitespace {
                offset += 1
            } else if let pair = ["==", "!=", "&&", "||"].first(where: { offset + 1 < characters.count && String(characters[offset...offset + 1]) == $0 }) {
                tokens.append((.symbol(pair), position))
                offset += 2
            } else if "!(),".contains(character) {
                tokens.append((.symbol(String(character)), position))
                offset += 1
            } else if character == "\"" || character == "'" {
                guard let close = characters[(offset + 1)...].firstIndex(of: character) else {
                    throw Failure(position: position, message: "unterminated string")
                }
                tokens.append((.quoted(String(characters[(offset + 1)..<close])), position))
                offset = close + 1
            } else if isWordCharacter(character) {
                var end = offset
                while end < characters.count, isWordCharacter(characters[end]) { end += 1 }
                tokens.append((.word(String(characters[offset..<end])), position))
                offset = end
            } else {
                throw Failure(position: position, message: "unexpected character '\(character)'")
            }
        }
        tokens.append((.end, characters.count + 1))
        return tokens
    }
}
