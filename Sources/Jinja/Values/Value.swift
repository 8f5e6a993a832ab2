/// A Jinja value: JSON-shaped data plus the few runtime-only kinds templates create while rendering.
///
/// Callers build contexts from the data cases (`none` ... `object`, usually via `Value(json:)`).
/// The runtime-only cases (`tuple`, `markup`, `native`) mirror Python objects that templates can
/// produce (tuples, `Markup` from `|safe`, namespaces, loop objects, macros) so that printing,
/// comparisons and `tojson` behave exactly like Python jinja2.
public enum Value: Sendable, Equatable {
    /// A missing name or attribute; renders empty and raises when used further (jinja2 `Undefined`).
    case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int`, kept as its decimal digits so it round-trips through JSON.
    case bigInt(String)
    case double(Double)
    case string(String)
    case array([Value])
    /// A JSON object; keys keep their insertion order like Python dicts.
    case object(OrderedObject)
    /// A Python tuple (from `(a, b)`, `dict.items()`); prints with parentheses, serializes as an array.
    case tuple([Value])
    /// A `markupsafe.Markup` string (from `|safe`); concatenating plain strings to it escapes them.
    case markup(String)
    /// Runtime objects: namespaces, loop contexts, macros, functions, bound methods, generators.
    case native(NativeObject)

    /// An undefined value named after the missing variable.
    public static func undefined(_ name: String) -> Value {
        .undefined(Undefined(name: name))
    }
}

/// Why a value is undefined; jinja2 builds its error message from exactly these pieces.
public struct Undefined: Sendable, Equatable {
    enum Reason: Sendable, Equatable {
        /// A variable that was never set: "'x' is undefined".
        case name(String)
        /// A missing attribute or string key: "'dict object' has no attribute 'x'".
        case attribute(owner: String, name: String)
        /// A missing non-string key or index: "list object has no element 5".
        case element(owner: String, key: String)
        /// A free-form hint (missing macro parameter, inline if without else...).
        case hint(String)
        /// An attribute the sandbox forbids; using it raises a security error.
        case unsafe(String)
    }

    let reason: Reason

    init(_ reason: Reason) {
        self.reason = reason
    }

    /// An undefined variable called `name`.
    public init(name: String) {
        self.reason = .name(name)
    }

    /// The message jinja2's `UndefinedError` carries when this value is misused.
    public var message: String {
        switch reason {
        case .name(let name): return "\(PythonRepr.string(name)) is undefined"
        case .attribute(let owner, let name):
            return "\(PythonRepr.string(owner)) has no attribute \(PythonRepr.string(name))"
        case .element(let owner, let key): return "\(owner) has no element \(key)"
        case .hint(let text): return text
        case .unsafe(let text): return text
        }
    }

    /// The error raised when a template operates on this value (attribute access, arithmetic, calls).
    var error: JinjaError {
        if case .unsafe(let text) = reason { return .security(message: text) }
        return .undefined(message: message)
    }
}

/// A runtime object that only exists while a template renders (its state lives in the render heap).
public struct NativeObject: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case namespace(Int)
        case loop(Int)
        /// A one-shot iterator; `typeName` is its Python class (`generator`, `list_reverseiterator`, ...).
        case iterator(Int, typeName: String)
        case macro(Int)
        case function(BuiltinFunction)
        indirect case method(receiver: Value, name: String)
        /// `dict.keys()`, `dict.values()`, `dict.items()`: iterable views that print as `dict_items([...])`.
        indirect case view(name: String, items: [Value])
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }
}

/// The global functions a chat template can call.
enum BuiltinFunction: String, Sendable, Equatable {
    case range, dict, namespace
    case raiseException = "raise_exception"
    case strftimeNow = "strftime_now"
}
