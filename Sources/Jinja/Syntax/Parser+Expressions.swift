/// Expressions, by jinja2's precedence: inline if < or < and < not < comparisons < `+ -` < `~`
/// < `* / // %` < `**` (left-associative) < unary minus < postfix (`.a`, `[i]`, calls) and filters/tests.
extension Parser {
    mutating func parseExpression(withConditional: Bool = true) throws(JinjaError) -> Expr {
        try nested { (parser: inout Parser) throws(JinjaError) in
            withConditional ? try parser.parseConditional() : try parser.parseOr()
        }
    }

    mutating func parseConditional() throws(JinjaError) -> Expr {
        var expr = try parseOr()
        var wraps = 0
        defer { depth -= wraps }
        while current.isName("if") {
            try wrap(&wraps)
            let line = advance().line
            let outerSoft = soft
            soft = true
            defer { soft = outerSoft }
            let test = try parseOr()
            var otherwise: Expr?
            if skipIfName("else") { otherwise = try parseConditional() }
            expr = .conditional(test: test, then: expr, otherwise: otherwise, line: line)
        }
        return expr
    }

    mutating func parseOr() throws(JinjaError) -> Expr {
        var left = try parseAnd()
        var wraps = 0
        defer { depth -= wraps }
        while skipIfName("or") {
            try wrap(&wraps)
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(JinjaError) -> Expr {
        var left = try parseNot()
        var wraps = 0
        defer { depth -= wraps }
        while skipIfName("and") {
            try wrap(&wraps)
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(JinjaError) -> Expr {
        if current.isName("not") {
            advance()
            return .not(try nested { (parser: inout Parser) throws(JinjaError) in try parser.parseNot() })
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(JinjaError) -> Expr {
        let expr = try parseMath1()
        var operations: [(op: CompareOp, operand: Expr)] = []
        while true {
            if current.kind == .op, let op = CompareOp(rawValue: current.text), op != .isIn, op != .notIn {
                advance()
                operations.append((op, try parseMath1()))
            } else if skipIfName("in") {
                operations.append((.isIn, try parseMath1()))
            } else if current.isName("not") && look().isName("in") {
                advance()
                advance()
                operations.append((.notIn, try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? expr : .compare(expr, operations)
    }

    mutating func parseMath1() throws(JinjaError) -> Expr {
        var left = try parseConcat()
        var wraps = 0
        defer { depth -= wraps }
        while current.isOp("+") || current.isOp("-") {
            try wrap(&wraps)
            let op: BinaryOp = advance().text == "+" ? .add : .subtract
            left = .binary(op, left, try parseConcat())
        }
        return left
    }

    mutating func parseConcat() throws(JinjaError) -> Expr {
        var parts = [try parseMath2()]
        while skipIfOp("~") { parts.append(try parseMath2()) }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    mutating func parseMath2() throws(JinjaError) -> Expr {
        var left = try parsePow()
        var wraps = 0
        defer { depth -= wraps }
        while current.kind == .op, ["*", "/", "//", "%"].contains(current.text) {
            try wrap(&wraps)
            let op = BinaryOp(rawValue: advance().text) ?? .multiply
            left = .binary(op, left, try parsePow())
        }
        return left
    }

    mutating func parsePow() throws(JinjaError) -> Expr {
        var left = try parseUnary()
        var wraps = 0
        defer { depth -= wraps }
        while skipIfOp("**") {
            try wrap(&wraps)
            left = .binary(.power, left, try parseUnary())
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws(JinjaError) -> Expr {
        try nested { (parser: inout Parser) throws(JinjaError) in
            var node: Expr
            if parser.skipIfOp("-") {
                node = .unary(.negate, try parser.parseUnary(withFilter: false))
            } else if parser.skipIfOp("+") {
                node = .unary(.plus, try parser.parseUnary(withFilter: false))
            } else {
                node = try parser.parsePrimary()
            }
            node = try parser.parsePostfix(node)
            if withFilter { node = try parser.parseFilterExpression(node) }
            return node
        }
    }

    mutating func parsePrimary(withNamespace: Bool = false) throws(JinjaError) -> Expr {
        let token = current
        switch token.kind {
        case .name:
            advance()
            switch token.text {
            case "true", "True": return .constant(.bool(true))
            case "false", "False": return .constant(.bool(false))
            case "none", "None": return .constant(.none)
            default:
                if withNamespace && current.isOp(".") {
                    advance()
                    return .getattr(.name(token.text), try expectName().text)
                }
                return .name(token.text)
            }
        case .string:
            var text = ""
            while current.kind == .string { text += advance().text }
            return .constant(.string(text))
        case .integer, .float:
            advance()
            return .constant(token.value)
        case .op where token.text == "(":
            advance()
            let node = try parseTuple(explicitParentheses: true)
            try expectOp(")")
            return node
        case .op where token.text == "[":
            return try parseList()
        case .op where token.text == "{":
            return try parseDict()
        default:
            throw fail("unexpected \(PythonRepr.string(token.description))")
        }
    }

    /// Comma-separated expressions; a tuple only if a comma appears (`(a)` is just `a`).
    mutating func parseTuple(
        simplified: Bool = false, withConditional: Bool = true, extraEndRules: [String] = [],
        explicitParentheses: Bool = false, withNamespace: Bool = false
    ) throws(JinjaError) -> Expr {
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEndRules) { break }
            if simplified {
                items.append(
                    try nested { (parser: inout Parser) throws(JinjaError) in
                        try parser.parsePrimary(withNamespace: withNamespace)
                    })
            } else {
                items.append(try parseExpression(withConditional: withConditional))
            }
            guard current.isOp(",") else { break }
            isTuple = true
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses {
                throw fail("Expected an expression, got \(PythonRepr.string(current.description))")
            }
        }
        return .tuple(items)
    }

    func isTupleEnd(_ extraEndRules: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd: return true
        case .op: return current.text == ")"
        case .name: return extraEndRules.contains(current.text)
        default: return false
        }
    }

    mutating func parseList() throws(JinjaError) -> Expr {
        try expectOp("[")
        var items: [Expr] = []
        while !current.isOp("]") {
            if !items.isEmpty { try expectOp(",") }
            if current.isOp("]") { break }
            items.append(try parseExpression())
        }
        try expectOp("]")
        return .list(items)
    }

    mutating func parseDict() throws(JinjaError) -> Expr {
        try expectOp("{")
        var items: [(key: Expr, value: Expr)] = []
        while !current.isOp("}") {
            if !items.isEmpty { try expectOp(",") }
            if current.isOp("}") { break }
            let key = try parseExpression()
            try expectOp(":")
            items.append((key, try parseExpression()))
        }
        try expectOp("}")
        return .dict(items)
    }

    /// Targets of `set`, `for` and `with`: names, tuples of names, or (for `set`) `ns.attr`.
    mutating func parseAssignTarget(extraEndRules: [String] = [], withNamespace: Bool = false) throws(JinjaError)
        -> AssignTarget
    {
        let line = current.line
        let expr = try parseTuple(simplified: true, extraEndRules: extraEndRules, withNamespace: withNamespace)
        guard let target = Parser.assignTarget(expr) else {
            throw fail("can't assign to \(PythonRepr.string(Parser.nodeName(expr)))", line: line)
        }
        return target
    }

    static func assignTarget(_ expr: Expr) -> AssignTarget? {
        switch expr {
        case .name(let name): return .name(name)
        case .getattr(.name(let name), let attribute): return .namespaceAttribute(name, attribute)
        case .tuple(let items):
            var targets: [AssignTarget] = []
            for item in items {
                guard let target = assignTarget(item) else { return nil }
                targets.append(target)
            }
            return .tuple(targets)
        default: return nil
        }
    }

    static func nodeName(_ expr: Expr) -> String {
        switch expr {
        case .constant: return "const"
        case .list: return "list"
        case .dict: return "dict"
        case .tuple: return "tuple"
        case .call: return "call"
        case .getitem: return "getitem"
        case .getattr: return "getattr"
        default: return "expr"
        }
    }
}
