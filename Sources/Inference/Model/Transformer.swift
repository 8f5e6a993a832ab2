#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a `LanguageModel` over tokens: the forward pass, its buffers and the KV cache.
///
/// One transformer is one conversation's context. It is not thread-safe: the thread that owns
/// it (the chat session) calls `evaluate` and `truncate`; parallelism lives inside each matrix
/// product and the attention, on the transformer's worker pool. The forward pass below reads
/// top to bottom like llama2.c's `forward()`; the loops over rows and elements are in
/// `Transformer+Operations.swift`, `Attention.swift` and the shared kernels.
public final class Transformer {
    public let model: LanguageModel
    /// Capacity of the KV cache in tokens.
    public let contextLength: Int
    /// Worker threads of matrix products and attention (the calling thread included).
    public var threads: Int { pool.threadCount }
    /// Tokens in the KV cache: the position the next token is evaluated at.
    public var position: Int { cache.count }
    /// Bytes reserved by the KV cache at full capacity (committed by the OS only as used).
    public var cacheByteCount: Int { cache.byteCount }
    /// Bytes of the KV cache holding the current `position` tokens.
    public var cacheBytesInUse: Int { cache.byteCount / contextLength * position }
    /// Bytes of the activation buffers.
    public var stateByteCount: Int { state.byteCount }

    let state: RunState
    let cache: KVCache
    let pool: WorkerPool
    /// Holds the token of `evaluate(token:)` so a single-token step allocates nothing.
    private let singleToken = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    /// Threads used when none are given: the number of online processors, at most
    /// `WorkerPool.maxThreads`.
    public static var defaultThreads: Int {
        min(WorkerPool.maxThreads, max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// - Parameters:
    ///   - contextLength: KV cache capacity; at most what the model was trained for is sensible,
    ///     but any positive length is accepted.
    ///   - threads: workers for the kernels (default: all processors).
    ///   - batchSize: tokens per forward micro-batch; longer prompts are split.
    ///   - cachePrecision: storage of keys and values (F16 halves memory and attention reads).
    public init(model: LanguageModel, contextLength: Int, threads: Int = Transformer.defaultThreads,
                batchSize: Int = 128, cachePrecision: KVCachePrecision = .f16) throws(ModelError) {
        guard contextLength > 0 else { throw .invalidArgument("context length must be positive, got \(contextLength)") }
        guard threads > 0 else { throw .invalidArgument("thread count must be positive, got \(threads)") }
        guard batchSize > 0 else { throw .invalidArgument("batch size must be positive, got \(batchSize)") }
        self.model = model
        self.contextLength = contextLength
        pool = try WorkerPool(threads: threads)
        state = RunState(config: model.config, batch: min(batchSize, contextLength), contextLength: contextLength,
                         workers: pool.threadCount)
        cache = KVCache(config: model.config, capacity: contextLength, precision: cachePrecision)
    }

    deinit { singleToken.deallocate() }

    /// Cuts the KV cache back to its first `position` tokens (e.g. the prefix a new prompt
    /// shares with the previous one). `position` must not exceed the current position.
    public func truncate(to position: Int) {
        cache.truncate(to: position)
    }

    /// Evaluates `tokens` at positions `position..<position + tokens.count`, appends them to
    /// the KV cache and returns the requested logits (valid until the next call).
    ///
    /// The tokens go through the model in micro-batches of `batchSize`: every weight matrix is
    /// applied to the whole micro-batch in one product, and attention is causal over the cache.
    public func evaluate(_ tokens: [Int32], logits request: LogitsRequest = .last) throws(ModelError) -> EvaluatedLogits {
        try tokens.withUnsafeBufferPointer { (buffer) throws(ModelError) -> EvaluatedLogits in
            try evaluate(buffer, logits: request)
        }
    }

    /// Evaluates one token (the decoding step); allocates nothing.
    public func evaluate(token: Int32, logits request: LogitsRequest = .last) throws(ModelError) -> EvaluatedLogits {
        singleToken.pointee = token
        return try evaluate(UnsafeBufferPointer(start: singleToken, count: 1), logits: request)
    }

    /// Evaluates tokens held in a buffer (see `evaluate(_:logits:)`).
    public func evaluate(_ tokens: UnsafeBufferPointer<Int32>, logits request: LogitsRequest = .last)
        throws(ModelError) -> EvaluatedLogits
    {
        let vocabulary = model.config.vocabularySize
        guard !tokens.isEmpty else { throw .invalidArgument("evaluate needs at least one token") }
        guard position + tokens.count <= contextLength else {
            throw .contextOverflow(position: position, tokenCount: tokens.count, contextLength: contextLength)
        }
        for token in tokens where token < 0 || Int(token) >= vocabulary {
            throw .tokenOutOfRange(token: token, vocabularySize: vocabulary)
        }
        let all = request == .all ? state.logitsForAll(tokens: tokens.count, vocabulary: vocabulary) : nil
        var start = 0
        while start < tokens.count {
            let end = min(start + state.batch, tokens.count)
            let batch = UnsafeBufferPointer(rebasing: tokens[start..<end])
            switch request {
            case .none: forward(batch, logits: .none)
            case .last: forward(batch, logits: end == tokens.count ? .last : .none)
            case .all: forward(batch, logits: .rows(all.unsafelyUnwrapped, firstRow: start))
            }
            start = end
        }
        switch request {
        case .none: return .empty(vocabularySize: vocabulary)
        case .last: return EvaluatedLogits(rows: 1, vocabularySize: vocabulary, base: state.lastLogits.base)
        case .all: return EvaluatedLogits(rows: tokens.count, vocabularySize: vocabulary, base: all?.base)
        }
    }

    /// Where one micro-batch writes its logits.
    enum BatchLogits {
        case none
        /// The last token's, into `state.lastLogits`.
        case last
        /// Every token's, into rows `firstRow...` of the matrix.
        case rows(StateMatrix, firstRow: Int)

        /// The rows of an `n`-token batch whose final hidden state is needed.
        func rows(of n: Int) -> Range<Int> {
            switch self {
            case .none: return n..<n
            case .last: return (n - 1)..<n
            case .rows: return 0..<n
            }
        }
    }

    /// The forward pass of `tokens.count` (n ≤ batch) tokens at positions `position..<position+n`.
    func forward(_ tokens: UnsafeBufferPointer<Int32>, logits: BatchLogits) {
        let c = model.config, w = model.weights, s = state
        let n = tokens.count, start = position

        embed(tokens, into: s.x)                                              // x: [n × dim]
        ropeAngles(start: start, tokens: n)                                   // cos, sin: [n × rope/2]

        for (l, layer) in w.layers.enumerated() {
            // Attention: normalize, project to Q, K, V, rotate, attend over the cache, project back.
            rmsNorm(s.x, layer.attentionNorm, into: s.normed, tokens: n)       // [n × dim]
            matmul(layer.queryKeyValue, s.normed, into: s.queryKeyValue, tokens: n)  // q, k, v (below)
            // query: [n × heads·headDim]; key, value: [n × kvHeads·headDim]
            if let bias = layer.queryBias { addBias(bias, to: s.query, tokens: n) }
            if let bias = layer.keyBias { addBias(bias, to: s.key, tokens: n) }
            if let bias = layer.valueBias { addBias(bias, to: s.value, tokens: n) }
            if let norm = layer.queryNorm { headNorm(s.query, norm, heads: c.headCount, tokens: n) }
            if let norm = layer.keyNorm { headNorm(s.key, norm, heads: c.kvHeadCount, tokens: n) }
            rope(s.query, heads: c.headCount, tokens: n)
            rope(s.key, heads: c.kvHeadCount, tokens: n)
            Attention.store(keys: s.key, values: s.value, tokens: n, layer: l, start: start, cache: cache)
            Attention.attend(queries: s.query, tokens: n, layer: l, start: start, heads: c.headCount,
                             cache: cache, scores: s.scores, into: s.attention, pool: pool)  // [n × heads·headDim]
            matmul(layer.attentionOutput, s.attention, into: s.delta, tokens: n)  // [n × dim]
            add(s.delta, to: s.x, tokens: n)                                  // residual

            // Feed-forward (SwiGLU): down(silu(gate(x)) · up(x)), on rows `first..<first+m`. The
            // last layer's output only feeds the logits, so there only their rows go on (none,
            // the last, or all), as llama.cpp selects its output rows at this point.
            let rows = l == w.layers.count - 1 ? logits.rows(of: n) : 0..<n
            let first = rows.lowerBound, m = rows.count
            if m > 0 {
                rmsNorm(s.x, layer.ffnNorm, into: s.normed, fromRow: first, tokens: m)  // [m × dim]
                matmul(layer.gateUp, s.normed, into: s.gateUp, tokens: m)      // gate, up: [m × ffn]
                swiglu(s.gate, s.up, tokens: m)                               // gate = silu(gate) · up
                matmul(layer.down, s.gate, into: s.delta, tokens: m)           // [m × dim]
                add(s.delta, to: s.x, fromRow: first, tokens: m)              // residual
            }
        }
        cache.advance(by: n)

        // Classifier: final norm, then logits for the rows that were asked for.
        switch logits {
        case .none:
            break
        case .last:
            rmsNorm(s.x, w.outputNorm, into: s.normed, fromRow: n - 1, tokens: 1)   // [1 × dim]
            matmul(w.output, s.normed, into: s.lastLogits, tokens: 1)             // [1 × vocab]
        case .rows(let matrix, let firstRow):
            rmsNorm(s.x, w.outputNorm, into: s.normed, tokens: n)                 // [n × dim]
            matmul(w.output, s.normed, into: matrix, tokens: n, outputRow: firstRow)  // [n × vocab]
        }
    }
}
