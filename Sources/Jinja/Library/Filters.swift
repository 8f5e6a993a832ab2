/// jinja2's built-in filters (plus HF's `tojson`): one table, so each filter's name and traits
/// are written once, next to the method that runs it.
enum Filters {
    /// Every filter name jinja2 knows; templates may only use these (unknown names fail to compile).
    static let table: [String: FilterBuiltin] = [
        "abs": .eager(Interpreter.absFilter),
        "attr": .eager(Interpreter.attrFilter),
        "batch": .generator(Interpreter.batchFilter),
        "capitalize": .eager(Interpreter.caseFilter, readsStrings: true),
        "center": .eager(Interpreter.centerFilter, readsStrings: true),
        "count": .eager(Interpreter.lengthFilter),
        "d": .eager(Interpreter.defaultFilter),
        "default": .eager(Interpreter.defaultFilter),
        "dictsort": .eager(Interpreter.dictsortFilter),
        "e": .eager(Interpreter.escapeFilter, readsStrings: true),
        "escape": .eager(Interpreter.escapeFilter, readsStrings: true),
        "filesizeformat": .unsupported(),
        "first": .eager(Interpreter.firstFilter),
        "float": .eager(Interpreter.floatFilter),
        "forceescape": .eager(Interpreter.forceescapeFilter, readsStrings: true),
        "format": .eager(Interpreter.formatFilter, readsStrings: true),
        "groupby": .eager(Interpreter.groupbyFilter),
        "indent": .eager(Interpreter.indentFilter, readsStrings: true),
        "int": .eager(Interpreter.intFilter),
        "items": .generator(Interpreter.itemsFilter),
        "join": .eager(Interpreter.joinFilter),
        "last": .eager(Interpreter.lastFilter),
        "length": .eager(Interpreter.lengthFilter),
        "list": .eager(Interpreter.listFilter),
        "lower": .eager(Interpreter.caseFilter, readsStrings: true),
        "map": .generator(Interpreter.mapFilter, needsContext: true),
        "max": .eager(Interpreter.extremumFilter),
        "min": .eager(Interpreter.extremumFilter),
        "pprint": .unsupported(),
        "random": .unsupported(needsContext: true),
        "reject": .generator(Interpreter.selectOrRejectFilter, needsContext: true),
        "rejectattr": .generator(Interpreter.selectOrRejectFilter, needsContext: true),
        "replace": .eager(Interpreter.replaceFilter, readsStrings: true),
        "reverse": .eager(Interpreter.reverseFilter),
        "round": .eager(Interpreter.roundFilter),
        "safe": .eager(Interpreter.safeFilter),
        "select": .generator(Interpreter.selectOrRejectFilter, needsContext: true),
        "selectattr": .generator(Interpreter.selectOrRejectFilter, needsContext: true),
        "slice": .generator(Interpreter.sliceFilter),
        "sort": .eager(Interpreter.sortFilter),
        "string": .eager(Interpreter.toStringFilter),
        "striptags": .unsupported(),
        "sum": .eager(Interpreter.sumFilter),
        "title": .eager(Interpreter.titleFilter, readsStrings: true),
        "tojson": .eager(Interpreter.tojsonFilter),
        "trim": .eager(Interpreter.trimFilter, readsStrings: true),
        "truncate": .eager(Interpreter.truncateFilter, readsStrings: true),
        "unique": .generator(Interpreter.uniqueFilter),
        "upper": .eager(Interpreter.caseFilter, readsStrings: true),
        "urlencode": .unsupported(),
        "urlize": .unsupported(),
        "wordcount": .eager(Interpreter.wordcountFilter, readsStrings: true),
        "wordwrap": .unsupported(),
        "xmlattr": .unsupported()
    ]

    /// Whether jinja2 knows a filter of this name.
    static func knows(_ name: String) -> Bool { table[name] != nil }
}

/// One built-in filter: the method that runs it and how jinja2 treats it.
struct FilterBuiltin: Sendable {
    typealias Body = @Sendable (Interpreter) -> (String, Value, Interpreter.CallArguments) throws -> Value

    /// nil when jinja2 has the filter (a template using it compiles) but Parley does not run it.
    let body: Body?
    /// A Python generator in jinja2: lazy, single-use, not JSON-serializable.
    let isGenerator: Bool
    /// Reads its whole string input and string arguments, charged to the work budget up front.
    let readsStrings: Bool
    /// Depends on the render's context (callables, randomness), so never constant-folded.
    let needsContext: Bool

    static func eager(_ body: @escaping Body, readsStrings: Bool = false, needsContext: Bool = false) -> Self {
        Self(body: body, isGenerator: false, readsStrings: readsStrings, needsContext: needsContext)
    }

    static func generator(_ body: @escaping Body, needsContext: Bool = false) -> Self {
        Self(body: body, isGenerator: true, readsStrings: false, needsContext: needsContext)
    }

    static func unsupported(needsContext: Bool = false) -> Self {
        Self(body: nil, isGenerator: false, readsStrings: false, needsContext: needsContext)
    }
}

extension Interpreter {
    /// Applies one `| name(args)` to `value`.
    func applyFilter(_ filter: FilterCall, to value: Value, scope: Scope) throws -> Value {
        if constantMode && Filters.table[filter.name]?.needsContext == true { throw ConstantFolder.impossible }
        let arguments = try evaluateArguments(filter.arguments, scope: scope)
        return try callFilter(filter.name, value, arguments)
    }

    func callFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        guard let builtin = Filters.table[name] else {
            throw JinjaError.evaluation(
                exception: "TemplateRuntimeError", message: "No filter named \(PythonRepr.string(name)) found.")
        }
        guard let body = builtin.body else {
            throw JinjaError.evaluation(
                exception: "TemplateRuntimeError", message: "the \(PythonRepr.string(name)) filter is not supported")
        }
        if builtin.readsStrings {
            if let text = value.stringValue { try touch(text) }
            for argument in arguments.positional + arguments.keywords.map({ $0.value }) {
                if let text = argument.stringValue { try touch(text) }
            }
        }
        if builtin.isGenerator {
            return newLazyIterator { [unowned self] in try self.iterate(try body(self)(name, value, arguments)) }
        }
        return try body(self)(name, value, arguments)
    }

    /// `default`, `d`.
    func defaultFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["default_value", "boolean"], function: "do_default")
        if value.isUndefined || ((bound[1]?.isTruthy ?? false) && !value.isTruthy) {
            return bound[0] ?? .string("")
        }
        return value
    }

    /// `tojson`.
    func tojsonFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["ensure_ascii", "indent", "separators", "sort_keys"], function: "tojson")
        return .string(
            try JSONSerializer.dumps(
                value, ensureASCII: bound[0]?.isTruthy ?? false, indent: bound[1] ?? .none,
                separators: bound[2] ?? .none, sortKeys: bound[3]?.isTruthy ?? false, interpreter: self))
    }

    /// `int`.
    func intFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["default", "base"], function: "do_int")
        if let text = value.stringValue { try touch(text) }
        if case .undefined(let undefined) = value { throw undefined.error }
        return try toInt(value, default: bound[0] ?? .int(0), base: intArgument(bound[1], "int", default: 10))
    }

    /// `float`.
    func floatFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["default"], function: "do_float")
        if let text = value.stringValue { try touch(text) }
        if case .undefined(let undefined) = value { throw undefined.error }
        return toFloat(value) ?? bound[0] ?? .double(0)
    }

    /// `abs`.
    func absFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "abs")
        switch value {
        case .int(let i):
            guard i != Int.min else { throw overflow() }
            return .int(abs(i))
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): return .double(abs(d))
        default: throw JinjaError.type(message: "bad operand type for abs(): '\(value.typeName)'")
        }
    }

    /// `round`.
    func roundFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        return try round(value, arguments)
    }

    /// `attr`.
    func attrFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["name"], required: 1, function: "do_attr")
        let attribute = try stringArgument(bound[0], "attr") ?? ""
        if case .undefined(let undefined) = value { throw undefined.error }
        return try pythonAttribute(value, attribute)
            ?? .undefined(Undefined(.attribute(owner: value.objectTypeRepr, name: attribute)))
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
            if let d = toFloat(.string(trimmed))?.doubleValue, d.isFinite, let i = Int(exactly: d.rounded(.towardZero))
            {
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
