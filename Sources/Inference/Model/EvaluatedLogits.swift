/// Which logits `Transformer.evaluate` computes.
///
/// The classifier (`vocab × dim`) is the largest matrix of small models, so prompt prefill asks
/// for `.last` (or `.none` when more tokens follow) and only perplexity pays for `.all`.
public enum LogitsRequest: Sendable, Equatable {
    /// No logits (the tokens only extend the KV cache).
    case none
    /// Logits of the last token.
    case last
    /// Logits of every token, `tokens × vocab`.
    case all
}

/// Logits written by `Transformer.evaluate`, viewed in the transformer's own buffers.
///
/// Valid only until the next call to `evaluate` or `truncate` on the same transformer (they
/// are overwritten in place, which keeps the token loop free of allocations). Copy what must
/// outlive that, e.g. `Array(logits.last)`.
public struct EvaluatedLogits {
    /// Rows available: 0 for `.none`, 1 for `.last`, the token count for `.all`.
    public let rows: Int
    public let vocabularySize: Int
    private let base: UnsafePointer<Float>?

    init(rows: Int, vocabularySize: Int, base: UnsafePointer<Float>?) {
        self.rows = rows
        self.vocabularySize = vocabularySize
        self.base = base
    }

    static func empty(vocabularySize: Int) -> EvaluatedLogits {
        EvaluatedLogits(rows: 0, vocabularySize: vocabularySize, base: nil)
    }

    /// Logits of row `index` (for `.all`: of the `index`-th evaluated token).
    package func row(_ index: Int) -> UnsafeBufferPointer<Float> {
        precondition(index >= 0 && index < rows, "logits row \(index) out of range 0..<\(rows)")
        return UnsafeBufferPointer(start: base.map { $0 + index * vocabularySize }, count: vocabularySize)
    }

    /// Logits of the last evaluated token (the last row).
    package var last: UnsafeBufferPointer<Float> { row(rows - 1) }
}
