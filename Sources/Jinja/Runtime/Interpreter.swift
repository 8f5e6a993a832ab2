import Foundation

/// Renders one template once: owns the heap of runtime objects and the resource counters.
///
/// Runtime objects (namespaces, loop contexts, macros, generators) live in arrays here and values
/// refer to them by index, which keeps `Value` a plain `Sendable` enum while giving those objects
/// Python's reference semantics (`{% set ns.x = 1 %}` is visible through every copy of `ns`).
final class Interpreter {
    let limits: Limits
    let now: Date

    var namespaces: [OrderedObject] = []
    var loops: [LoopState] = []
    var iterators: [IteratorState] = []
    var macros: [MacroClosure] = []

    var loopIterations = 0
    var callDepth = 0
    /// Nesting of statement blocks and expression evaluation, including through macro calls.
    var depth = 0
    var work = 0
    /// Set while folding constants at parse time (jinja2's `as_const`): names, calls and
    /// context filters are impossible, and failed slices become undefined.
    var constantMode = false

    init(limits: Limits, now: Date) {
        self.limits = limits
        self.now = now
    }

    /// Renders `body` with `context` on top of the globals.
    func render(_ body: [Stmt], context: [String: Value]) throws -> String {
        let globals = Scope(parent: nil, variables: Interpreter.globals)
        let root = Scope(parent: globals, variables: context)
        var output = ""
        _ = try execute(body, scope: root, into: &output)
        return output
    }

    static let globals: [String: Value] = [
        "range": .native(NativeObject(.function(.range))),
        "dict": .native(NativeObject(.function(.dict))),
        "namespace": .native(NativeObject(.function(.namespace))),
        "raise_exception": .native(NativeObject(.function(.raiseException))),
        "strftime_now": .native(NativeObject(.function(.strftimeNow))),
    ]

    // MARK: - Heap

    func newNamespace(_ attributes: OrderedObject) -> Value {
        namespaces.append(attributes)
        return .native(NativeObject(.namespace(namespaces.count - 1)))
    }

    func newIterator(_ items: [Value], typeName: String = "generator") -> Value {
        iterators.append(IteratorState(items: items))
        return .native(NativeObject(.iterator(iterators.count - 1, typeName: typeName)))
    }

    /// A generator whose items are computed by `produce` on first iteration.
    func newLazyIterator(_ produce: @escaping () throws -> [Value]) -> Value {
        iterators.append(IteratorState(items: [], pending: produce))
        return .native(NativeObject(.iterator(iterators.count - 1, typeName: "generator")))
    }

    // MARK: - Limits

    /// Runs `body` one level deeper, failing cleanly instead of overflowing the stack.
    @inline(__always)
    func deeper<T>(_ body: () throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Interpreter.maxDepth {
            throw JinjaError.limit(message: "evaluation nested deeper than \(Interpreter.maxDepth) levels")
        }
        return try body()
    }

    /// Frames of statement/expression nesting allowed in total (bounds native stack use).
    static let maxDepth = 1_500

    func countIteration() throws {
        loopIterations += 1
        if loopIterations > limits.maxLoopIterations {
            throw JinjaError.limit(message: "more than \(limits.maxLoopIterations) loop iterations")
        }
    }

    /// Accounts for a produced string of `bytes` bytes: checks its size and the total work budget.
    func produced(bytes: Int) throws {
        if bytes > limits.maxOutputBytes {
            throw JinjaError.limit(message: "string longer than \(limits.maxOutputBytes) bytes")
        }
        try addWork(bytes)
    }

    /// Accounts for a produced list of `count` elements.
    func produced(elements count: Int) throws {
        if count > limits.maxCollectionCount {
            throw JinjaError.limit(message: "list longer than \(limits.maxCollectionCount) elements")
        }
        try addWork(count)
    }

    func addWork(_ amount: Int) throws {
        work += amount
        if work > limits.maxWork {
            throw JinjaError.limit(message: "template did more than \(limits.maxWork) units of string/list work")
        }
    }

    /// Appends rendered text, enforcing the output size limit.
    func emit(_ text: String, into output: inout String) throws {
        output += text
        if output.utf8.count > limits.maxOutputBytes {
            throw JinjaError.limit(message: "output larger than \(limits.maxOutputBytes) bytes")
        }
    }

    /// Fails if `value` nests deeper than `maxValueDepth` (checked where values can accumulate).
    func checkNesting(_ value: Value) throws {
        var budget = 100_000
        if Interpreter.nestingExceeds(value, limit: limits.maxValueDepth, budget: &budget) {
            throw JinjaError.limit(message: "value nested deeper than \(limits.maxValueDepth) levels")
        }
    }

    /// Depth-first probe that stops at `limit` levels or after visiting `budget` containers.
    static func nestingExceeds(_ value: Value, limit: Int, budget: inout Int) -> Bool {
        let children: [Value]
        switch value {
        case .array(let items), .tuple(let items): children = items
        case .object(let object): children = object.values
        default: return false
        }
        if limit <= 0 { return true }
        budget -= 1
        if budget <= 0 { return false }
        for child in children where nestingExceeds(child, limit: limit - 1, budget: &budget) {
            return true
        }
        return false
    }
}
