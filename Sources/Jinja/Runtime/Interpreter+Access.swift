/// `a.b`, `a[b]` and `a[i:j:k]` with the sandbox's lookup order and jinja2's undefined messages.
extension Interpreter {
    /// `obj.name`: a Python attribute (method) first, then the item `obj["name"]`.
    func getattr(_ object: Value, _ name: String) throws -> Value {
        if case .undefined(let undefined) = object { throw undefined.error }
        if let attribute = try pythonAttribute(object, name) { return attribute }
        if let item = try item(object, .string(name)) { return item }
        return .undefined(Undefined(.attribute(owner: object.objectTypeRepr, name: name)))
    }

    /// `obj[key]`: the item first, then (for string keys) a Python attribute.
    func getitem(_ object: Value, _ key: Value) throws -> Value {
        if case .undefined(let undefined) = object { throw undefined.error }
        if let item = try item(object, key) { return item }
        if let name = key.stringValue {
            if let attribute = try pythonAttribute(object, name) { return attribute }
            return .undefined(Undefined(.attribute(owner: object.objectTypeRepr, name: name)))
        }
        return .undefined(Undefined(.element(owner: object.objectTypeRepr, key: try repr(key))))
    }

    /// Python `obj[key]`, or nil where Python raises `KeyError`/`IndexError`/`TypeError`.
    func item(_ object: Value, _ key: Value) throws -> Value? {
        switch object {
        case .object(let dict):
            if let text = key.stringValue { try touch(text) } // hashing reads the whole key
            return dict[key]
        case .array(let items), .tuple(let items):
            guard let index = key.intValue else { return nil }
            let resolved = index < 0 ? index + items.count : index
            return items.indices.contains(resolved) ? items[resolved] : nil
        case .string(let s), .markup(let s):
            guard let index = key.intValue else { return nil }
            try touch(s)
            let scalars = Array(s.unicodeScalars)
            let resolved = index < 0 ? index + scalars.count : index
            guard scalars.indices.contains(resolved) else { return nil }
            let character = String(scalars[resolved])
            if case .markup = object { return .markup(character) }
            return .string(character)
        case .native(let native):
            switch native.kind {
            case .namespace(let id):
                guard let name = key.stringValue else { return nil }
                return namespaces[id][name]
            case .loop(let id):
                guard let name = key.stringValue else { return nil }
                let value = loopAttribute(id, name)
                return value.isUndefined ? nil : value
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A Python attribute of `object` (bound methods, loop fields); unsafe ones become undefined
    /// values that raise `SecurityError` when used, as in jinja2's sandbox.
    func pythonAttribute(_ object: Value, _ name: String) throws -> Value? {
        if name.hasPrefix("__") {
            return unsafeAttribute(object, name)
        }
        if case .native(let native) = object {
            switch native.kind {
            case .namespace(let id):
                guard let value = namespaces[id][name] else { return nil }
                return name.hasPrefix("_") ? unsafeAttribute(object, name) : value
            case .loop(let id):
                let value = loopAttribute(id, name)
                return value.isUndefined && !["previtem", "nextitem"].contains(name) ? nil : value
            case .macro(let id):
                let macro = macros[id].definition
                switch name {
                case "name": return .string(macro.name)
                case "arguments": return .tuple(macro.parameters.map { .string($0) })
                case "catch_kwargs": return .bool(macro.usesKwargs)
                case "catch_varargs": return .bool(macro.usesVarargs)
                case "caller": return .bool(macro.usesCaller)
                default: return nil
                }
            default:
                return nil
            }
        }
        guard Methods.exists(on: object, name) else { return nil }
        if Methods.isUnsafe(on: object, name) {
            return unsafeAttribute(object, name)
        }
        return .native(NativeObject(.method(receiver: object, name: name)))
    }

    /// The sandbox's answer to a forbidden attribute: an undefined that raises `SecurityError` when used.
    func unsafeAttribute(_ object: Value, _ name: String) -> Value {
        .undefined(
            Undefined(
                .unsafe(
                    "access to attribute \(PythonRepr.string(name)) of \(PythonRepr.string(object.typeName)) object is unsafe."
                )))
    }

    /// Python slicing `value[start:stop:step]` for strings, lists and tuples (negative steps too).
    func slice(_ value: Value, start: Value, stop: Value, step: Value) throws -> Value {
        guard constantMode else { return try strictSlice(value, start: start, stop: stop, step: step) }
        do {
            return try strictSlice(value, start: start, stop: stop, step: step)
        } catch JinjaError.type {
            return .undefined(Undefined(.element(owner: value.objectTypeRepr, key: "slice(...)")))
        }
    }

    private func strictSlice(_ value: Value, start: Value, stop: Value, step: Value) throws -> Value {
        if case .undefined(let undefined) = value { throw undefined.error }
        func bound(_ v: Value) throws -> Int? {
            if case .none = v { return nil }
            if let i = v.intValue { return i }
            if case .undefined(let undefined) = v { throw undefined.error }
            throw JinjaError.type(
                message: "slice indices must be integers or None or have an __index__ method")
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else {
            throw JinjaError.evaluation(exception: "ValueError", message: "slice step cannot be zero")
        }
        switch value {
        case .array(let items):
            try addWork(items.count)
            return .array(PySlice.apply(items, try bound(start), try bound(stop), stepValue))
        case .tuple(let items):
            try addWork(items.count)
            return .tuple(PySlice.apply(items, try bound(start), try bound(stop), stepValue))
        case .string(let s), .markup(let s):
            try touch(s)
            let scalars = PySlice.apply(Array(s.unicodeScalars), try bound(start), try bound(stop), stepValue)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            if case .markup = value { return .markup(String(view)) }
            return .string(String(view))
        default:
            if case .object = value { throw JinjaError.type(message: "unhashable type: 'slice'") }
            throw JinjaError.type(message: "'\(value.typeName)' object is not subscriptable")
        }
    }
}

/// Python's slice index arithmetic (`slice.indices`).
enum PySlice {
    static func apply<T>(_ items: [T], _ start: Int?, _ stop: Int?, _ step: Int) -> [T] {
        let count = items.count
        func clamp(_ index: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var i = index else { return defaultValue }
            if i < 0 { i += count }
            return min(max(i, low), high)
        }
        var result: [T] = []
        if step > 0 {
            let from = clamp(start, 0, low: 0, high: count)
            let to = clamp(stop, count, low: 0, high: count)
            var i = from
            while i < to {
                result.append(items[i])
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            let from = clamp(start, count - 1, low: -1, high: count - 1)
            let to = clamp(stop, -1, low: -1, high: count - 1)
            var i = from
            while i > to {
                result.append(items[i])
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return result
    }
}
