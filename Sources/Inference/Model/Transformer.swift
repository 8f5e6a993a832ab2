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
    /// Tokens of the default sequence (0) in the KV cache: the position its next token is
    /// evaluated at. The single-sequence API (`evaluate`, `truncate`) works on that sequence.
    public var position: Int { cache.length(of: Self.defaultSequence) }
    /// Bytes reserved by the KV cache at full capacity (committed by the OS only as used).
    public var cacheByteCount: Int { cache.byteCount }
    /// Bytes reserved by the rings of sliding-window layers (0 when every layer keeps every
    /// position; see `KVPool` for their size).
    public var windowedCacheByteCount: Int { cache.pools.reduce(0) { $0 + ($1.isRing ? $1.byteCount : 0) } }
    /// Bytes of the KV cache holding positions of some sequence (shared cells counted once).
    public var cacheBytesInUse: Int { cache.bytesInUse }
    /// How far back a sequence can be truncated and still continue from the cache: a ring
    /// keeps only this many positions beyond its window (`Int.max` without rings).
    public var rollbackDepth: Int { cache.pools.contains { $0.isRing } ? rollback : Int.max }
    /// Bytes of the activation buffers.
    public var stateByteCount: Int { state.byteCount }

    /// The sequence of the single-sequence API.
    public static let defaultSequence = 0

    let state: RunState
    let cache: KVCache
    /// Positions kept in the rings beyond their windows (see `rollbackDepth`).
    let rollback: Int
    let pool: WorkerPool
    /// Rows of the micro-batch being evaluated.
    let plan: BatchPlan
    /// The model's RoPE tables for this context's length (`LanguageModel.ropeTables(contextLength:)`).
    let ropeTables: [RopeAngles]
    /// Each layer's attention choices (window, scale, soft-cap), built once.
    let attentionShapes: [AttentionShape]
    /// The attention scale when it multiplies the queries rather than the scores
    /// (`ModelArchitecture.scalesQueryBeforeAttention`); nil otherwise.
    let queryScale: Float?
    /// A developer's probe into the forward pass, nil in normal use: called with llama.cpp's name
    /// of each intermediate (as `Scripts/reference/llama-cpp-oracle/probe.cpp` dumps them), its
    /// layer (−1: none) and the values of the batch's last row, so a divergence from llama.cpp can
    /// be located tensor by tensor. Costs one nil check per step when unset.
    package var intermediateTap: ((_ name: String, _ layer: Int, _ values: UnsafeBufferPointer<Float>) -> Void)?
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
    ///   - cachePrecision: storage of keys and values (F16 halves memory and attention reads;
    ///     Q8_0 nearly halves them again and needs a head size that is a multiple of 32).
    ///   - cacheCells: KV cache cells shared by all sequences (default `contextLength`); more lets
    ///     several sequences that share a prompt each reach the context's end.
    ///   - windowedSequences: live sequences (forks and kept prefixes included) the rings of
    ///     sliding-window layers are sized for; more still run while cells last (`freeCells`).
    ///   - rollback: positions a sequence can be truncated by and still continue from a ring
    ///     (speculation's drafts are limited to it); deeper truncation keeps 0 positions.
    public init(
        model: LanguageModel, contextLength: Int, threads: Int = Transformer.defaultThreads,
        batchSize: Int = 128, cachePrecision: KVCachePrecision = .f16,
        cacheCells: Int? = nil, windowedSequences: Int = 8, rollback: Int = 16
    ) throws(InferenceError) {
        guard contextLength > 0 else { throw .invalidArgument("context length must be positive, got \(contextLength)") }
        guard threads > 0 else { throw .invalidArgument("thread count must be positive, got \(threads)") }
        guard batchSize > 0 else { throw .invalidArgument("batch size must be positive, got \(batchSize)") }
        guard windowedSequences > 0, rollback >= 0 else {
            throw .invalidArgument("windowed sequences must be positive and rollback not negative")
        }
        if cachePrecision == .q8_0, model.config.headDimension % 32 != 0 {
            throw .invalidArgument(
                "a q8_0 KV cache needs a head size that is a multiple of 32; this model's is "
                    + "\(model.config.headDimension) (use the f16 cache)")
        }
        let cells = cacheCells ?? contextLength
        guard cells >= contextLength else {
            throw .invalidArgument("cache cells (\(cells)) must be at least the context length (\(contextLength))")
        }
        self.model = model
        self.contextLength = contextLength
        pool = try WorkerPool(threads: threads)
        state = RunState(
            config: model.config, batch: min(batchSize, contextLength), contextLength: contextLength,
            workers: pool.threadCount)
        self.rollback = rollback
        cache = KVCache(
            config: model.config, capacity: cells, precision: cachePrecision, batch: state.batch,
            sequences: windowedSequences, rollback: rollback)
        plan = BatchPlan(capacity: state.batch, pools: cache.pools.count)
        ropeTables = model.ropeTables(contextLength: contextLength)
        let config = model.config
        let prescaled = config.architecture.scalesQueryBeforeAttention
        queryScale = prescaled ? config.effectiveAttentionScale : nil
        attentionShapes = (0..<config.layerCount).map { l in
            AttentionShape(
                window: config.shape(ofLayer: l).slidingWindow, scale: prescaled ? 1 : config.effectiveAttentionScale,
                softcap: config.attentionSoftcap)
        }
    }

    deinit { singleToken.deallocate() }

    /// Hands row `row` of `matrix` to `intermediateTap`, if one is set.
    @inline(__always)
    private func tap(_ name: String, _ layer: Int, _ matrix: StateMatrix, row: Int) {
        guard let intermediateTap else { return }
        intermediateTap(name, layer, UnsafeBufferPointer(matrix.row(row)))
    }

    /// Cuts the default sequence back to its first `position` tokens (e.g. the prefix a new
    /// prompt shares with the previous one) and returns how many it kept: `position`, or 0 when
    /// a sliding-window layer's ring no longer holds what the next token would see there (the
    /// caller evaluates again from what was kept, as llama.cpp's server does for SWA caches).
    /// Truncating by at most `rollbackDepth` always keeps `position`. `position` must not
    /// exceed the current position.
    @discardableResult
    public func truncate(to position: Int) -> Int {
        cache.truncate(Self.defaultSequence, to: position)
    }

    /// Evaluates `tokens` at positions `position..<position + tokens.count`, appends them to
    /// the KV cache and returns the requested logits (valid until the next call).
    ///
    /// The tokens go through the model in micro-batches of `batchSize`: every weight matrix is
    /// applied to the whole micro-batch in one product, and attention is causal over the cache.
    public func evaluate(_ tokens: [Int32], logits request: LogitsRequest = .last) throws(InferenceError)
        -> EvaluatedLogits
    {
        try tokens.withUnsafeBufferPointer { (buffer) throws(InferenceError) -> EvaluatedLogits in
            try evaluate(buffer, logits: request)
        }
    }

    /// Evaluates one token (the decoding step); allocates nothing.
    public func evaluate(token: Int32, logits request: LogitsRequest = .last) throws(InferenceError) -> EvaluatedLogits
    {
        singleToken.pointee = token
        return try evaluate(UnsafeBufferPointer(start: singleToken, count: 1), logits: request)
    }

    /// Evaluates tokens held in a buffer (see `evaluate(_:logits:)`).
    package func evaluate(_ tokens: UnsafeBufferPointer<Int32>, logits request: LogitsRequest = .last)
        throws(InferenceError) -> EvaluatedLogits
    {
        let vocabulary = model.config.vocabularySize
        guard !tokens.isEmpty else { throw .invalidArgument("evaluate needs at least one token") }
        guard position + tokens.count <= contextLength, cache.fits(rows: tokens.count) else {
            throw .contextOverflow(position: position, tokenCount: tokens.count, contextLength: contextLength)
        }
        for token in tokens where token < 0 || Int(token) >= vocabulary {
            throw .tokenOutOfRange(token: token, vocabularySize: vocabulary)
        }
        let all = request == .all ? state.logitsForAll(tokens: tokens.count, vocabulary: vocabulary) : nil
        let sequence = Self.defaultSequence
        var start = 0
        while start < tokens.count {
            let end = min(start + state.batch, tokens.count)
            // A ring frees old positions between micro-batches; others may have filled it.
            guard cache.fits(rows: end - start) else {
                throw .contextOverflow(
                    position: position, tokenCount: tokens.count - start, contextLength: contextLength)
            }
            plan.removeAll()
            for t in start..<end {
                let wanted = request == .all || (request == .last && t == tokens.count - 1)
                cache.append(sequence, upcoming: tokens.count - t, token: tokens[t], wantsLogits: wanted, into: plan)
            }
            plan.attach(rows: 0..<(end - start), precision: cache.precision) { cache.spans(of: sequence, pool: $0) }
            switch request {
            case .none: forward(plan, logits: nil)
            case .last: forward(plan, logits: end == tokens.count ? (state.lastLogits, 0) : nil)
            case .all: forward(plan, logits: (all.unsafelyUnwrapped, start))
            }
            cache.slide(plan)
            start = end
        }
        switch request {
        case .none: return .empty(vocabularySize: vocabulary)
        case .last: return EvaluatedLogits(rows: 1, vocabularySize: vocabulary, base: state.lastLogits.base)
        case .all: return EvaluatedLogits(rows: tokens.count, vocabularySize: vocabulary, base: all?.base)
        }
    }

    /// The forward pass of the `plan.count` (n ≤ batch) rows of `plan`, each at its sequence's
    /// position, its key and value stored in its cell. The logits of `plan.outputRows` go to rows
    /// `firstRow...` of `logits.matrix` (nil: no logits).
    func forward(_ plan: BatchPlan, logits: (matrix: StateMatrix, firstRow: Int)?) {
        let c = model.config
        let w = model.weights
        let s = state
        let n = plan.count
        let outputs = plan.outputRows

        // Rows of several sequences: each computed as a one-token product would, so a sequence
        // decodes the same beside others as alone (a single sequence's batch rounds as llama.cpp's).
        s.scratch.rowInvariant = plan.isRowInvariant
        plan.withTokens { embed($0, into: s.x) } // x: [n × dim]
        tap("inp_scaled", -1, s.x, row: n - 1)
        ropeAngles(plan) // cos, sin: [n × rope/2] per base

        for (l, layer) in w.layers.enumerated() {
            // Attention: normalize, project to Q, K, V, rotate, attend over the cache, project back.
            rmsNorm(s.x, layer.attentionNorm, into: s.normed, tokens: n) // [n × dim]
            tap("attn_norm", l, s.normed, row: n - 1)
            matmul(layer.queryKeyValue, s.normed, into: s.queryKeyValue, tokens: n) // q, k, v (below)
            // query: [n × heads·headDim]; key, value: [n × kvHeads·headDim]
            if let bias = layer.queryBias { addBias(bias, to: s.query, tokens: n) }
            if let bias = layer.keyBias { addBias(bias, to: s.key, tokens: n) }
            if let bias = layer.valueBias { addBias(bias, to: s.value, tokens: n) }
            if let norm = layer.queryNorm { headNorm(s.query, norm, tokens: n) } // per head or whole row
            if let norm = layer.keyNorm { headNorm(s.key, norm, tokens: n) }
            tap("Qcur_normed", l, s.query, row: n - 1)
            tap("Kcur_normed", l, s.key, row: n - 1)
            if let table = model.layerRopeTable[l] { // nil: a NoPE layer
                rope(s.query, heads: c.headCount, table: table, tokens: n)
                rope(s.key, heads: c.kvHeadCount, table: table, tokens: n)
            }
            tap("Qcur", l, s.query, row: n - 1)
            tap("Kcur", l, s.key, row: n - 1)
            tap("Vcur", l, s.value, row: n - 1)
            if let scale = queryScale {
                VectorMath.scale(s.query.base, by: scale, into: s.query.base, count: n * s.query.columns)
            }
            Attention.store(keys: s.key, values: s.value, plan: plan, layer: l, cache: cache) // row t → cell
            Attention.attend(
                queries: s.query, plan: plan, layer: l, heads: c.headCount, cache: cache,
                shape: attentionShapes[l], scores: s.scores, into: s.attention,
                pool: pool) // [n × heads·headDim]
            tap("kqv_out", l, s.attention, row: n - 1)
            matmul(layer.attentionOutput, s.attention, into: s.delta, tokens: n) // [n × dim]
            tap("attn_out", l, s.delta, row: n - 1)
            if let norm = layer.attentionPostNorm { rmsNorm(s.delta, norm, into: s.delta, tokens: n) }
            tap("attn_post_norm", l, s.delta, row: n - 1)
            add(s.delta, to: s.x, tokens: n) // residual
            tap("sa_out", l, s.x, row: n - 1)

            // Feed-forward: down(act(gate(x)) · up(x)), on rows `first..<first+m`. The last
            // layer's output only feeds the logits, so there only the rows from the first to the
            // last wanted one go on, as llama.cpp selects its output rows at this point.
            let rows =
                l == w.layers.count - 1 ? (outputs.first.map { $0..<(outputs[outputs.count - 1] + 1) } ?? n..<n) : 0..<n
            let first = rows.lowerBound
            let m = rows.count
            if m > 0 {
                rmsNorm(s.x, layer.ffnNorm, into: s.normed, fromRow: first, tokens: m) // [m × dim]
                tap("ffn_norm", l, s.normed, row: m - 1)
                matmul(layer.gateUp, s.normed, into: s.gateUp, tokens: m) // gate, up: [m × ffn]
                tap("ffn_gate", l, s.gate, row: m - 1)
                tap("ffn_up", l, s.up, row: m - 1)
                gatedActivation(s.gate, s.up, tokens: m) // gate = act(gate) · up
                tap("ffn_gate_par", l, s.gate, row: m - 1)
                matmul(layer.down, s.gate, into: s.delta, tokens: m) // [m × dim]
                tap("ffn_out", l, s.delta, row: m - 1)
                if let norm = layer.ffnPostNorm { rmsNorm(s.delta, norm, into: s.delta, tokens: m) }
                tap("ffn_post_norm", l, s.delta, row: m - 1)
                add(s.delta, to: s.x, fromRow: first, tokens: m) // residual
                tap("l_out", l, s.x, row: first + m - 1)
            }
        }

        // Classifier: final norm, then logits for the rows that were asked for.
        guard let logits, !outputs.isEmpty else { return }
        for (j, row) in outputs.enumerated() {
            rmsNorm(s.x, w.outputNorm, into: s.normed, fromRow: row, toRow: j, tokens: 1) // [k × dim]
        }
        tap("result_norm", -1, s.normed, row: outputs.count - 1)
        // [k × vocab]
        matmul(w.output, s.normed, into: logits.matrix, tokens: outputs.count, outputRow: logits.firstRow)
        finishLogits(logits.matrix, fromRow: logits.firstRow, rows: outputs.count) // multiplier, soft-cap
        tap("result_output", -1, logits.matrix, row: logits.firstRow + outputs.count - 1)
    }
}
