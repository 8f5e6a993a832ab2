/// The template syntax tree, shaped after jinja2's `nodes` module.

/// An expression.
indirect enum Expr: Sendable {
    case constant(Value)
    case name(String)
    case list([Expr])
    case tuple([Expr])
    case dict([(key: Expr, value: Expr)])
    /// `a.b`: Python attribute first, then item.
    case getattr(Expr, String)
    /// `a[b]`: item first, then attribute.
    case getitem(Expr, Expr)
    /// `a[start:stop:step]`.
    case slice(Expr, start: Expr?, stop: Expr?, step: Expr?)
    case call(Expr, Arguments)
    /// `value | name(args)`; `value` is nil inside `{% filter %}` blocks (the body is the input).
    case filter(Expr?, FilterCall)
    /// `value is name(args)`.
    case test(Expr, name: String, Arguments, line: Int)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr)
    /// `a < b == c`: Python-style chained comparison.
    case compare(Expr, [(op: CompareOp, operand: Expr)])
    /// `a ~ b ~ c`.
    case concat([Expr])
    /// `a if test else b`; without `else` the result is undefined when the test fails.
    case conditional(test: Expr, then: Expr, otherwise: Expr?, line: Int)
}

enum UnaryOp: Sendable { case negate, plus }

enum BinaryOp: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case floorDivide = "//"
    case modulo = "%"
    case power = "**"
}

enum CompareOp: String, Sendable {
    case eq = "=="
    case ne = "!="
    case lt = "<"
    case le = "<="
    case gt = ">"
    case ge = ">="
    case isIn = "in"
    case notIn = "not in"
}

/// Call arguments: positional, keyword, and `*args` / `**kwargs` spreads.
struct Arguments: Sendable {
    var positional: [Expr] = []
    var keywords: [(name: String, value: Expr)] = []
    var star: Expr?
    var doubleStar: Expr?
}

/// One `| name(args)` application.
struct FilterCall: Sendable {
    let name: String
    let arguments: Arguments
    let line: Int
}

/// Where `set` and `for` store values.
indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    /// `ns.attr` (namespace attribute).
    case namespaceAttribute(String, String)
}

/// A statement (or template data).
indirect enum Stmt: Sendable {
    case text(String)
    case output(Expr)
    case ifChain(branches: [(test: Expr, body: [Stmt])], otherwise: [Stmt])
    case forLoop(ForLoop)
    case assign(AssignTarget, Expr)
    case assignBlock(AssignTarget, filters: [FilterCall], body: [Stmt])
    case macro(MacroDefinition)
    case callBlock(call: Expr, caller: MacroDefinition)
    case filterBlock(filters: [FilterCall], body: [Stmt])
    case with(targets: [(AssignTarget, Expr)], body: [Stmt])
    /// `{% generation %}`: renders its body in its own scope (jinja2 compiles it as a call block).
    case generation([Stmt])
    case breakLoop
    case continueLoop
}

struct ForLoop: Sendable {
    let target: AssignTarget
    let iterable: Expr
    let filter: Expr?
    let body: [Stmt]
    let otherwise: [Stmt]
    let recursive: Bool
}

/// A macro (or the anonymous `caller` of a call block).
struct MacroDefinition: Sendable {
    let name: String
    let parameters: [String]
    /// Defaults for the last `defaults.count` parameters.
    let defaults: [Expr]
    let body: [Stmt]
    /// Whether the body mentions `caller`, `varargs` or `kwargs` (jinja2 only accepts extra
    /// arguments when it does).
    let usesCaller: Bool
    let usesVarargs: Bool
    let usesKwargs: Bool
}
