/// jinja2's tests (`x is defined`, `x is string`, `x is divisibleby 3`, ...).
enum Tests {
    static let names: Set<String> = [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable",
        "sameas", "escaped", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", ">=", "ge", "<", "lt",
        "lessthan", "<=", "le"
    ]

    /// Tests that take no argument besides the tested value.
    static let unary: Set<String> = [
        "odd", "even", "defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "lower", "upper",
        "string", "mapping", "number", "sequence", "iterable", "escaped"
    ]
}

extension Interpreter {
    func applyTest(_ name: String, to value: Value, arguments: CallArguments) throws -> Bool {
        guard Tests.names.contains(name) else {
            throw JinjaError.evaluation(
                exception: "TemplateRuntimeError", message: "No test named \(PythonRepr.string(name)) found.")
        }
        if Tests.unary.contains(name) && !(arguments.positional.isEmpty && arguments.keywords.isEmpty) {
            if let keyword = arguments.keywords.first {
                throw JinjaError.type(
                    message: "test_\(name)() got an unexpected keyword argument \(PythonRepr.string(keyword.name))")
            }
            throw JinjaError.type(
                message: "test_\(name)() takes 1 positional argument but \(arguments.positional.count + 1) were given")
        }
        if name == "callable" && !(arguments.positional.isEmpty && arguments.keywords.isEmpty) {
            if !arguments.keywords.isEmpty { throw JinjaError.type(message: "callable() takes no keyword arguments") }
            throw JinjaError.type(
                message: "callable() takes exactly one argument (\(arguments.positional.count + 1) given)")
        }
        func other() throws -> Value {
            let bound = try arguments.bind(["other"], required: 1, function: "test_\(name)")
            return bound[0] ?? .none
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value == .none
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": return value == .bool(true)
        case "false": return value == .bool(false)
        case "integer":
            switch value {
            case .int, .bigInt: return true
            default: return false
            }
        case "float": if case .double = value { return true } else { return false }
        case "number": return value.isNumber
        case "string": return value.stringValue != nil
        case "mapping": if case .object = value { return true } else { return false }
        case "escaped": if case .markup = value { return true } else { return false }
        case "sequence":
            switch value {
            case .string, .markup, .array, .tuple, .object, .undefined: return true
            default: return false
            }
        case "iterable":
            switch value {
            case .string, .markup, .array, .tuple, .object, .undefined: return true
            case .native(let object):
                switch object.kind {
                case .iterator, .loop, .view: return true
                default: return false
                }
            default: return false
            }
        case "callable":
            switch value {
            case .undefined: return true
            case .native(let object):
                switch object.kind {
                case .namespace, .view, .iterator: return false
                default: return true
                }
            default: return false
            }
        case "odd", "even":
            let remainder = try binary(.modulo, value, .int(2))
            return try pyEquals(remainder, .int(name == "odd" ? 1 : 0))
        case "divisibleby":
            return try pyEquals(try binary(.modulo, value, try other()), .int(0))
        case "lower", "upper":
            if let text = value.stringValue { try touch(text) }
            guard case .predicate(let test) = StringMethods.table["is\(name)"] else { return false }
            return test(Array(try str(value).unicodeScalars))
        case "filter": return Filters.knows(value.stringValue ?? "")
        case "test": return Tests.names.contains(value.stringValue ?? "")
        case "sameas": return try isSame(value, try other())
        case "in": return try contains(try other(), value)
        case "==", "eq", "equalto": return try compare(.eq, value, try other())
        case "!=", "ne": return try compare(.ne, value, try other())
        case ">", "gt", "greaterthan": return try compare(.gt, value, try other())
        case ">=", "ge": return try compare(.ge, value, try other())
        case "<", "lt", "lessthan": return try compare(.lt, value, try other())
        default: return try compare(.le, value, try other())
        }
    }

    /// Python `a is b` for the values identity is predictable for (singletons, small ints, objects).
    func isSame(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y && (-5...256).contains(x)
        case (.native(let x), .native(let y)): return x == y
        default: return false
        }
    }
}
