/// Python `json.dumps` with the arguments HF's `tojson` filter forwards
/// (`ensure_ascii`, `indent`, `separators`, `sort_keys`), byte for byte.
struct JSONSerializer {
    let ensureASCII: Bool
    /// Per-level indentation, or nil for single-line output.
    let indent: String?
    let itemSeparator: String
    let keySeparator: String
    let sortKeys: Bool
    let maxDepth: Int
    /// Sorting keys needs Python ordering (mixed key types raise `TypeError`).
    let interpreter: Interpreter

    static func dumps(
        _ value: Value, ensureASCII: Bool = false, indent: Value = .none, separators: Value = .none,
        sortKeys: Bool = false, interpreter: Interpreter
    ) throws -> String {
        let indentText: String?
        switch indent {
        case .none: indentText = nil
        case .string(let s), .markup(let s): indentText = s
        default:
            guard let width = indent.intValue else {
                throw JinjaError.type(message: "can't multiply sequence by non-int of type '\(indent.typeName)'")
            }
            indentText = String(repeating: " ", count: max(0, min(width, 1_000)))
        }
        var itemSeparator = indentText == nil ? ", " : ","
        var keySeparator = ": "
        if separators != .none {
            let parts = try interpreter.iterate(separators)
            guard parts.count == 2, let item = parts[0].stringValue, let key = parts[1].stringValue else {
                throw JinjaError.evaluation(exception: "ValueError", message: "separators must be a pair of strings")
            }
            (itemSeparator, keySeparator) = (item, key)
        }
        let serializer = JSONSerializer(
            ensureASCII: ensureASCII, indent: indentText, itemSeparator: itemSeparator,
            keySeparator: keySeparator, sortKeys: sortKeys,
            maxDepth: interpreter.limits.maxValueDepth, interpreter: interpreter)
        var out = ""
        var memo: [MemoKey: String] = [:]
        try serializer.write(value, into: &out, level: 0, memo: &memo)
        try interpreter.produced(bytes: out.utf8.count)
        // Serializing costs several times more per byte than copying (escapes, number formatting).
        try interpreter.addWork(out.utf8.count * Limits.Cost.serializedByte)
        return out
    }

    /// A container already serialized at an indentation level (shared storage prints identically).
    struct MemoKey: Hashable {
        let storage: UnsafeRawPointer
        let level: Int
    }

    func write(_ value: Value, into out: inout String, level: Int, memo: inout [MemoKey: String]) throws {
        var storage: [Value] = []
        switch value {
        case .array(let items), .tuple(let items): storage = items
        case .object(let object): storage = object.values
        default: break
        }
        guard let identity = Interpreter.storageIdentity(storage) else {
            return try writeUncached(value, into: &out, level: level, memo: &memo)
        }
        let key = MemoKey(storage: identity, level: level)
        if let known = memo[key] {
            out += known
            try checkSize(out)
            return
        }
        let start = out.utf8.count
        try writeUncached(value, into: &out, level: level, memo: &memo)
        memo[key] = String(out.utf8[out.utf8.index(out.utf8.startIndex, offsetBy: start)...]) ?? ""
    }

    private func writeUncached(_ value: Value, into out: inout String, level: Int, memo: inout [MemoKey: String]) throws
    {
        if level > maxDepth {
            throw JinjaError.limit(message: "value nested deeper than \(maxDepth) levels")
        }
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .bigInt(let digits): out += digits
        case .double(let d):
            if d.isNaN {
                out += "NaN"
            } else if d.isInfinite {
                out += d < 0 ? "-Infinity" : "Infinity"
            } else {
                out += PythonRepr.float(d)
            }
        case .string(let s), .markup(let s): writeString(s, into: &out)
        case .array(let items), .tuple(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, item) in items.enumerated() {
                try checkSize(out)
                if index > 0 { out += itemSeparator }
                newline(&out, level: level + 1)
                try write(item, into: &out, level: level + 1, memo: &memo)
            }
            newline(&out, level: level)
            out += "]"
        case .object(let object):
            guard !object.isEmpty else {
                out += "{}"
                return
            }
            var pairs = object.pairs
            if sortKeys {
                let sorted = try interpreter.sorted(
                    pairs.map { .tuple([$0.key, $0.value]) }, key: { $0 }, reverse: false)
                pairs = sorted.map { pair in
                    let items = pair.sequenceValue ?? []
                    return (key: items.first ?? .none, value: items.last ?? .none)
                }
            }
            out += "{"
            for (index, pair) in pairs.enumerated() {
                try checkSize(out)
                if index > 0 { out += itemSeparator }
                newline(&out, level: level + 1)
                writeString(try keyString(pair.key), into: &out)
                out += keySeparator
                try write(pair.value, into: &out, level: level + 1, memo: &memo)
            }
            newline(&out, level: level)
            out += "}"
        case .undefined, .native:
            throw JinjaError.type(message: "Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private func checkSize(_ out: String) throws {
        if out.utf8.count > interpreter.limits.maxOutputBytes {
            throw JinjaError.limit(message: "JSON text longer than \(interpreter.limits.maxOutputBytes) bytes")
        }
    }

    /// `json.dumps` turns non-string keys into strings: `1` -> "1", `True` -> "true", `None` -> "null".
    private func keyString(_ key: Value) throws -> String {
        switch key {
        case .string(let s), .markup(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .none: return "null"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .double(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            return PythonRepr.float(d)
        default:
            throw JinjaError.type(message: "keys must be str, int, float, bool or None, not \(key.typeName)")
        }
    }

    private func newline(_ out: inout String, level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    /// `json.encoder.py_encode_basestring(_ascii)`.
    func writeString(_ s: String, into out: inout String) {
        var view = String.UnicodeScalarView()
        view.append("\"")
        for c in s.unicodeScalars {
            switch c {
            case "\"": view.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": view.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": view.append(contentsOf: "\\n".unicodeScalars)
            case "\r": view.append(contentsOf: "\\r".unicodeScalars)
            case "\t": view.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": view.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": view.append(contentsOf: "\\f".unicodeScalars)
            default:
                if c.value < 0x20 || (ensureASCII && c.value > 0x7E) {
                    if c.value > 0xFFFF {
                        let v = c.value - 0x10000
                        appendEscape(0xD800 + (v >> 10), &view)
                        appendEscape(0xDC00 + (v & 0x3FF), &view)
                    } else {
                        appendEscape(c.value, &view)
                    }
                } else {
                    view.append(c)
                }
            }
        }
        view.append("\"")
        out.unicodeScalars.append(contentsOf: view)
    }

    private func appendEscape(_ code: UInt32, _ view: inout String.UnicodeScalarView) {
        view.append(contentsOf: ("\\u" + PythonRepr.hex(code, width: 4)).unicodeScalars)
    }
}
