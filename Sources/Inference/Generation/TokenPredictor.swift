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
    /// Forgets every cached token of sequence 0 at or after `position`.
    func truncate(to position: Int)
    /// Appends `tokens` to sequence 0 and returns the logits that follow the last of them.
    /// The buffer stays valid until the next call.
    func predict(_ tokens: UnsafeBufferPointer<Int32>) throws -> UnsafeBufferPointer<Float>
    /// Evaluates a batch over several sequences (see `Transformer.evaluate(_:)`).
    func predict(_ batch: TokenBatch) throws -> EvaluatedLogits
    /// Tokens cached for `sequence`.
    func length(of sequence: Int) -> Int
    /// Shares the first `length` positions of `source` as a new `sequence`.
    func fork(_ sequence: Int, from source: Int, length: Int?) throws
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
