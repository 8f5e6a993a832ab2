/// Something that turns tokens into next-token logits while remembering what it has seen:
/// the transformer with its KV cache. The single-sequence calls work on sequence 0; the batch
/// calls let several sequences share it (see `Transformer+Batch`).
package protocol TokenPredictor: AnyObject {
    /// The most tokens one sequence can hold.
    var contextLength: Int { get }
    /// Tokens of sequence 0 in the cache.
    var position: Int { get }
    var vocabularySize: Int { get }
    /// Cells still free for new positions of any sequence.
    var freeCells: Int { get }
    /// How far back sequence 0 can be truncated and still keep what it asks for (below, a
    /// sliding-window model may keep nothing); `Int.max` when any truncation is kept exactly.
    var rollbackDepth: Int { get }
    /// Forgets every cached token of sequence 0 at or after `position`, and returns the tokens
    /// kept: `position`, or fewer (0) when the cache cannot continue from there (a sliding
    /// window's ring no longer holds what the next token sees); the caller evaluates the rest.
    @discardableResult
    func truncate(to position: Int) -> Int
    /// Appends `tokens` to sequence 0 and returns the logits that follow the last of them.
    /// The buffer stays valid until the next call.
    func predict(_ tokens: UnsafeBufferPointer<Int32>) throws -> UnsafeBufferPointer<Float>
    /// Evaluates a batch over several sequences (see `Transformer.evaluate(_:)`).
    func predict(_ batch: TokenBatch) throws -> EvaluatedLogits
    /// Tokens cached for `sequence`.
    func length(of sequence: Int) -> Int
    /// Shares the first `length` positions of `source` as a new `sequence`; returns how many
    /// were shared (fewer, 0, where `truncate` would keep fewer).
    @discardableResult
    func fork(_ sequence: Int, from source: Int, length: Int?) throws -> Int
    /// How many of the first `length` positions of `sequence` a fork or truncation would keep.
    func servableLength(of sequence: Int, atMost length: Int) -> Int
    func remove(sequence: Int)
    /// Keeps only `sequence`, as sequence 0, laid out as if evaluated alone.
    func keepOnly(sequence: Int)
}

extension Transformer: TokenPredictor {
    public var vocabularySize: Int { model.config.vocabularySize }

    package func predict(_ tokens: UnsafeBufferPointer<Int32>) throws -> UnsafeBufferPointer<Float> {
        try evaluate(tokens, logits: .last).last
    }

    public func predict(_ batch: TokenBatch) throws -> EvaluatedLogits {
        try evaluate(batch)
    }
}
