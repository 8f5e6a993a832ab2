/// Which Python methods exist on which values, and which the immutable sandbox forbids.
enum Methods {
    static let dict: Set<String> = [
        "clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"
    ]
    static let list: Set<String> = [
        "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"
    ]
    static let tuple: Set<String> = ["count", "index"]

    /// `ImmutableSandboxedEnvironment` refuses methods that mutate lists and dicts.
    static let unsafeDict: Set<String> = ["clear", "pop", "popitem", "setdefault", "update"]
    static let unsafeList: Set<String> = ["append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"]

    static func exists(on value: Value, _ name: String) -> Bool {
        switch value {
        case .string, .markup: return StringMethods.table[name] != nil
        case .object: return dict.contains(name)
        case .array: return list.contains(name)
        case .tuple: return tuple.contains(name)
        default: return false
        }
    }

    static func isUnsafe(on value: Value, _ name: String) -> Bool {
        switch value {
        case .object: return unsafeDict.contains(name)
        case .array: return unsafeList.contains(name)
        default: return false
        }
    }
}

extension Interpreter {
    func callMethod(_ receiver: Value, _ name: String, _ arguments: CallArguments) throws -> Value {
        switch receiver {
        case .string(let s):
            return try callStringMethod(s, name, arguments, markup: false)
        case .markup(let s):
            return try callStringMethod(s, name, arguments, markup: true)
        case .object(let object):
            return try callDictMethod(object, name, arguments)
        case .array(let items), .tuple(let items):
            return try callSequenceMethod(receiver, items, name, arguments)
        default:
            throw JinjaError.type(message: "'\(receiver.typeName)' object has no method \(PythonRepr.string(name))")
        }
    }

    func callDictMethod(_ object: OrderedObject, _ name: String, _ arguments: CallArguments) throws -> Value {
        let function = "dict.\(name)"
        switch name {
        case "items":
            _ = try arguments.bind([], function: function)
            try addWork(object.count)
            return .native(
                NativeObject(.view(name: "dict_items", items: object.pairs.map { .tuple([$0.key, $0.value]) })))
        case "keys":
            _ = try arguments.bind([], function: function)
            return .native(NativeObject(.view(name: "dict_keys", items: object.keys)))
        case "values":
            _ = try arguments.bind([], function: function)
            return .native(NativeObject(.view(name: "dict_values", items: object.values)))
        case "get":
            let bound = try arguments.bind(["key", "default"], required: 1, function: function)
            let key = bound[0] ?? .none
            guard DictKey(key) != nil else { throw JinjaError.type(message: "unhashable type: '\(key.typeName)'") }
            return object[key] ?? bound[1] ?? .none
        case "copy":
            _ = try arguments.bind([], function: function)
            return .object(object)
        default:
            throw JinjaError.type(message: "dict.\(name)() is not supported")
        }
    }

    func callSequenceMethod(_ receiver: Value, _ items: [Value], _ name: String, _ arguments: CallArguments)
        throws -> Value
    {
        let function = "\(receiver.typeName).\(name)"
        switch name {
        case "count":
            let bound = try arguments.bind(["value"], required: 1, function: function)
            try addWork(items.count)
            var n = 0
            for item in items where try pyEquals(item, bound[0] ?? .none) { n += 1 }
            return .int(n)
        case "index":
            let bound = try arguments.bind(["value"], required: 1, function: function)
            try addWork(items.count)
            for (i, item) in items.enumerated() where try pyEquals(item, bound[0] ?? .none) { return .int(i) }
            throw JinjaError.evaluation(
                exception: "ValueError", message: "\(try repr(bound[0] ?? .none)) is not in list")
        case "copy":
            _ = try arguments.bind([], function: function)
            return receiver
        default:
            throw JinjaError.type(message: "\(function)() is not supported")
        }
    }
}
