/// Tokens inside `{% ... %}` and `{{ ... }}`: names, numbers, strings, operators and the tag end.
extension Lexer {
    /// Operators, longest first so `//` wins over `/`.
    static let operators: [StaticString] = [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"
    ]

    mutating func lexTag(isBlock: Bool) throws(JinjaError) {
        balance.removeAll()
        while pos < src.count {
            if balance.isEmpty, try lexTagEnd(isBlock: isBlock) { return }
            let c = src[pos]
            if PyChar.isSpace(c) {
                pos = skipSpace(from: pos)
            } else if PyChar.isDigit(c) {
                try lexNumber()
            } else if PyChar.isNameStart(c) {
                lexName()
            } else if c == "'" || c == "\"" {
                try lexString(quote: c)
            } else {
                try lexOperator()
            }
        }
        // Unterminated tag: the parser reports "unexpected end of template".
    }

    /// The tag end (`%}` with trim_blocks, `-%}`, `+%}`, `}}`, `-}}`) if it starts at `pos`.
    mutating func lexTagEnd(isBlock: Bool) throws(JinjaError) -> Bool {
        let startLine = line
        if isBlock {
            if matches("+%}", at: pos) {
                pos += 3
            } else if matches("-%}", at: pos) {
                pos = skipSpace(from: pos + 3)
            } else if matches("%}", at: pos) {
                pos += 2
                if pos < src.count && src[pos] == "\n" {
                    pos += 1
                    line += 1
                }
            } else {
                return false
            }
        } else {
            if matches("-}}", at: pos) {
                pos = skipSpace(from: pos + 3)
            } else if matches("}}", at: pos) {
                pos += 2
            } else {
                return false
            }
        }
        tokens.append(Token(isBlock ? .blockEnd : .variableEnd, "", line: startLine))
        lineStarting = src[pos - 1] == "\n"
        return true
    }

    mutating func lexName() {
        let start = pos
        while pos < src.count && PyChar.isNameContinue(src[pos]) { pos += 1 }
        tokens.append(Token(.name, string(start..<pos), line: line))
    }

    mutating func lexOperator() throws(JinjaError) {
        guard let operatorLiteral = Lexer.operators.first(where: { matches($0, at: pos) }) else {
            throw JinjaError.syntax(
                message: "unexpected char \(PythonRepr.string(String(Character(src[pos])))) at \(pos)", line: line)
        }
        let symbol = operatorLiteral.description
        switch symbol {
        case "(": balance.append(")")
        case "[": balance.append("]")
        case "{": balance.append("}")
        case ")", "]", "}":
            guard let expected = balance.popLast() else {
                throw JinjaError.syntax(message: "unexpected '\(symbol)'", line: line)
            }
            if String(expected) != symbol {
                throw JinjaError.syntax(message: "unexpected '\(symbol)', expected '\(expected)'", line: line)
            }
        default: break
        }
        pos += symbol.unicodeScalars.count
        tokens.append(Token(.op, symbol, line: line))
    }

    mutating func lexString(quote: Unicode.Scalar) throws(JinjaError) {
        var i = pos + 1
        while i < src.count && src[i] != quote {
            i += src[i] == "\\" ? 2 : 1
        }
        guard i < src.count else {
            throw JinjaError.syntax(
                message: "unexpected char \(PythonRepr.string(String(Character(quote)))) at \(pos)", line: line)
        }
        let body = src[(pos + 1)..<i]
        let decoded: String
        do throws(StringLiteral.DecodeError) {
            decoded = try StringLiteral.decode(body)
        } catch {
            throw JinjaError.syntax(message: error.message, line: line)
        }
        tokens.append(Token(.string, decoded, value: .string(decoded), line: line))
        line += newlineCount(src[pos...i])
        pos = i + 1
    }

    func string(_ range: Range<Int>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: src[range])
        return String(view)
    }
}
