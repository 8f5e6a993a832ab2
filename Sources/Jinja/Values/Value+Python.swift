/// Python semantics of values that do not need the render heap: truthiness, type names, numbers.
extension Value {
    /// Python `bool(x)`.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .bigInt: return true
        case .double(let d): return d != 0
        case .string(let s), .markup(let s): return !s.isEmpty
        case .array(let a), .tuple(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        case .native(let object):
            if case .view(_, let items) = object.kind { return !items.isEmpty }
            return true
        }
    }

    /// Python `type(x).__name__`, used in error messages.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .double: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .array: return "list"
        case .tuple: return "tuple"
        case .object: return "dict"
        case .native(let object):
            switch object.kind {
            case .namespace: return "Namespace"
            case .loop: return "LoopContext"
            case .iterator(_, let typeName): return typeName
            case .macro: return "Macro"
            case .function: return "function"
            case .method: return "builtin_function_or_method"
            case .view(let name, _): return name
            }
        }
    }

    /// jinja2's `object_type_repr`: "dict object", "None", "jinja2.utils.Namespace object".
    var objectTypeRepr: String {
        switch self {
        case .none: return "None"
        case .markup: return "markupsafe.Markup object"
        case .undefined: return "jinja2.runtime.Undefined object"
        case .native(let object):
            switch object.kind {
            case .namespace: return "jinja2.utils.Namespace object"
            case .loop: return "jinja2.runtime.LoopContext object"
            case .macro: return "jinja2.runtime.Macro object"
            default: return "\(typeName) object"
            }
        default: return "\(typeName) object"
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The text of a `str` or `Markup`.
    var stringValue: String? {
        switch self {
        case .string(let s), .markup(let s): return s
        default: return nil
        }
    }

    /// Elements of a list or tuple.
    var sequenceValue: [Value]? {
        switch self {
        case .array(let a), .tuple(let a): return a
        default: return nil
        }
    }

    /// Python numbers (bool counts as int) as `Int` when exact.
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Any Python number as `Double`.
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .double(let d): return d
        case .bigInt(let digits): return Double(digits)
        default: return nil
        }
    }

    /// A Python `int` (including `bool` and integers beyond 64 bits).
    var isInteger: Bool {
        switch self {
        case .int, .bool, .bigInt: return true
        default: return false
        }
    }

    var isNumber: Bool {
        doubleValue != nil
    }
}
