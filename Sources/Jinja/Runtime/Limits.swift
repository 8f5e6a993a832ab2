/// Resource limits that keep a hostile or buggy template from hanging or exhausting memory.
///
/// Each limit turns into `JinjaError.limit` with a message naming it. The defaults are far above
/// what real chat templates need (they loop over a few dozen messages) but small enough that a
/// render always finishes quickly.
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
    /// Total work units (bytes of built strings, list elements, visited values) per render,
    /// bounding quadratic or exponential work by hostile templates.
    public var maxWork: Int
    /// Nesting depth of values stored into namespaces and of values being printed or compared.
    public var maxValueDepth: Int

    public init(
        maxLoopIterations: Int = 1_000_000,
        maxCallDepth: Int = 200,
        maxParseDepth: Int = 500,
        maxOutputBytes: Int = 16 << 20,
        maxCollectionCount: Int = 1 << 20,
        maxWork: Int = 64 << 20,
        maxValueDepth: Int = 200
    ) {
        self.maxLoopIterations = maxLoopIterations
        self.maxCallDepth = maxCallDepth
        self.maxParseDepth = maxParseDepth
        self.maxOutputBytes = maxOutputBytes
        self.maxCollectionCount = maxCollectionCount
        self.maxWork = maxWork
        self.maxValueDepth = maxValueDepth
    }

    /// The limits used when a caller does not pass any.
    public static let standard = Limits()
}
