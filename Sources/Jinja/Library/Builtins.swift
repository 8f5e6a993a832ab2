/// Global functions: `range`, `dict`, `namespace` (jinja2) and `raise_exception`, `strftime_now` (HF).
extension Interpreter {
    /// The sandbox's `MAX_RANGE`: longer ranges raise `OverflowError`.
    static let maxRange = 100_000

    func callBuiltin(_ function: BuiltinFunction, _ arguments: CallArguments) throws -> Value {
        switch function {
        case .range:
            return try range(arguments)
        case .dict:
            guard arguments.positional.count <= 1 else {
                throw JinjaError.type(message: "dict expected at most 1 argument, got \(arguments.positional.count)")
            }
            var object =
                try arguments.positional.first.map { try mappingArgument($0, function: "dict") } ?? OrderedObject()
            for (key, value) in arguments.keywords { object[key] = value }
            return .object(object)
        case .namespace:
            guard arguments.positional.count <= 1 else {
                throw JinjaError.type(
                    message: "Namespace expected at most 1 argument, got \(arguments.positional.count)")
            }
            var attributes =
                try arguments.positional.first.map { try mappingArgument($0, function: "namespace") }
                ?? OrderedObject()
            for (key, value) in arguments.keywords {
                try checkNesting(value)
                attributes[key] = value
            }
            return newNamespace(attributes)
        case .raiseException:
            let bound = try arguments.bind(["message"], required: 1, function: "raise_exception")
            throw JinjaError.raised(message: try str(bound[0] ?? .none))
        case .strftimeNow:
            let bound = try arguments.bind(["format"], required: 1, function: "strftime_now")
            guard let format = bound[0]?.stringValue else {
                throw JinjaError.type(message: "strftime() argument 1 must be str, not \(bound[0]?.typeName ?? "None")")
            }
            try touch(format)
            let result = Strftime.format(format, date: now)
            try produced(bytes: result.utf8.count)
            return .string(result)
        }
    }

    /// `range(stop)`, `range(start, stop[, step])`, limited like jinja2's sandbox.
    func range(_ arguments: CallArguments) throws -> Value {
        guard arguments.keywords.isEmpty else {
            throw JinjaError.type(message: "range() takes no keyword arguments")
        }
        let numbers = try arguments.positional.map { value -> Int in
            if let i = value.intValue { return i }
            if case .undefined(let undefined) = value { throw undefined.error }
            throw JinjaError.type(message: "'\(value.typeName)' object cannot be interpreted as an integer")
        }
        let start: Int
        let stop: Int
        let step: Int
        switch numbers.count {
        case 1: (start, stop, step) = (0, numbers[0], 1)
        case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        default:
            throw JinjaError.type(message: "range expected at most 3 arguments, got \(numbers.count)")
        }
        guard step != 0 else {
            throw JinjaError.evaluation(exception: "ValueError", message: "range() arg 3 must not be zero")
        }
        let (span, overflow) =
            step > 0
            ? stop.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(stop)
        let count = overflow ? Int.max : (span <= 0 ? 0 : Int(clamping: (UInt(span) - 1) / step.magnitude + 1))
        guard count <= Interpreter.maxRange else {
            throw JinjaError.evaluation(
                exception: "OverflowError",
                message: "Range too big. The sandbox blocks ranges larger than MAX_RANGE (\(Interpreter.maxRange)).")
        }
        try produced(elements: count)
        return .array((0..<count).map { .int(start + $0 * step) })
    }

    /// A dict, or a sequence of key/value pairs, as an object (the argument of `dict()`/`namespace()`).
    func mappingArgument(_ value: Value, function: String) throws -> OrderedObject {
        if case .object(let object) = value { return object }
        if case .native(let native) = value, case .namespace(let id) = native.kind { return namespaces[id] }
        var object = OrderedObject()
        for (index, pair) in try iterate(value).enumerated() {
            let items: [Value]
            do {
                items = try iterate(pair)
            } catch {
                throw JinjaError.type(
                    message: "cannot convert dictionary update sequence element #\(index) to a sequence")
            }
            guard items.count == 2 else {
                throw JinjaError.evaluation(
                    exception: "ValueError",
                    message: "dictionary update sequence element #\(index) has length \(items.count); 2 is required")
            }
            object[try dictKey(items[0])] = items[1]
        }
        return object
    }
}
