/// Python `str()` and `repr()` of values, which is what `{{ x }}`, `~` and `|string` print.
extension Interpreter {
    /// Python `str(value)`: `None`, `True`, `1.0`, `['a', 1]`, `{'k': None}`; undefined prints nothing.
    func str(_ value: Value) throws -> String {
        switch value {
        case .string(let s), .markup(let s): return s
        case .undefined: return ""
        default: return try repr(value)
        }
    }

    /// Python `repr(value)` (strings quoted, containers recursive).
    func repr(_ value: Value) throws -> String {
        var memo: [UnsafeRawPointer: String] = [:]
        return try repr(value, depth: 0, memo: &memo)
    }

    /// `repr` with a cache of already printed containers (keyed by their shared storage), so values
    /// built by repeatedly nesting one list twice print in time proportional to their output.
    private func repr(_ value: Value, depth: Int, memo: inout [UnsafeRawPointer: String]) throws -> String {
        if depth > limits.maxValueDepth {
            throw JinjaError.limit(message: "value nested deeper than \(limits.maxValueDepth) levels")
        }
        switch value {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .double(let d): return PythonRepr.float(d)
        case .string(let s):
            try touch(s)
            return PythonRepr.string(s)
        case .markup(let s):
            try touch(s)
            return "Markup(\(PythonRepr.string(s)))"
        case .array(let items):
            return try memoized(items, &memo) {
                "[" + (try reprItems(items, depth: depth, memo: &$0)).joined(separator: ", ") + "]"
            }
        case .tuple(let items):
            return try memoized(items, &memo) {
                let inner = try reprItems(items, depth: depth, memo: &$0)
                return "(" + inner.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
            }
        case .object(let object):
            return try memoized(object.values, &memo) { try reprDict(object, depth: depth, memo: &$0) }
        case .native(let object):
            switch object.kind {
            case .namespace(let id): return "<Namespace \(try reprDict(namespaces[id], depth: depth, memo: &memo))>"
            case .loop(let id): return "<LoopContext \(loops[id].index0 + 1)/\(loops[id].items.count)>"
            case .iterator(_, let typeName): return "<\(typeName) object>"
            case .macro(let id): return "<Macro \(PythonRepr.string(macros[id].definition.name))>"
            case .function(let function): return "<function \(function.rawValue)>"
            case .method(let receiver, let name): return "<built-in method \(name) of \(receiver.typeName) object>"
            case .view(let name, let items):
                return "\(name)(\(try repr(.array(items), depth: depth + 1, memo: &memo)))"
            }
        }
    }

    private func memoized(
        _ storage: [Value], _ memo: inout [UnsafeRawPointer: String],
        _ build: (inout [UnsafeRawPointer: String]) throws -> String
    ) throws -> String {
        let key = Interpreter.storageIdentity(storage)
        if let key, let known = memo[key] { return known }
        let text = try build(&memo)
        try addWork(text.utf8.count)
        if let key { memo[key] = text }
        return text
    }

    /// Element reprs, failing once their total size passes the output limit.
    private func reprItems(_ items: [Value], depth: Int, memo: inout [UnsafeRawPointer: String]) throws -> [String] {
        var total = 0
        var texts: [String] = []
        texts.reserveCapacity(items.count)
        for item in items {
            let text = try repr(item, depth: depth + 1, memo: &memo)
            total += text.utf8.count + 2
            if total > limits.maxOutputBytes {
                throw JinjaError.limit(message: "printed value longer than \(limits.maxOutputBytes) bytes")
            }
            texts.append(text)
        }
        return texts
    }

    private func reprDict(_ object: OrderedObject, depth: Int, memo: inout [UnsafeRawPointer: String]) throws -> String
    {
        let keys = try reprItems(object.keys, depth: depth, memo: &memo)
        let values = try reprItems(object.values, depth: depth, memo: &memo)
        let items = zip(keys, values).map { "\($0): \($1)" }
        if items.reduce(0, { $0 + $1.utf8.count }) > limits.maxOutputBytes {
            throw JinjaError.limit(message: "printed value longer than \(limits.maxOutputBytes) bytes")
        }
        return "{" + items.joined(separator: ", ") + "}"
    }
}
