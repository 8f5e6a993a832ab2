/// Finds the variable names a block of statements reads.
///
/// jinja2 decides at compile time whether a macro accepts extra positional arguments (`varargs`),
/// extra keyword arguments (`kwargs`) or a `caller`, by looking for those names in its body.
enum NameCollector {
    static func loadedNames(in body: [Stmt]) -> Set<String> {
        var names = Set<String>()
        for stmt in body { visit(stmt, &names) }
        return names
    }

    static func visit(_ stmt: Stmt, _ names: inout Set<String>) {
        switch stmt {
        case .text, .breakLoop, .continueLoop: break
        case .output(let expr): visit(expr, &names)
        case .ifChain(let branches, let otherwise):
            for branch in branches {
                visit(branch.test, &names)
                for item in branch.body { visit(item, &names) }
            }
            for item in otherwise { visit(item, &names) }
        case .forLoop(let loop):
            visit(loop.iterable, &names)
            if let filter = loop.filter { visit(filter, &names) }
            for item in loop.body { visit(item, &names) }
            for item in loop.otherwise { visit(item, &names) }
        case .assign(_, let expr): visit(expr, &names)
        case .assignBlock(_, let filters, let body):
            for item in filters { visit(item.arguments, &names) }
            for item in body { visit(item, &names) }
        case .macro(let macro):
            for item in macro.defaults { visit(item, &names) }
            for item in macro.body { visit(item, &names) }
        case .callBlock(let call, let caller):
            visit(call, &names)
            for item in caller.defaults { visit(item, &names) }
            for item in caller.body { visit(item, &names) }
        case .filterBlock(let filters, let body):
            for item in filters { visit(item.arguments, &names) }
            for item in body { visit(item, &names) }
        case .with(let targets, let body):
            for item in targets { visit(item.1, &names) }
            for item in body { visit(item, &names) }
        case .generation(let body):
            for item in body { visit(item, &names) }
        }
    }

    static func visit(_ arguments: Arguments, _ names: inout Set<String>) {
        for item in arguments.positional { visit(item, &names) }
        for item in arguments.keywords { visit(item.value, &names) }
        if let star = arguments.star { visit(star, &names) }
        if let doubleStar = arguments.doubleStar { visit(doubleStar, &names) }
    }

    static func visit(_ expr: Expr, _ names: inout Set<String>) {
        switch expr {
        case .constant: break
        case .name(let name): names.insert(name)
        case .list(let items), .tuple(let items), .concat(let items): for item in items { visit(item, &names) }
        case .dict(let pairs):
            for pair in pairs {
                visit(pair.key, &names)
                visit(pair.value, &names)
            }
        case .getattr(let base, _): visit(base, &names)
        case .getitem(let base, let key):
            visit(base, &names)
            visit(key, &names)
        case .slice(let base, let start, let stop, let step):
            visit(base, &names)
            for part in [start, stop, step] { if let part { visit(part, &names) } }
        case .call(let callee, let arguments):
            visit(callee, &names)
            visit(arguments, &names)
        case .filter(let base, let filter):
            if let base { visit(base, &names) }
            visit(filter.arguments, &names)
        case .test(let base, _, let arguments, _):
            visit(base, &names)
            visit(arguments, &names)
        case .unary(_, let operand), .not(let operand): visit(operand, &names)
        case .binary(_, let left, let right), .and(let left, let right), .or(let left, let right):
            visit(left, &names)
            visit(right, &names)
        case .compare(let first, let rest):
            visit(first, &names)
            for item in rest { visit(item.operand, &names) }
        case .conditional(let test, let then, let otherwise, _):
            visit(test, &names)
            visit(then, &names)
            if let otherwise { visit(otherwise, &names) }
        }
    }
}
