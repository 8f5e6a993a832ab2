/// Executing statements: output, `if`, `set`, blocks, macros; loops live in `Interpreter+Loops`.
extension Interpreter {
    /// How a statement list finished: normally, or by `break` / `continue` inside a loop.
    enum Flow { case normal, breakLoop, continueLoop }

    func execute(_ body: [Stmt], scope: Scope, into output: inout String) throws -> Flow {
        try deeper {
            for stmt in body {
                let flow = try execute(stmt, scope: scope, into: &output)
                if flow != .normal { return flow }
            }
            return .normal
        }
    }

    func execute(_ stmt: Stmt, scope: Scope, into output: inout String) throws -> Flow {
        switch stmt {
        case .text(let text):
            try emit(text, into: &output)
        case .output(let expr):
            let value = try evaluate(expr, scope: scope)
            try emit(try str(value), into: &output)
        case .ifChain(let branches, let otherwise):
            for branch in branches where try evaluate(branch.test, scope: scope).isTruthy {
                return try execute(branch.body, scope: scope, into: &output)
            }
            return try execute(otherwise, scope: scope, into: &output)
        case .forLoop(let loop):
            return try executeFor(loop, scope: scope, into: &output)
        case .assign(let target, let expr):
            try assign(target, try evaluate(expr, scope: scope), scope: scope)
        case .assignBlock(let target, let filters, let body):
            var captured = ""
            let flow = try execute(body, scope: Scope(parent: scope), into: &captured)
            if flow != .normal { return flow }
            var value = Value.string(captured)
            for filter in filters {
                value = try applyFilter(filter, to: value, scope: scope)
            }
            try assign(target, value, scope: scope)
        case .macro(let definition):
            scope.set(definition.name, defineMacro(definition, scope: scope))
        case .callBlock(let call, let caller):
            let callerValue = defineMacro(caller, scope: scope)
            let result = try evaluateCall(call, scope: scope, extraKeywords: [("caller", callerValue)])
            try emit(try str(result), into: &output)
        case .filterBlock(let filters, let body):
            var captured = ""
            let flow = try execute(body, scope: Scope(parent: scope), into: &captured)
            if flow != .normal { return flow }
            var value = Value.string(captured)
            for filter in filters {
                value = try applyFilter(filter, to: value, scope: scope)
            }
            try emit(try str(value), into: &output)
        case .with(let targets, let body):
            let inner = Scope(parent: scope)
            for (target, expr) in targets {
                try assign(target, try evaluate(expr, scope: scope), scope: inner)
            }
            return try execute(body, scope: inner, into: &output)
        case .generation(let body):
            var captured = ""
            _ = try callMacroBody(body, scope: Scope(parent: scope), into: &captured)
            try emit(captured, into: &output)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        }
        return .normal
    }

    /// Stores `value` into a `set`/`for`/`with` target, unpacking tuples like Python.
    func assign(_ target: AssignTarget, _ value: Value, scope: Scope) throws {
        switch target {
        case .name(let name):
            scope.set(name, value)
        case .namespaceAttribute(let name, let attribute):
            let holder = scope.lookup(name) ?? .undefined(name)
            guard case .native(let object) = holder, case .namespace(let id) = object.kind else {
                throw JinjaError.evaluation(
                    exception: "TemplateRuntimeError", message: "cannot assign attribute on non-namespace object")
            }
            try checkNesting(value)
            namespaces[id][attribute] = value
        case .tuple(let targets):
            let items = try iterate(value)
            if items.count < targets.count {
                throw JinjaError.evaluation(
                    exception: "ValueError",
                    message: "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            if items.count > targets.count {
                throw JinjaError.evaluation(
                    exception: "ValueError", message: "too many values to unpack (expected \(targets.count))")
            }
            for (target, item) in zip(targets, items) {
                try assign(target, item, scope: scope)
            }
        }
    }
}
