/// Python `str.format` as jinja2's sandboxed formatter runs it: `{}`, `{0}`, `{name}`, `{0.attr}`,
/// `{0[key]}`, `!r`/`!s` conversions and format specs (one level of nested `{}` in specs).
enum StrFormat {
    static func format(
        _ template: String, arguments: Interpreter.CallArguments, interpreter: Interpreter,
        escape: Bool
    ) throws -> String {
        try interpreter.touch(template)
        var state = State(arguments: arguments, interpreter: interpreter, escape: escape)
        return try state.render(Array(template.unicodeScalars), nested: false)
    }

    struct State {
        let arguments: Interpreter.CallArguments
        let interpreter: Interpreter
        let escape: Bool
        var autoIndex = 0
        var usedManual = false
        var usedAuto = false
        /// Bytes of replaced fields so far: each can be a megabyte wide, so the result is sized
        /// as it grows rather than once it is built.
        var fieldBytes = 0

        init(arguments: Interpreter.CallArguments, interpreter: Interpreter, escape: Bool) {
            self.arguments = arguments
            self.interpreter = interpreter
            self.escape = escape
        }

        mutating func render(_ s: [Unicode.Scalar], nested: Bool) throws -> String {
            var out = String.UnicodeScalarView()
            var i = 0
            while i < s.count {
                let c = s[i]
                if c == "{" {
                    if i + 1 < s.count && s[i + 1] == "{" {
                        out.append("{")
                        i += 2
                        continue
                    }
                    var depth = 1
                    var j = i + 1
                    while j < s.count && depth > 0 {
                        if s[j] == "{" { depth += 1 }
                        if s[j] == "}" { depth -= 1 }
                        if depth > 0 { j += 1 }
                    }
                    guard j < s.count else { throw valueError("expected '}' before end of string") }
                    let text = try field(Array(s[(i + 1)..<j]))
                    fieldBytes += text.utf8.count
                    try interpreter.addWork(text.utf8.count)
                    try interpreter.checkSize(bytes: fieldBytes)
                    out.append(contentsOf: text.unicodeScalars)
                    i = j + 1
                } else if c == "}" {
                    guard i + 1 < s.count && s[i + 1] == "}" else {
                        throw valueError("Single '}' encountered in format string")
                    }
                    out.append("}")
                    i += 2
                } else {
                    out.append(c)
                    i += 1
                }
            }
            return String(out)
        }

        func valueError(_ message: String) -> JinjaError {
            .evaluation(exception: "ValueError", message: message)
        }

        /// One replacement field (the text between the braces).
        mutating func field(_ body: [Unicode.Scalar]) throws -> String {
            var nameEnd = body.firstIndex { $0 == "!" || $0 == ":" } ?? body.count
            // `[` ... `]` inside the field name may contain `!` or `:`.
            if let bracket = body.firstIndex(of: "["), bracket < nameEnd,
                let close = body[bracket...].firstIndex(of: "]")
            {
                nameEnd = body[close...].firstIndex { $0 == "!" || $0 == ":" } ?? body.count
            }
            let name = Array(body[..<nameEnd])
            var conversion: Unicode.Scalar?
            var spec = ""
            var rest = body[nameEnd...]
            if rest.first == "!" {
                guard rest.count >= 2 else { throw valueError("end of string while looking for conversion specifier") }
                conversion = rest[rest.startIndex + 1]
                rest = rest.dropFirst(2)
            }
            if rest.first == ":" {
                spec = try render(Array(rest.dropFirst()), nested: true)
            } else if !rest.isEmpty {
                throw valueError("expected ':' after conversion specifier")
            }
            var value = try lookup(name)
            switch conversion {
            case nil: break
            case "s": value = .string(try interpreter.str(value))
            case "r", "a": value = .string(try interpreter.repr(value))
            default: throw valueError("Unknown conversion specifier \(String(conversion.map { Character($0) } ?? " "))")
            }
            if escape, case .markup(let text) = value {
                guard spec.isEmpty else { throw valueError("Unsupported format specification for Markup.") }
                return text
            }
            let plain = try interpreter.str(value)
            let formatted = try FormatSpec(spec).apply(value, plain: plain)
            return escape ? Markup.escapeText(formatted) : formatted
        }

        /// Resolves `0`, `name`, `` (automatic), then `.attr` / `[key]` parts.
        mutating func lookup(_ name: [Unicode.Scalar]) throws -> Value {
            var i = 0
            var first = ""
            while i < name.count && name[i] != "." && name[i] != "[" {
                first.unicodeScalars.append(name[i])
                i += 1
            }
            var value: Value
            if first.isEmpty {
                if usedManual {
                    throw valueError("cannot switch from manual field specification to automatic field numbering")
                }
                usedAuto = true
                value = try positional(autoIndex)
                autoIndex += 1
            } else if let index = Int(first) {
                if usedAuto {
                    throw valueError("cannot switch from automatic field numbering to manual field specification")
                }
                usedManual = true
                value = try positional(index)
            } else {
                guard let keyword = arguments.keyword(first) else {
                    throw JinjaError.evaluation(exception: "KeyError", message: PythonRepr.string(first))
                }
                value = keyword
            }
            while i < name.count {
                if name[i] == "." {
                    i += 1
                    var attribute = ""
                    while i < name.count && name[i] != "." && name[i] != "[" {
                        attribute.unicodeScalars.append(name[i])
                        i += 1
                    }
                    value = try interpreter.getattr(value, attribute)
                } else {
                    i += 1
                    var key = ""
                    while i < name.count && name[i] != "]" {
                        key.unicodeScalars.append(name[i])
                        i += 1
                    }
                    i += 1
                    value = try interpreter.getitem(value, Int(key).map { .int($0) } ?? .string(key))
                }
            }
            return value
        }

        func positional(_ index: Int) throws -> Value {
            guard index < arguments.positional.count else {
                throw JinjaError.evaluation(exception: "IndexError", message: "tuple index out of range")
            }
            return arguments.positional[index]
        }
    }
}
