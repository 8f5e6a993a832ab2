/// One step of the batch API: tokens to evaluate, each for a sequence, some asking for logits.
///
/// This is the engine's one way to evaluate several sequences together (llama.cpp's
/// `llama_batch` with sequence ids): `n` alternatives decode one token of each sequence per
/// step, a server steps its active requests together, and speculative decoding verifies k
/// drafted tokens of one sequence with logits for each. A sequence's tokens take its next
/// positions in the order they are added. Reuse one batch across steps (`removeAll`) so the
/// token loop does not allocate.
public struct TokenBatch: Sendable {
    public private(set) var tokens: [Int32] = []
    public private(set) var sequences: [Int] = []
    public private(set) var wantsLogits: [Bool] = []
    /// Computes every row exactly as a one-token decoding step of its sequence would (the
    /// one-row matrix kernels and each row's one-token attention kernel), instead of with a
    /// single sequence's batch-size-dependent rounding. Speculative verification sets it, so
    /// the logits of a drafted position equal those of decoding it alone, bit for bit.
    public var decodesRowsAlone = false

    public init(capacity: Int = 8) {
        tokens.reserveCapacity(capacity)
        sequences.reserveCapacity(capacity)
        wantsLogits.reserveCapacity(capacity)
    }

    public var count: Int { tokens.count }
    public var isEmpty: Bool { tokens.isEmpty }

    /// Adds `token` at the next position of `sequence`; `logits` asks for the logits after it.
    public mutating func append(_ token: Int32, sequence: Int, logits: Bool) {
        tokens.append(token)
        sequences.append(sequence)
        wantsLogits.append(logits)
    }

    /// Adds several tokens of one sequence, asking for logits after the last only (a prompt)
    /// or after each (`logitsForAll`, e.g. verifying drafted tokens).
    public mutating func append(_ newTokens: some Collection<Int32>, sequence: Int, logitsForAll: Bool = false) {
        for (index, token) in newTokens.enumerated() {
            append(token, sequence: sequence, logits: logitsForAll || index == newTokens.count - 1)
        }
    }

    public mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        sequences.removeAll(keepingCapacity: true)
        wantsLogits.removeAll(keepingCapacity: true)
    }

    /// How many entries ask for logits (the rows `Transformer.evaluate(_:)` returns).
    public var logitsCount: Int { wantsLogits.reduce(0) { $0 + ($1 ? 1 : 0) } }
}
