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
                branch.body.forEach { visit($0, &names) }
            }
            otherwise.forEach { visit($0, &names) }
        case .forLoop(let loop):
            visit(loop.iterable, &names)
            if let filter = loop.filter { visit(filter, &names) }
            loop.body.forEach { visit($0, &names) }
            loop.otherwise.forEach { visit($0, &names) }
        case .assign(_, let expr): visit(expr, &names)
        case .assignBlock(_, let filters, let body):
            filters.forEach { visit($0.arguments, &names) }
            body.forEach { visit($0, &names) }
        case .macro(let macro):
            macro.defaults.forEach { visit($0, &names) }
            macro.body.forEach { visit($0, &names) }
        case .callBlock(let call, let caller):
            visit(call, &names)
            caller.defaults.forEach { visit($0, &names) }
            caller.body.forEach { visit($0, &names) }
        case .filterBlock(let filters, let body):
            filters.forEach { visit($0.arguments, &names) }
            body.forEach { visit($0, &names) }
        case .with(let targets, let body):
            targets.forEach { visit($0.1, &names) }
            body.forEach { visit($0, &names) }
        case .generation(let body):
            body.forEach { visit($0, &names) }
        }
    }

    static func visit(_ arguments: Arguments, _ names: inout Set<String>) {
        arguments.positional.forEach { visit($0, &names) }
        arguments.keywords.forEach { visit($0.value, &names) }
        if let star = arguments.star { visit(star, &names) }
        if let doubleStar = arguments.doubleStar { visit(doubleStar, &names) }
    }

    static func visit(_ expr: Expr, _ names: inout Set<String>) {
        switch expr {
        case .constant: break
        case .name(let name): names.insert(name)
        case .list(let items), .tuple(let items), .concat(let items): items.forEach { visit($0, &names) }
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
            rest.forEach { visit($0.operand, &names) }
        case .conditional(let test, let then, let otherwise, _):
            visit(test, &names)
            visit(then, &names)
            if let otherwise { visit(otherwise, &names) }
        }
    }
}
