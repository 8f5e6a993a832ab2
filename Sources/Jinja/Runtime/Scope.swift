/// A chain of variable frames with jinja2's scoping rules.
///
/// Templates, loop iterations, macro calls and `with` blocks each get a child scope; `if` does
/// not. Lookups walk outwards, assignments land in the innermost scope, so a `set` inside a loop
/// never leaks out (that is what `namespace()` is for). Macros keep a reference to the scope they
/// were defined in and read it when called, like Python closures.
final class Scope {
    private var variables: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?, variables: [String: Value] = [:]) {
        self.parent = parent
        self.variables = variables
    }

    /// The innermost binding of `name`, or nil if no scope defines it.
    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }

    func set(_ name: String, _ value: Value) {
        variables[name] = value
    }
}

/// State of one running `for` loop, read through the `loop` variable.
struct LoopState {
    var items: [Value]
    var index0 = 0
    /// The last value passed to `loop.changed(...)`.
    var lastChanged: [Value]?
}

/// A macro value: its definition plus the scope it closes over.
struct MacroClosure {
    let definition: MacroDefinition
    let scope: Scope
}

/// A one-shot generator (results of `map`, `select`, ...): iterating consumes it, like Python.
/// Generator filters compute their items only when first iterated (`pending`), so their errors
/// surface at the same moment as in jinja2 (or never, if the generator is only tested for truth).
struct IteratorState {
    var items: [Value]
    var consumed = false
    var pending: (() throws -> [Value])?
}
