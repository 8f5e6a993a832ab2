/// Sequence filters: `length`, `first`, `last`, `list`, `join`, `reverse`, `items`, `batch`, `slice`,
/// `sum`, `min`, `max`.
extension Interpreter {

    /// `length`, `count`.
    func lengthFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "len")
        return .int(try length(value))
    }

    /// `first`.
    func firstFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_first")
        if let s = value.stringValue { // without turning the whole string into a list
            guard let c = s.unicodeScalars.first else {
                return .undefined(Undefined(.hint("No first item, sequence was empty.")))
            }
            if case .markup = value { return .markup(String(c)) }
            return .string(String(c))
        }
        return try iterate(value).first ?? .undefined(Undefined(.hint("No first item, sequence was empty.")))
    }

    /// `last`.
    func lastFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_last")
        switch value {
        case .string, .markup, .array, .tuple, .object, .undefined: break
        case .native(let object) where { if case .view = object.kind { return true } else { return false } }(): break
        default: throw JinjaError.type(message: "'\(value.typeName)' object is not reversible")
        }
        if let s = value.stringValue {
            guard let c = s.unicodeScalars.last else {
                return .undefined(Undefined(.hint("No last item, sequence was empty.")))
            }
            if case .markup = value { return .markup(String(c)) }
            return .string(String(c))
        }
        return try iterate(value).last ?? .undefined(Undefined(.hint("No last item, sequence was empty.")))
    }

    /// `list`.
    func listFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "list")
        return .array(try iterate(value))
    }

    /// `join`.
    func joinFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["d", "attribute"], function: "do_join")
        var items = try iterate(value)
        if let attribute = bound[1].orNone {
            items = try items.map { try attributeGetter(attribute)($0) }
        }
        let separator = try str(bound[0] ?? .string(""))
        var parts: [String] = []
        parts.reserveCapacity(items.count)
        var total = 0
        for item in items {
            // Sized as it grows, so a huge join fails before building its result.
            let part = try str(item)
            total += part.utf8.count + separator.utf8.count
            try addWork(part.utf8.count + separator.utf8.count)
            try checkSize(bytes: total)
            parts.append(part)
        }
        let result = parts.joined(separator: separator)
        try produced(bytes: result.utf8.count)
        return .string(result)
    }

    /// `reverse`.
    func reverseFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_reverse")
        if value.stringValue != nil { return try slice(value, start: .none, stop: .none, step: .int(-1)) }
        switch value {
        case .undefined: return newIterator([], typeName: "reversed")
        case .array: return newIterator(try iterate(value).reversed(), typeName: "list_reverseiterator")
        case .tuple: return newIterator(try iterate(value).reversed(), typeName: "reversed")
        case .object: return newIterator(try iterate(value).reversed(), typeName: "dict_reversekeyiterator")
        case .native(let object):
            if case .iterator = object.kind {
                do {
                    return .array(try iterate(value).reversed())
                } catch JinjaError.type {
                    throw JinjaError.evaluation(exception: "FilterArgumentError", message: "argument must be iterable")
                }
            }
            if case .view(let name, _) = object.kind {
                let kind = name == "dict_items" ? "item" : (name == "dict_values" ? "value" : "key")
                return newIterator(try iterate(value).reversed(), typeName: "dict_reverse\(kind)iterator")
            }
        default: break
        }
        throw JinjaError.evaluation(exception: "FilterArgumentError", message: "argument must be iterable")
    }

    /// `items`.
    func itemsFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_items")
        switch value {
        case .undefined: return newIterator([])
        case .object(let object): return newIterator(object.pairs.map { .tuple([$0.key, $0.value]) })
        default: throw JinjaError.type(message: "Can only get item pairs from a mapping.")
        }
    }

    /// `batch`.
    func batchFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["linecount", "fill_with"], required: 1, function: "do_batch")
        let size = try intArgument(bound[0], "batch", default: 1)
        var batches: [Value] = []
        var current: [Value] = []
        for item in try iterate(value) {
            if current.count == size {
                batches.append(.array(current))
                current = []
            }
            current.append(item)
        }
        if !current.isEmpty {
            if let fill = bound[1].orNone, current.count < size {
                try produced(elements: size - current.count)
                current += Array(repeating: fill, count: size - current.count)
            }
            batches.append(.array(current))
        }
        return newIterator(batches)
    }

    /// `slice`.
    func sliceFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["slices", "fill_with"], required: 1, function: "do_slice")
        let slices = try intArgument(bound[0], "slice", default: 1)
        guard slices > 0, slices <= limits.maxCollectionCount else {
            throw JinjaError.evaluation(exception: "ValueError", message: "invalid number of slices")
        }
        let items = try iterate(value)
        try addWork(slices)
        let perSlice = items.count / slices
        let withExtra = items.count % slices
        var offset = 0
        var result: [Value] = []
        for number in 0..<slices {
            let start = offset + number * perSlice
            if number < withExtra { offset += 1 }
            let end = offset + (number + 1) * perSlice
            var part = Array(items[start..<end])
            if let fill = bound[1].orNone, number >= withExtra { part.append(fill) }
            result.append(.array(part))
        }
        return newIterator(result)
    }

    /// `sum`.
    func sumFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["attribute", "start"], function: "do_sum")
        var total = bound[1] ?? .int(0)
        if total.stringValue != nil {
            throw JinjaError.type(message: "sum() can't sum strings [use ''.join(seq) instead]")
        }
        let getter = try bound[0].orNone.map { try attributeGetter($0) }
        for item in try iterate(value) {
            total = try binary(.add, total, try getter?(item) ?? item)
        }
        return total
    }

    /// `min`, `max`.
    func extremumFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["case_sensitive", "attribute"], function: "do_\(name)")
        let items = try iterate(value)
        guard var best = items.first else {
            return .undefined(Undefined(.hint("No aggregated item, sequence was empty.")))
        }
        let key = try sortKey(attribute: bound[1].orNone, caseSensitive: bound[0]?.isTruthy ?? false)
        var bestKey = try key(best)
        for item in items.dropFirst() {
            let itemKey = try key(item)
            let better = try pyOrder(name == "min" ? .lt : .gt, itemKey, bestKey)
            if better {
                best = item
                bestKey = itemKey
            }
        }
        return best
    }

    /// Python `len(value)`.
    func length(_ value: Value) throws -> Int {
        switch value {
        case .string(let s), .markup(let s):
            try touch(s) // counting code points reads the whole string
            return s.unicodeScalars.count
        case .array(let items), .tuple(let items): return items.count
        case .object(let object): return object.count
        case .undefined: return 0
        case .native(let object):
            switch object.kind {
            case .namespace: throw JinjaError.type(message: "object of type 'Namespace' has no len()")
            case .loop(let id): return loops[id].items.count
            case .view(_, let items): return items.count
            default: break
            }
        default: break
        }
        throw JinjaError.type(message: "object of type '\(value.typeName)' has no len()")
    }
}
