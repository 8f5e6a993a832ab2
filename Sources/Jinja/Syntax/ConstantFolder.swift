import Foundation

/// jinja2's compile-time constant folding (`nodes.Expr.as_const` plus the `Optimizer`).
///
/// Folding is invisible except in corner cases, which this reproduces: a constant expression is
/// evaluated with `environment.getitem`, so `{{ (5)[::-1] }}` prints nothing where slicing a
/// runtime value raises `TypeError`; `{{ x if false }}`-style branches and `and`/`or` fold when
/// their deciding part is constant. Subexpressions are replaced only by values with a "safe repr"
/// (plain data), and a whole `{{ ... }}` that folds becomes template text.
struct ConstantFolder {
    struct Impossible: Error {}
    static let impossible = Impossible()

    let interpreter: Interpreter
    let scope = Scope(parent: nil)

    init(limits: Limits, stack: StackGuard) {
        interpreter = Interpreter(limits: limits, now: Date(timeIntervalSince1970: 0), stack: stack)
        interpreter.constantMode = true
    }

    static func fold(_ body: [Stmt], limits: Limits, stack: StackGuard = .unlimited) -> [Stmt] {
        let folder = ConstantFolder(limits: limits, stack: stack)
        return body.map(folder.fold)
    }

    /// `as_const`: the value of `expr` if it can be computed without a context, else nil.
    func constantValue(_ expr: Expr) -> Value? {
        try? interpreter.evaluate(expr, scope: scope)
    }

    /// jinja2's `has_safe_repr`: only plain data may replace an expression node.
    static func isSafe(_ value: Value) -> Bool {
        switch value {
        case .none, .bool, .int, .bigInt, .double, .string, .markup: return true
        case .array(let items), .tuple(let items): return items.allSatisfy(isSafe)
        case .object(let object): return object.keys.allSatisfy(isSafe) && object.values.allSatisfy(isSafe)
        case .undefined, .native: return false
        }
    }

    func fold(_ stmt: Stmt) -> Stmt {
        switch stmt {
        case .text, .breakLoop, .continueLoop: return stmt
        case .output(let expr):
            let folded = fold(expr)
            if let value = constantValue(folded), let text = try? interpreter.str(value) { return .text(text) }
            return .output(folded)
        case .ifChain(let branches, let otherwise):
            return .ifChain(
                branches: branches.map { (fold($0.test), $0.body.map(fold)) }, otherwise: otherwise.map(fold))
        case .forLoop(let loop):
            return .forLoop(
                ForLoop(
                    target: loop.target, iterable: fold(loop.iterable), filter: loop.filter.map(fold),
                    body: loop.body.map(fold), otherwise: loop.otherwise.map(fold),
                    recursive: loop.recursive))
        case .assign(let target, let expr): return .assign(target, fold(expr))
        case .assignBlock(let target, let filters, let body):
            return .assignBlock(target, filters: filters.map(fold), body: body.map(fold))
        case .macro(let macro): return .macro(fold(macro))
        case .callBlock(let call, let caller): return .callBlock(call: fold(call), caller: fold(caller))
        case .filterBlock(let filters, let body): return .filterBlock(filters: filters.map(fold), body: body.map(fold))
        case .with(let targets, let body):
            return .with(targets: targets.map { ($0.0, fold($0.1)) }, body: body.map(fold))
        case .generation(let body): return .generation(body.map(fold))
        }
    }

    func fold(_ macro: MacroDefinition) -> MacroDefinition {
        MacroDefinition(
            name: macro.name, parameters: macro.parameters, defaults: macro.defaults.map(fold),
            body: macro.body.map(fold), usesCaller: macro.usesCaller, usesVarargs: macro.usesVarargs,
            usesKwargs: macro.usesKwargs)
    }

    func fold(_ filter: FilterCall) -> FilterCall {
        FilterCall(name: filter.name, arguments: fold(filter.arguments), line: filter.line)
    }

    func fold(_ arguments: Arguments) -> Arguments {
        Arguments(
            positional: arguments.positional.map(fold), keywords: arguments.keywords.map { ($0.name, fold($0.value)) },
            star: arguments.star.map(fold), doubleStar: arguments.doubleStar.map(fold))
    }

    /// Folds children first, then the node itself when jinja2's optimizer would.
    func fold(_ expr: Expr) -> Expr {
        let rebuilt: Expr
        switch expr {
        case .constant, .name: return expr
        case .list(let items): return .list(items.map(fold))
        case .tuple(let items): return .tuple(items.map(fold))
        case .dict(let pairs): return .dict(pairs.map { (fold($0.key), fold($0.value)) })
        case .getattr(let base, let name): rebuilt = .getattr(fold(base), name)
        case .getitem(let base, let key): rebuilt = .getitem(fold(base), fold(key))
        case .slice(let base, let start, let stop, let step):
            rebuilt = .slice(fold(base), start: start.map(fold), stop: stop.map(fold), step: step.map(fold))
        case .call(let callee, let arguments): return .call(fold(callee), fold(arguments))
        case .filter(let base, let filter): rebuilt = .filter(base.map(fold), fold(filter))
        case .test(let base, let name, let arguments, let line):
            rebuilt = .test(fold(base), name: name, fold(arguments), line: line)
        case .unary(let op, let operand): rebuilt = .unary(op, fold(operand))
        case .not(let operand): rebuilt = .not(fold(operand))
        case .binary(let op, let left, let right): rebuilt = .binary(op, fold(left), fold(right))
        case .and(let left, let right): rebuilt = .and(fold(left), fold(right))
        case .or(let left, let right): rebuilt = .or(fold(left), fold(right))
        case .compare(let first, let rest): rebuilt = .compare(fold(first), rest.map { ($0.op, fold($0.operand)) })
        case .concat(let parts): rebuilt = .concat(parts.map(fold))
        case .conditional(let test, let then, let otherwise, let line):
            rebuilt = .conditional(test: fold(test), then: fold(then), otherwise: otherwise.map(fold), line: line)
        }
        if let value = constantValue(rebuilt), ConstantFolder.isSafe(value) { return .constant(value) }
        return rebuilt
    }
}
