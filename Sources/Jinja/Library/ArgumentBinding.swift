/// Binding call arguments to a Python-style parameter list for filters, tests, methods and globals.
extension Interpreter.CallArguments {
    /// Values for `parameters` in order (nil where not passed), from positionals then keywords.
    /// `required` leading parameters must be present.
    func bind(_ parameters: [String], required: Int = 0, function: String) throws -> [Value?] {
        if positional.count > parameters.count {
            throw JinjaError.type(
                message: "\(function)() takes at most \(parameters.count) argument(s) (\(positional.count) given)")
        }
        var values: [Value?] = positional.map { $0 }
        values += Array(repeating: nil, count: parameters.count - positional.count)
        for (name, value) in keywords {
            guard let index = parameters.firstIndex(of: name) else {
                throw JinjaError.type(
                    message: "\(function)() got an unexpected keyword argument \(PythonRepr.string(name))")
            }
            if index < positional.count {
                throw JinjaError.type(
                    message: "\(function)() got multiple values for argument \(PythonRepr.string(name))")
            }
            values[index] = value
        }
        for index in 0..<required where values[index] == nil {
            throw JinjaError.type(
                message: "\(function)() missing required argument \(PythonRepr.string(parameters[index]))")
        }
        return values
    }
}

extension Optional where Wrapped == Value {
    /// The argument, treating Python's `None` like a missing one.
    var orNone: Value? {
        if case .some(.none) = self { return nil }
        return self
    }
}

extension Interpreter {
    /// An `int` argument (bools count, like Python).
    func intArgument(_ value: Value?, _ function: String, default defaultValue: Int) throws -> Int {
        guard let value, value != .none else { return defaultValue }
        if let i = value.intValue { return i }
        if case .undefined(let undefined) = value { throw undefined.error }
        throw JinjaError.type(message: "\(function)(): '\(value.typeName)' object cannot be interpreted as an integer")
    }

    /// A `str` argument.
    func stringArgument(_ value: Value?, _ function: String) throws -> String? {
        guard let value, value != .none else { return nil }
        if let s = value.stringValue { return s }
        if case .undefined(let undefined) = value { throw undefined.error }
        let method = function.hasPrefix("str.") ? String(function.dropFirst(4)) : function
        switch method {
        case "find", "rfind", "index", "rindex", "count":
            throw JinjaError.type(message: "must be str, not \(value.typeName)")
        case "split", "rsplit":
            throw JinjaError.type(message: "must be str or None, not \(value.typeName)")
        case "strip", "lstrip", "rstrip":
            throw JinjaError.type(message: "\(method) arg must be None or str")
        default:
            throw JinjaError.type(message: "\(method)() argument must be str, not \(value.typeName)")
        }
    }
}
