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
    /// When `maxRenderTime` runs out.
    let deadline: ContinuousClock.Instant
    /// Asked at every budget checkpoint; true stops the render with `JinjaError.cancelled`.
    let shouldStop: (@Sendable () -> Bool)?

    var namespaces: [OrderedObject] = []
    var loops: [LoopState] = []
    var iterators: [IteratorState] = []
    var macros: [MacroClosure] = []

    var loopIterations = 0
    var callDepth = 0
    /// Nesting of statement blocks and expression evaluation, including through macro calls.
    var depth = 0
    var work = 0
    /// The work total at which the clock and the cancellation flag are checked next.
    var nextCheckpoint = Limits.Cost.checkInterval
    /// Set while folding constants at parse time (jinja2's `as_const`): names, calls and
    /// context filters are impossible, and failed slices become undefined.
    var constantMode = false

    init(limits: Limits, now: Date, stack: StackGuard, shouldStop: (@Sendable () -> Bool)? = nil) {
        self.limits = limits
        self.now = now
        self.stack = stack
        self.shouldStop = shouldStop
        deadline = ContinuousClock.now.advanced(by: limits.maxRenderTime)
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
        "strftime_now": .native(NativeObject(.function(.strftimeNow)))
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

    /// Runs `body` one level deeper, failing cleanly instead of overflowing the stack; each
    /// evaluation step is charged to the work budget.
    @inline(__always)
    func deeper<T>(_ body: () throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Limits.maxEvaluationDepth {
            throw JinjaError.limit(message: "evaluation nested deeper than \(Limits.maxEvaluationDepth) levels")
        }
        try addWork(Limits.Cost.step)
        try stack.check()
        return try body()
    }

    func countIteration() throws {
        loopIterations += 1
        if loopIterations > limits.maxLoopIterations {
            throw JinjaError.limit(message: "more than \(limits.maxLoopIterations) loop iterations")
        }
    }

    /// Accounts for a produced string of `bytes` bytes: checks its size and the total work budget.
    func produced(bytes: Int) throws {
        try checkSize(bytes: bytes)
        try addWork(bytes)
    }

    /// Fails if a string being built has grown past `maxOutputBytes` (charges nothing).
    func checkSize(bytes: Int) throws {
        if bytes > limits.maxOutputBytes {
            throw JinjaError.limit(message: "string longer than \(limits.maxOutputBytes) bytes")
        }
    }

    /// Accounts for a produced list of `count` elements.
    func produced(elements count: Int) throws {
        if count > limits.maxCollectionCount {
            throw JinjaError.limit(message: "list longer than \(limits.maxCollectionCount) elements")
        }
        try addWork(count)
    }

    /// Charges `amount` units to the work budget (`Limits.Cost`); call it before the work it
    /// stands for, so an operation too large for the budget never starts.
    @inline(__always)
    func addWork(_ amount: Int) throws {
        let (sum, overflow) = work.addingReportingOverflow(amount)
        work = overflow ? Int.max : sum
        if work > limits.maxWork {
            throw JinjaError.limit(
                message: "the template did more than \(limits.maxWork) units of work "
                    + "(each byte or element an operation touches counts)")
        }
        if work >= nextCheckpoint { try checkpoint() }
    }

    /// Charges for reading a string of `text`'s size (searching, converting, comparing it).
    @inline(__always)
    func touch(_ text: String) throws {
        try addWork(text.utf8.count)
    }

    /// Stops the render if it was cancelled or ran past `maxRenderTime`.
    @inline(never)
    func checkpoint() throws {
        nextCheckpoint =
            work.addingReportingOverflow(Limits.Cost.checkInterval).overflow
            ? Int.max : work + Limits.Cost.checkInterval
        try poll()
    }

    /// Checks the cancellation flag and the clock now, whatever the work count: long single
    /// operations (searching or rewriting megabytes) call it as they go.
    func poll() throws {
        if let shouldStop, shouldStop() { throw JinjaError.cancelled }
        if ContinuousClock.now > deadline {
            throw JinjaError.limit(message: "rendering took longer than \(Interpreter.describe(limits.maxRenderTime))")
        }
    }

    /// `2 s`, `0.5 s`: a duration as the time-limit message shows it.
    static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// Appends rendered text, enforcing the output size limit.
    func emit(_ text: String, into output: inout String) throws {
        try touch(text)
        output += text
        if output.utf8.count > limits.maxOutputBytes {
            throw JinjaError.limit(message: "output larger than \(limits.maxOutputBytes) bytes")
        }
    }

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
        try addWork(visited * Limits.Cost.visit)
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
