/// Calling things: macros, global functions, bound methods.
extension Interpreter {
    /// Evaluates a `.call` expression; call blocks pass their `caller` through `extraKeywords`.
    func evaluateCall(_ expr: Expr, scope: Scope, extraKeywords: [(String, Value)]) throws -> Value {
        guard case .call(let calleeExpr, let argumentExprs) = expr else {
            return try evaluate(expr, scope: scope)
        }
        let callee = try evaluate(calleeExpr, scope: scope)
        var arguments = try evaluateArguments(argumentExprs, scope: scope)
        arguments.keywords += extraKeywords.map { (name: $0.0, value: $0.1) }
        return try call(callee, arguments)
    }

    func call(_ callee: Value, _ arguments: CallArguments) throws -> Value {
        switch callee {
        case .undefined(let undefined):
            throw undefined.error
        case .native(let object):
            switch object.kind {
            case .macro(let id):
                return try callMacro(id, arguments)
            case .function(let function):
                return try callBuiltin(function, arguments)
            case .method(let receiver, let name):
                if case .native(let native) = receiver, case .loop(let id) = native.kind {
                    return try callLoopMethod(id, name, arguments)
                }
                return try callMethod(receiver, name, arguments)
            default:
                break
            }
        default:
            break
        }
        throw JinjaError.type(message: "'\(callee.typeName)' object is not callable")
    }

    func defineMacro(_ definition: MacroDefinition, scope: Scope) -> Value {
        macros.append(MacroClosure(definition: definition, scope: scope))
        return .native(NativeObject(.macro(macros.count - 1)))
    }

    /// jinja2's `Macro.__call__`: positional arguments first, then keywords and defaults; extra
    /// arguments only when the body reads `varargs` / `kwargs`; `caller` when it reads `caller`.
    func callMacro(_ id: Int, _ arguments: CallArguments) throws -> Value {
        let closure = macros[id]
        let macro = closure.definition
        let name = PythonRepr.string(macro.name)
        var keywords = arguments.keywords
        func popKeyword(_ key: String) -> Value? {
            guard let index = keywords.lastIndex(where: { $0.name == key }) else { return nil }
            let value = keywords[index].value
            keywords.removeAll { $0.name == key }
            return value
        }
        let scope = Scope(parent: closure.scope)
        let parameterCount = macro.parameters.count
        var provided: [Value?] = Array(arguments.positional.prefix(parameterCount)).map { $0 }
        for parameter in macro.parameters.dropFirst(provided.count) {
            provided.append(popKeyword(parameter))
        }
        if macro.usesCaller {
            scope.set("caller", popKeyword("caller") ?? .undefined(Undefined(.hint("No caller defined"))))
        }
        if macro.usesKwargs {
            scope.set("kwargs", .object(OrderedObject(keywords.map { ($0.name, $0.value) })))
        } else if let first = keywords.first {
            if first.name == "caller" || keywords.contains(where: { $0.name == "caller" }) {
                throw JinjaError.type(
                    message: "macro \(name) was invoked with two values for the special caller "
                        + "argument. This is most likely a bug.")
            }
            throw JinjaError.type(message: "macro \(name) takes no keyword argument \(PythonRepr.string(first.name))")
        }
        if macro.usesVarargs {
            scope.set("varargs", .tuple(Array(arguments.positional.dropFirst(parameterCount))))
        } else if arguments.positional.count > parameterCount {
            throw JinjaError.type(message: "macro \(name) takes not more than \(parameterCount) argument(s)")
        }
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > limits.maxCallDepth {
            throw JinjaError.limit(message: "macro calls nested deeper than \(limits.maxCallDepth) levels")
        }
        // A macro that calls itself twice per level is exponential without ever nesting deeply.
        try addWork(Limits.Cost.call + arguments.positional.count + arguments.keywords.count)
        let firstDefault = parameterCount - macro.defaults.count
        for (index, parameter) in macro.parameters.enumerated() {
            if let value = provided[index] {
                scope.set(parameter, value)
            } else if index >= firstDefault {
                scope.set(parameter, try evaluate(macro.defaults[index - firstDefault], scope: scope))
            } else {
                scope.set(
                    parameter,
                    .undefined(Undefined(.hint("parameter \(PythonRepr.string(parameter)) was not provided"))))
            }
        }
        var output = ""
        _ = try callMacroBody(macro.body, scope: scope, into: &output)
        return .string(output)
    }

    /// Runs a macro-like body (macro, caller, generation block) in `scope`.
    func callMacroBody(_ body: [Stmt], scope: Scope, into output: inout String) throws -> Flow {
        try execute(body, scope: scope, into: &output)
    }
}
