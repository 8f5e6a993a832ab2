/// Evaluating expressions.
extension Interpreter {
    func evaluate(_ expr: Expr, scope: Scope) throws -> Value {
        try deeper { try evaluateNode(expr, scope: scope) }
    }

    private func evaluateNode(_ expr: Expr, scope: Scope) throws -> Value {
        switch expr {
        case .constant(let value):
            return value
        case .name(let name):
            if constantMode { throw ConstantFolder.impossible }
            return scope.lookup(name) ?? .undefined(name)
        case .list(let items):
            let values = try items.map { try evaluate($0, scope: scope) }
            try produced(elements: values.count)
            return .array(values)
        case .tuple(let items):
            return .tuple(try items.map { try evaluate($0, scope: scope) })
        case .dict(let pairs):
            var object = OrderedObject()
            for pair in pairs {
                let key = try evaluate(pair.key, scope: scope)
                object[try dictKey(key)] = try evaluate(pair.value, scope: scope)
            }
            return .object(object)
        case .getattr(let base, let name):
            return try getattr(try evaluate(base, scope: scope), name)
        case .getitem(let base, let key):
            return try getitem(try evaluate(base, scope: scope), try evaluate(key, scope: scope))
        case .slice(let base, let start, let stop, let step):
            let value = try evaluate(base, scope: scope)
            return try slice(
                value,
                start: try start.map { try evaluate($0, scope: scope) } ?? .none,
                stop: try stop.map { try evaluate($0, scope: scope) } ?? .none,
                step: try step.map { try evaluate($0, scope: scope) } ?? .none)
        case .call:
            if constantMode { throw ConstantFolder.impossible }
            return try evaluateCall(expr, scope: scope, extraKeywords: [])
        case .filter(let base, let filter):
            let value = try base.map { try evaluate($0, scope: scope) } ?? .string("")
            return try applyFilter(filter, to: value, scope: scope)
        case .test(let base, let name, let arguments, _):
            let value = try evaluate(base, scope: scope)
            let evaluated = try evaluateArguments(arguments, scope: scope)
            return .bool(try applyTest(name, to: value, arguments: evaluated))
        case .unary(let op, let operand):
            return try unary(op, try evaluate(operand, scope: scope))
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left, scope: scope), try evaluate(right, scope: scope))
        case .and(let left, let right):
            let l = try evaluate(left, scope: scope)
            return l.isTruthy ? try evaluate(right, scope: scope) : l
        case .or(let left, let right):
            let l = try evaluate(left, scope: scope)
            return l.isTruthy ? l : try evaluate(right, scope: scope)
        case .not(let operand):
            return .bool(!(try evaluate(operand, scope: scope).isTruthy))
        case .compare(let first, let rest):
            var left = try evaluate(first, scope: scope)
            for (op, operandExpr) in rest {
                let right = try evaluate(operandExpr, scope: scope)
                if !(try compare(op, left, right)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .concat(let parts):
            var text = ""
            for part in parts {
                text += try str(try evaluate(part, scope: scope))
            }
            try produced(bytes: text.utf8.count)
            return .string(text)
        case .conditional(let test, let then, let otherwise, let line):
            if try evaluate(test, scope: scope).isTruthy {
                return try evaluate(then, scope: scope)
            }
            if let otherwise { return try evaluate(otherwise, scope: scope) }
            if constantMode { throw ConstantFolder.impossible }
            return .undefined(
                Undefined(
                    .hint(
                        "the inline if-expression on line \(line) evaluated to false and no else section was defined."))
            )
        }
    }

    /// A dict key, which Python requires to be hashable.
    func dictKey(_ key: Value) throws -> Value {
        if case .undefined(let undefined) = key { throw undefined.error }
        guard DictKey(key) != nil else { throw JinjaError.type(message: "unhashable type: '\(key.typeName)'") }
        return key
    }

    /// Evaluated call arguments.
    struct CallArguments {
        var positional: [Value] = []
        var keywords: [(name: String, value: Value)] = []

        func keyword(_ name: String) -> Value? {
            keywords.last { $0.name == name }?.value
        }
    }

    func evaluateArguments(_ arguments: Arguments, scope: Scope) throws -> CallArguments {
        var result = CallArguments()
        result.positional = try arguments.positional.map { try evaluate($0, scope: scope) }
        if let star = arguments.star {
            result.positional += try iterate(try evaluate(star, scope: scope))
        }
        for (name, expr) in arguments.keywords {
            result.keywords.append((name, try evaluate(expr, scope: scope)))
        }
        if let doubleStar = arguments.doubleStar {
            let value = try evaluate(doubleStar, scope: scope)
            guard case .object(let object) = value else {
                throw JinjaError.type(message: "argument after ** must be a mapping, not \(value.typeName)")
            }
            for (key, value) in object.pairs {
                guard let name = key.stringValue else { throw JinjaError.type(message: "keywords must be strings") }
                result.keywords.append((name, value))
            }
        }
        return result
    }
}
