/// Resource limits that keep a hostile or buggy template from hanging or exhausting memory.
///
/// Each limit turns into `JinjaError.limit` with a message naming it. The defaults are far above
/// what real chat templates need (the 60 shared templates use at most 32 K work units on a short
/// conversation and 33 M on a 4 MB one) but small enough that a render always finishes quickly:
/// hostile templates exhaust the work budget in 0.1 to 1 s of CPU on a 2-core 2020s machine, and
/// the time limit is the backstop for a busy machine or anything the budget underestimates.
///
/// Every limit and every cost the interpreter charges is defined here, in one place.
public struct Limits: Sendable, Equatable {
    /// Total loop iterations across the whole render.
    public var maxLoopIterations: Int
    /// Nested macro / caller invocations.
    public var maxCallDepth: Int
    /// Nesting of blocks and expressions accepted by the parser.
    public var maxParseDepth: Int
    /// Bytes of rendered output (and of any single string value built while rendering).
    public var maxOutputBytes: Int
    /// Elements in any list built while rendering.
    public var maxCollectionCount: Int
    /// Total work units per render (see `Limits.Cost`): every evaluation step, every byte or
    /// element an operation reads or builds, every macro call. Bounds quadratic or exponential
    /// work by hostile templates.
    public var maxWork: Int
    /// Nesting depth of values stored into namespaces and of values being printed or compared.
    public var maxValueDepth: Int
    /// Wall-clock time one render may take (and, separately, the constant folding of one parse).
    public var maxRenderTime: Duration

    public init(
        maxLoopIterations: Int = 1_000_000,
        maxCallDepth: Int = 200,
        maxParseDepth: Int = 500,
        maxOutputBytes: Int = 16 << 20,
        maxCollectionCount: Int = 1 << 20,
        maxWork: Int = 128 << 20,
        maxValueDepth: Int = 200,
        maxRenderTime: Duration = .seconds(2)
    ) {
        self.maxLoopIterations = maxLoopIterations
        self.maxCallDepth = maxCallDepth
        self.maxParseDepth = maxParseDepth
        self.maxOutputBytes = maxOutputBytes
        self.maxCollectionCount = maxCollectionCount
        self.maxWork = maxWork
        self.maxValueDepth = maxValueDepth
        self.maxRenderTime = maxRenderTime
    }

    /// The limits used when a caller does not pass any.
    public static let standard = Limits()

    /// Levels of statement/expression nesting allowed in total, including through macro calls
    /// (the native stack guard is the hard backstop).
    static let maxEvaluationDepth = 5_000

    /// What the interpreter charges against `maxWork`, in units of roughly one byte or element
    /// touched by a linear scan (2 to 8 ns each, measured with `Scripts/bench-template-limits.sh`).
    enum Cost {
        /// One statement list or expression node evaluated.
        static let step = 16
        /// One macro or caller invocation (scope, argument binding, output buffer).
        static let call = 256
        /// One container visited by deep walks (nesting checks, equality, ordering).
        static let visit = 8
        /// One comparison made while sorting.
        static let comparison = 8
        /// Extra units per byte of `tojson` output, which costs several bytes' worth of copying.
        static let serializedByte = 3
        /// Work units between two checks of the clock and of the cancellation flag: a fraction
        /// of a millisecond of work, so a cancel or a time-out lands within a few milliseconds
        /// (plus the one operation in flight, itself bounded by the string and list limits).
        static let checkInterval = 1 << 16
    }
}
