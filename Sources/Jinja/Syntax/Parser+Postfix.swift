/// Postfix syntax: attribute access, subscripts and slices, calls, `| filter` and `is test`.
extension Parser {
    mutating func parsePostfix(_ start: Expr) throws(JinjaError) -> Expr {
        var node = start
        var wraps = 0
        defer { depth -= wraps }
        while true {
            try wrap(&wraps)
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = .call(node, try parseCallArguments())
            } else {
                return node
            }
        }
    }

    mutating func parseFilterExpression(_ start: Expr) throws(JinjaError) -> Expr {
        var node = start
        var wraps = 0
        defer { depth -= wraps }
        while true {
            try wrap(&wraps)
            if current.isOp("|") {
                for filter in try parseFilterChain(startInline: false) {
                    try wrap(&wraps)
                    node = .filter(node, filter)
                }
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = .call(node, try parseCallArguments())
            } else {
                return node
            }
        }
    }

    mutating func parseSubscript(_ node: Expr) throws(JinjaError) -> Expr {
        let token = advance()
        if token.isOp(".") {
            let attribute = advance()
            if attribute.kind == .name { return .getattr(node, attribute.text) }
            guard attribute.kind == .integer else { throw fail("expected name or number", line: attribute.line) }
            return .getitem(node, .constant(attribute.value))
        }
        var arguments: [Expr] = []
        while !current.isOp("]") {
            if !arguments.isEmpty { try expectOp(",") }
            arguments.append(try parseSubscribed(node))
        }
        try expectOp("]")
        if arguments.count == 1 {
            if case .slice = arguments[0] { return arguments[0] }
            return .getitem(node, arguments[0])
        }
        return .getitem(node, .tuple(arguments))
    }

    /// One subscript: an expression or a `start:stop:step` slice of `node`.
    mutating func parseSubscribed(_ node: Expr) throws(JinjaError) -> Expr {
        var parts: [Expr?] = []
        if current.isOp(":") {
            advance()
            parts.append(nil)
        } else {
            let expr = try parseExpression()
            guard current.isOp(":") else { return expr }
            advance()
            parts.append(expr)
        }
        if current.isOp(":") {
            parts.append(nil)
        } else if !current.isOp("]") && !current.isOp(",") {
            parts.append(try parseExpression())
        } else {
            parts.append(nil)
        }
        if current.isOp(":") {
            advance()
            if !current.isOp("]") && !current.isOp(",") {
                parts.append(try parseExpression())
            } else {
                parts.append(nil)
            }
        } else {
            parts.append(nil)
        }
        return .slice(node, start: parts[0], stop: parts[1], step: parts[2])
    }

    mutating func parseCallArguments() throws(JinjaError) -> Arguments {
        let open = try expectOp("(")
        var arguments = Arguments()
        var requireComma = false
        func ensure(_ ok: Bool) throws(JinjaError) {
            if !ok { throw fail("invalid syntax for function call expression", line: open.line) }
        }
        while !current.isOp(")") {
            if requireComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if skipIfOp("*") {
                try ensure(arguments.star == nil && arguments.doubleStar == nil)
                arguments.star = try parseExpression()
            } else if skipIfOp("**") {
                try ensure(arguments.doubleStar == nil)
                arguments.doubleStar = try parseExpression()
            } else if current.kind == .name && look().isOp("=") {
                try ensure(arguments.doubleStar == nil)
                let key = advance().text
                advance()
                arguments.keywords.append((key, try parseExpression()))
            } else {
                try ensure(arguments.star == nil && arguments.doubleStar == nil && arguments.keywords.isEmpty)
                arguments.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return arguments
    }

    /// `| a | b(x)`; with `startInline` the first filter has no leading pipe (`{% filter upper %}`).
    mutating func parseFilterChain(startInline: Bool) throws(JinjaError) -> [FilterCall] {
        var filters: [FilterCall] = []
        var inline = startInline
        while current.isOp("|") || inline {
            if !inline { advance() }
            inline = false
            let token = try expectName()
            var name = token.text
            while skipIfOp(".") { name += "." + (try expectName().text) }
            if !soft && !Filters.knows(name) {
                throw fail("No filter named \(PythonRepr.string(name)).", line: token.line)
            }
            let arguments = current.isOp("(") ? try parseCallArguments() : Arguments()
            filters.append(FilterCall(name: name, arguments: arguments, line: token.line))
        }
        return filters
    }

    mutating func parseTest(_ node: Expr) throws(JinjaError) -> Expr {
        try expectName("is")
        let negated = skipIfName("not")
        let token = try expectName()
        var name = token.text
        while skipIfOp(".") { name += "." + (try expectName().text) }
        if !soft && !Tests.names.contains(name) {
            throw fail("No test named \(PythonRepr.string(name)).", line: token.line)
        }
        var arguments = Arguments()
        if current.isOp("(") {
            arguments = try parseCallArguments()
        } else if startsTestArgument() {
            if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
            let argument = try parsePostfix(
                try nested { (parser: inout Parser) throws(JinjaError) in try parser.parsePrimary() })
            arguments.positional = [argument]
        }
        let test = Expr.test(node, name: name, arguments, line: token.line)
        return negated ? .not(test) : test
    }

    /// jinja2 lets a test take one bare argument: `x is divisibleby 3`, `x is sameas none`.
    func startsTestArgument() -> Bool {
        switch current.kind {
        case .name: return !["else", "or", "and"].contains(current.text)
        case .string, .integer, .float: return true
        case .op: return current.text == "(" || current.text == "[" || current.text == "{"
        default: return false
        }
    }
}
