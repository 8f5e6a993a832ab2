/// One lexical token of a template, as jinja2's lexer produces it.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case data
        case blockBegin, blockEnd
        case variableBegin, variableEnd
        case name
        case string
        case integer
        case float
        case op
        case eof
    }

    let kind: Kind
    /// Raw text: template data, a name, an operator, or the decoded string literal.
    let text: String
    /// Literal numbers and strings as values.
    let value: Value
    let line: Int

    init(_ kind: Kind, _ text: String, value: Value = .none, line: Int) {
        self.kind = kind
        self.text = text
        self.value = value
        self.line = line
    }

    /// True for the name token `keyword` (jinja2's `name:keyword` test).
    func isName(_ keyword: String) -> Bool {
        kind == .name && text == keyword
    }

    /// True for the operator token `symbol`.
    func isOp(_ symbol: String) -> Bool {
        kind == .op && text == symbol
    }

    /// How jinja2 names a token in error messages.
    var description: String {
        switch kind {
        case .eof: return "end of template"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .data: return "template data / text"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .name, .op: return text
        }
    }
}

/// Character classes Python uses (`str.isspace`, identifier rules), over Unicode scalars.
enum PyChar {
    /// `str.isspace()` / regex `\s` for one character.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.value >= 0x30 && c.value <= 0x39
    }

    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value < 0x80 ? isASCIILetter(c) : c.properties.isXIDStart)
    }

    static func isNameContinue(_ c: Unicode.Scalar) -> Bool {
        c == "_" || isDigit(c) || (c.value < 0x80 ? isASCIILetter(c) : c.properties.isXIDContinue)
    }
}
