/// jinja2's built-in filters (plus HF's `tojson`), dispatched by name.
enum Filters {
    /// Every filter name jinja2 knows; templates may only use these (unknown names fail to compile).
    static let names: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
        "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "join", "last",
        "length", "list", "lower", "items", "map", "min", "max", "pprint", "random", "reject", "rejectattr",
        "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags",
        "sum", "title", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap",
        "xmlattr", "tojson",
    ]

    /// Filters that are Python generator functions in jinja2: lazy, single-use, not JSON-serializable.
    static let generators: Set<String> = [
        "map", "select", "reject", "selectattr", "rejectattr", "unique", "batch", "slice", "items",
    ]
}

extension Interpreter {
    /// Applies one `| name(args)` to `value`.
    func applyFilter(_ filter: FilterCall, to value: Value, scope: Scope) throws -> Value {
        if constantMode && ConstantFolder.contextFilters.contains(filter.name) { throw ConstantFolder.impossible }
        let arguments = try evaluateArguments(filter.arguments, scope: scope)
        return try callFilter(filter.name, value, arguments)
    }

    func callFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        guard Filters.names.contains(name) else {
            throw JinjaError.evaluation(
                exception: "TemplateRuntimeError", message: "No filter named \(PythonRepr.string(name)) found.")
        }
        if Filters.generators.contains(name) {
            return newLazyIterator { [unowned self] in
                try self.iterate(try self.eagerFilter(name, value, arguments))
            }
        }
        return try eagerFilter(name, value, arguments)
    }

    /// Runs a filter immediately (generator filters return an already-filled iterator).
    func eagerFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        if let result = try stringFilter(name, value, arguments) { return result }
        if let result = try sequenceFilter(name, value, arguments) { return result }
        if let result = try selectionFilter(name, value, arguments) { return result }
        switch name {
        case "default", "d":
            let bound = try arguments.bind(["default_value", "boolean"], function: "do_default")
            if value.isUndefined || ((bound[1]?.isTruthy ?? false) && !value.isTruthy) {
                return bound[0] ?? .string("")
            }
            return value
        case "tojson":
            let bound = try arguments.bind(["ensure_ascii", "indent", "separators", "sort_keys"], function: "tojson")
            return .string(try JSONSerializer.dumps(
                value, ensureASCII: bound[0]?.isTruthy ?? false, indent: bound[1] ?? .none,
                separators: bound[2] ?? .none, sortKeys: bound[3]?.isTruthy ?? false, interpreter: self))
        case "int":
            let bound = try arguments.bind(["default", "base"], function: "do_int")
            if let text = value.stringValue { try touch(text) }
            if case .undefined(let undefined) = value { throw undefined.error }
            return try toInt(value, default: bound[0] ?? .int(0), base: intArgument(bound[1], "int", default: 10))
        case "float":
            let bound = try arguments.bind(["default"], function: "do_float")
            if let text = value.stringValue { try touch(text) }
            if case .undefined(let undefined) = value { throw undefined.error }
            return toFloat(value) ?? bound[0] ?? .double(0)
        case "abs":
            _ = try arguments.bind([], function: "abs")
            switch value {
            case .int(let i):
                guard i != Int.min else { throw overflow() }
                return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .double(let d): return .double(abs(d))
            default: throw JinjaError.type(message: "bad operand type for abs(): '\(value.typeName)'")
            }
        case "round":
            return try round(value, arguments)
        case "attr":
            let bound = try arguments.bind(["name"], required: 1, function: "do_attr")
            let attribute = try stringArgument(bound[0], "attr") ?? ""
            if case .undefined(let undefined) = value { throw undefined.error }
            return try pythonAttribute(value, attribute)
                ?? .undefined(Undefined(.attribute(owner: value.objectTypeRepr, name: attribute)))
        default:
            throw JinjaError.evaluation(
                exception: "TemplateRuntimeError", message: "the \(PythonRepr.string(name)) filter is not supported")
        }
    }

    /// jinja2's `soft_str`: strings (and Markup) pass through, everything else goes through `str()`.
    func softString(_ value: Value) throws -> Value {
        if value.stringValue != nil { return value }
        return .string(try str(value))
    }

    /// Python `int(x)` / `int(s, base)` with the `|int` filter's fallbacks.
    func toInt(_ value: Value, default defaultValue: Value, base: Int) throws -> Value {
        switch value {
        case .int, .bigInt: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d):
            guard d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) else { return defaultValue }
            return .int(i)
        case .string(let s), .markup(let s):
            let trimmed = PyString.make(PyString.strip(Array(s.unicodeScalars), nil))
                .replacingOccurrences(of: "_", with: "")
            var digits = Substring(trimmed)
            var radix = base
            if base == 16 || base == 8 || base == 2 || base == 0 {
                let lower = trimmed.lowercased()
                for (prefix, value) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
                    if base == 0 || base == value {
                        digits = digits.dropFirst(2)
                        radix = value
                    }
                }
                if radix == 0 { radix = 10 }
            }
            if radix >= 2 && radix <= 36, let i = Int(digits, radix: radix) { return .int(i) }
            if let d = toFloat(.string(trimmed))?.doubleValue, d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) {
                return .int(i)
            }
            return defaultValue
        default:
            return defaultValue
        }
    }

    /// Python `float(x)`, or nil where it raises.
    func toFloat(_ value: Value) -> Value? {
        switch value {
        case .int, .bool, .double, .bigInt: return value.doubleValue.map { .double($0) }
        case .string(let s), .markup(let s):
            let text = PyString.make(PyString.strip(Array(s.unicodeScalars), nil)).lowercased()
            switch text {
            case "inf", "+inf", "infinity", "+infinity": return .double(.infinity)
            case "-inf", "-infinity": return .double(-.infinity)
            case "nan", "+nan", "-nan": return .double(.nan)
            default: break
            }
            let allowed = text.unicodeScalars.allSatisfy { "0123456789.eE+-_".unicodeScalars.contains($0) }
            guard allowed, !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__"),
                let d = Double(text.replacingOccurrences(of: "_", with: ""))
            else { return nil }
            return .double(d)
        default:
            return nil
        }
    }
}
