import Foundation

/// Renders one template once: owns the heap of runtime objects and the resource counters.
///
/// Runtime objects (namespaces, loop contexts, macros, generators) live in arrays here and values
/// refer to them by index, which keeps `Value` a plain `Sendable` enum while giving those objects
/// Python's reference semantics (`{% set ns.x = 1 %}` is visible through every copy of `ns`).
final class Interpreter {
    let limits: Limits
    let now: Date
    let stack: StackGuard

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

    init(limits: Limits, now: Date, stack: StackGuard) {
        self.limits = limits
        self.now = now
        self.stack = stack
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
        try stack.check()
        return try body()
    }

    /// Levels of statement/expression nesting allowed in total, including through macro calls
    /// (the stack guard is the hard backstop).
    static let maxDepth = 5_000

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

    /// Work units charged per container visited by deep walks (nesting checks, equality).
    static let visitCost = 8

    /// Fails if `value` nests deeper than `maxValueDepth`.
    ///
    /// Values can only grow deeper across loop iterations through namespace attributes (loop
    /// scopes are fresh each iteration, lists cannot be mutated), so checking there keeps every
    /// value shallow enough for the recursive printing, comparison and deallocation code.
    /// Shared sub-values are measured once, so `[ns.x, ns.x]` repeated stays cheap.
    func checkNesting(_ value: Value) throws {
        var memo: [UnsafeRawPointer: Int] = [:]
        var visited = 0
        let height = Interpreter.height(value, limit: limits.maxValueDepth, memo: &memo, visited: &visited)
        try addWork(visited * Interpreter.visitCost)
        if height > limits.maxValueDepth {
            throw JinjaError.limit(message: "value nested deeper than \(limits.maxValueDepth) levels")
        }
    }

    /// Nesting height of `value`, capped at `limit + 1`; containers already measured are looked up
    /// by the identity of their storage.
    static func height(_ value: Value, limit: Int, memo: inout [UnsafeRawPointer: Int], visited: inout Int) -> Int {
        let children: [Value]
        switch value {
        case .array(let items), .tuple(let items): children = items
        case .object(let object): children = object.values
        default: return 0
        }
        let key = storageIdentity(children)
        if let key, let known = memo[key] { return known }
        visited += 1
        var result = 1
        if limit <= 0 {
            result = 1
        } else {
            for child in children {
                result = max(result, 1 + height(child, limit: limit - 1, memo: &memo, visited: &visited))
                if result > limit { break }
            }
        }
        if let key { memo[key] = result }
        return result
    }

    /// The address of an array's shared storage (stable while the array is alive), nil when empty.
    static func storageIdentity(_ items: [Value]) -> UnsafeRawPointer? {
        guard !items.isEmpty else { return nil }
        return items.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    }
}
