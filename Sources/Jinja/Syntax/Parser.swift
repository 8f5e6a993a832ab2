/// Recursive-descent parser producing the same tree jinja2's `Parser` builds.
///
/// It also performs the compile-time checks jinja2 does (unknown filters and tests outside
/// `if` blocks, `break` outside loops) and enforces a nesting limit so hostile input cannot
/// exhaust the stack.
struct Parser {
    var tokens: [Token]
    var index = 0
    let maxDepth: Int
    var depth = 0
    /// jinja2's "soft frame": inside an `if` or inline `if`, unknown filters fail only when used.
    var soft = false
    /// Loops enclosing the current position within the current macro (for `break`/`continue`).
    var loopDepth = 0
    /// End tags the enclosing blocks are waiting for, innermost last (for error messages).
    var endTokenStack: [[String]] = []
    /// The first `break`/`continue` outside a loop; jinja2 reports it only after parsing succeeds.
    var misplacedLoopControl: JinjaError?

    let stack: StackGuard

    init(tokens: [Token], maxDepth: Int, stack: StackGuard) {
        self.tokens = tokens
        self.maxDepth = maxDepth
        self.stack = stack
    }

    static func parse(_ source: String, limits: Limits = .standard, stack: StackGuard = .unlimited) throws(JinjaError)
        -> [Stmt]
    {
        var parser = Parser(tokens: try Lexer.tokenize(source), maxDepth: limits.maxParseDepth, stack: stack)
        return try parser.parseTemplate()
    }

    mutating func parseTemplate() throws(JinjaError) -> [Stmt] {
        let body = try subparse(endTokens: nil)
        if current.kind != .eof {
            throw fail("unexpected \(PythonRepr.string(current.description))")
        }
        if let misplacedLoopControl { throw misplacedLoopControl }
        return body
    }

    // MARK: - Token stream

    var current: Token { tokens[index] }

    func look() -> Token {
        tokens[min(index + 1, tokens.count - 1)]
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func skipIfName(_ keyword: String) -> Bool {
        guard current.isName(keyword) else { return false }
        advance()
        return true
    }

    mutating func skipIfOp(_ symbol: String) -> Bool {
        guard current.isOp(symbol) else { return false }
        advance()
        return true
    }

    @discardableResult
    mutating func expectOp(_ symbol: String) throws(JinjaError) -> Token {
        guard current.isOp(symbol) else { throw unexpected(expected: "'\(symbol)'") }
        return advance()
    }

    @discardableResult
    mutating func expectName(_ keyword: String? = nil) throws(JinjaError) -> Token {
        guard current.kind == .name, keyword == nil || current.text == keyword else {
            throw unexpected(expected: keyword.map { "'\($0)'" } ?? "name")
        }
        return advance()
    }

    mutating func expect(_ kind: Token.Kind) throws(JinjaError) {
        guard current.kind == kind else {
            throw unexpected(expected: Token(kind, "", line: 0).description)
        }
        advance()
    }

    func fail(_ message: String, line: Int? = nil) -> JinjaError {
        .syntax(message: message, line: line ?? current.line)
    }

    func unexpected(expected: String) -> JinjaError {
        if current.kind == .eof {
            return fail("unexpected end of template, expected \(expected).")
        }
        return fail("expected token \(expected), got \(PythonRepr.string(current.description))")
    }

    /// Guards recursion; every nested block and parenthesized expression passes through here.
    mutating func nested<T>(_ body: (inout Parser) throws(JinjaError) -> T) throws(JinjaError) -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth {
            throw JinjaError.limit(message: "template nesting deeper than \(maxDepth) levels (line \(current.line))")
        }
        try stack.check()
        return try body(&self)
    }

    /// Counts one more level of tree nesting built by a loop (left-associative operators, postfix
    /// chains): `1+1+1+...` nests as deeply as `((1+1)+1)+...`, so it shares the nesting limit.
    mutating func wrap(_ wraps: inout Int) throws(JinjaError) {
        depth += 1
        wraps += 1
        if depth > maxDepth {
            throw JinjaError.limit(message: "template nesting deeper than \(maxDepth) levels (line \(current.line))")
        }
    }

    // MARK: - Bodies

    /// Template data and tags until one of `endTokens` (names like `endif`) opens a block tag.
    /// On return the current token is that end name (left for the caller to consume).
    mutating func subparse(endTokens: [String]?) throws(JinjaError) -> [Stmt] {
        var body: [Stmt] = []
        if let endTokens { endTokenStack.append(endTokens) }
        defer { if endTokens != nil { endTokenStack.removeLast() } }
        while current.kind != .eof {
            switch current.kind {
            case .data:
                body.append(.text(advance().text))
            case .variableBegin:
                advance()
                body.append(.output(try parseTuple()))
                try expect(.variableEnd)
            case .blockBegin:
                advance()
                if let endTokens, current.kind == .name, endTokens.contains(current.text) {
                    return body
                }
                body.append(
                    contentsOf: try nested { (parser: inout Parser) throws(JinjaError) in try parser.parseStatement() })
                try expect(.blockEnd)
            default:
                throw fail("internal parsing error")
            }
        }
        return body
    }

    /// Parses `:`? `%}` then a body up to one of `endTokens`; with `dropNeedle` the end name is consumed.
    mutating func parseStatements(_ endTokens: [String], dropNeedle: Bool = false) throws(JinjaError) -> [Stmt] {
        _ = skipIfOp(":")
        try expect(.blockEnd)
        let body = try subparse(endTokens: endTokens)
        if current.kind == .eof {
            throw failEOF(endTokens)
        }
        if dropNeedle { advance() }
        return body
    }

    /// jinja2's message for a block left open at the end of the template.
    func failEOF(_ endTokens: [String]) -> JinjaError {
        let list = endTokens.map { "'\($0)'" }.joined(separator: " or ")
        let block = endTokens.first { $0.hasPrefix("end") }.map { String($0.dropFirst(3)) } ?? ""
        return fail(
            "Unexpected end of template. Jinja was looking for the following tags: \(list). "
                + "The innermost block that needs to be closed is '\(block)'.")
    }
}
