/// Block tags: `if`, `for`, `set`, `macro`, `call`, `filter`, `with`, `print`, `break`, `continue`,
/// `generation`, `raw` (handled by the lexer).
extension Parser {
    static let unsupportedTags: Set<String> = ["block", "extends", "include", "import", "from", "autoescape"]

    mutating func parseStatement() throws(JinjaError) -> [Stmt] {
        guard current.kind == .name else { throw fail("tag name expected") }
        let tag = current.text
        switch tag {
        case "if": return [try parseIf()]
        case "for": return [try parseFor()]
        case "set": return [try parseSet()]
        case "macro": return [try parseMacro()]
        case "call": return [try parseCallBlock()]
        case "filter": return [try parseFilterBlock()]
        case "with": return [try parseWith()]
        case "print": return try parsePrint()
        case "generation": return [try parseGeneration()]
        case "break", "continue":
            let token = advance()
            if loopDepth == 0 && misplacedLoopControl == nil {
                misplacedLoopControl = fail("'\(tag)' outside loop", line: token.line)
            }
            return [tag == "break" ? .breakLoop : .continueLoop]
        default:
            if Parser.unsupportedTags.contains(tag) {
                throw fail("the '\(tag)' tag is not supported in chat templates")
            }
            throw failUnknownTag(tag)
        }
    }

    func failUnknownTag(_ tag: String) -> JinjaError {
        var message = "Encountered unknown tag \(PythonRepr.string(tag))."
        if let innermost = endTokenStack.last {
            let names = innermost.map { PythonRepr.string($0) }.joined(separator: " or ")
            message += " Jinja was looking for the following tags: \(names)."
            if let first = innermost.first, first.hasPrefix("end") {
                message +=
                    " The innermost block that needs to be closed is \(PythonRepr.string(String(first.dropFirst(3))))."
            }
        }
        return fail(message)
    }

    mutating func parseIf() throws(JinjaError) -> Stmt {
        try expectName("if")
        let outerSoft = soft
        soft = true
        defer { soft = outerSoft }
        var branches: [(test: Expr, body: [Stmt])] = []
        var otherwise: [Stmt] = []
        while true {
            let test = try parseTuple(withConditional: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            let token = advance()
            if token.isName("elif") { continue }
            if token.isName("else") {
                otherwise = try parseStatements(["endif"], dropNeedle: true)
            }
            break
        }
        return .ifChain(branches: branches, otherwise: otherwise)
    }

    mutating func parseFor() throws(JinjaError) -> Stmt {
        try expectName("for")
        let target = try parseAssignTarget(extraEndRules: ["in"])
        try expectName("in")
        let iterable = try parseTuple(withConditional: false, extraEndRules: ["recursive"])
        let outerSoft = soft
        soft = false
        defer { soft = outerSoft }
        var filter: Expr?
        if skipIfName("if") { filter = try parseExpression() }
        let recursive = skipIfName("recursive")
        if recursive { throw fail("recursive for loops are not supported") }
        loopDepth += 1
        let body = try parseStatements(["endfor", "else"])
        loopDepth -= 1
        var otherwise: [Stmt] = []
        if advance().text != "endfor" {
            otherwise = try parseStatements(["endfor"], dropNeedle: true)
        }
        return .forLoop(
            ForLoop(
                target: target, iterable: iterable, filter: filter, body: body,
                otherwise: otherwise, recursive: recursive))
    }

    mutating func parseSet() throws(JinjaError) -> Stmt {
        advance()
        let target = try parseAssignTarget(withNamespace: true)
        if skipIfOp("=") {
            return .assign(target, try parseTuple())
        }
        let outerSoft = soft
        soft = false
        defer { soft = outerSoft }
        let filters = try parseFilterChain(startInline: false)
        let body = try parseStatements(["endset"], dropNeedle: true)
        return .assignBlock(target, filters: filters, body: body)
    }

    mutating func parseMacro() throws(JinjaError) -> Stmt {
        advance()
        let name = try expectName().text
        return .macro(try parseMacroRest(name: name))
    }

    /// A macro or caller signature: `(a, b=1, c=2)`.
    mutating func parseSignature() throws(JinjaError) -> (parameters: [String], defaults: [Expr]) {
        var parameters: [String] = []
        var defaults: [Expr] = []
        try expectOp("(")
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let parameter = try expectName()
            if ["true", "false", "none", "True", "False", "None"].contains(parameter.text) {
                throw fail("can't assign to 'name'", line: parameter.line)
            }
            if skipIfOp("=") {
                defaults.append(try parseExpression())
            } else if !defaults.isEmpty {
                throw fail("non-default argument follows default argument")
            }
            parameters.append(parameter.text)
        }
        try expectOp(")")
        return (parameters, defaults)
    }

    mutating func parseMacroRest(name: String) throws(JinjaError) -> MacroDefinition {
        let (parameters, defaults) = try parseSignature()
        return try parseMacroBody(name: name, parameters: parameters, defaults: defaults, endTag: "endmacro")
    }

    mutating func parseMacroBody(name: String, parameters: [String], defaults: [Expr], endTag: String)
        throws(JinjaError)
        -> MacroDefinition
    {
        let (outerSoft, outerLoops) = (soft, loopDepth)
        (soft, loopDepth) = (false, 0)
        defer { (soft, loopDepth) = (outerSoft, outerLoops) }
        let body = try parseStatements([endTag], dropNeedle: true)
        let names = NameCollector.loadedNames(in: body)
        return MacroDefinition(
            name: name, parameters: parameters, defaults: defaults, body: body,
            usesCaller: names.contains("caller"), usesVarargs: names.contains("varargs"),
            usesKwargs: names.contains("kwargs"))
    }

    mutating func parseCallBlock() throws(JinjaError) -> Stmt {
        let line = advance().line
        var signature: (parameters: [String], defaults: [Expr]) = ([], [])
        if current.isOp("(") {
            signature = try parseSignature()
        }
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", line: line) }
        let caller = try parseMacroBody(
            name: "caller", parameters: signature.parameters,
            defaults: signature.defaults, endTag: "endcall")
        return .callBlock(call: call, caller: caller)
    }

    mutating func parseFilterBlock() throws(JinjaError) -> Stmt {
        advance()
        let outerSoft = soft
        soft = false
        defer { soft = outerSoft }
        let filters = try parseFilterChain(startInline: true)
        let body = try parseStatements(["endfilter"], dropNeedle: true)
        return .filterBlock(filters: filters, body: body)
    }

    mutating func parseWith() throws(JinjaError) -> Stmt {
        advance()
        var targets: [(AssignTarget, Expr)] = []
        while current.kind != .blockEnd {
            if !targets.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget()
            try expectOp("=")
            targets.append((target, try parseExpression()))
        }
        let outerSoft = soft
        soft = false
        defer { soft = outerSoft }
        return .with(targets: targets, body: try parseStatements(["endwith"], dropNeedle: true))
    }

    mutating func parsePrint() throws(JinjaError) -> [Stmt] {
        advance()
        var outputs: [Stmt] = []
        while current.kind != .blockEnd {
            if !outputs.isEmpty { try expectOp(",") }
            outputs.append(.output(try parseExpression()))
        }
        return outputs
    }

    mutating func parseGeneration() throws(JinjaError) -> Stmt {
        advance()
        let (outerSoft, outerLoops) = (soft, loopDepth)
        (soft, loopDepth) = (false, 0)
        defer { (soft, loopDepth) = (outerSoft, outerLoops) }
        return .generation(try parseStatements(["endgeneration"], dropNeedle: true))
    }
}
