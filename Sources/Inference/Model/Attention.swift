/// Causal grouped-query attention of a batch of tokens over the KV cache.
///
/// Kept beside the model rather than in `Kernels/` because it is defined by the cache layout
/// (`KVCache`: head-major `[kvHeads × capacity × headDim]`) and the batch layout of `RunState`
/// (`[tokens × heads·headDim]`); the loops over cached rows are in `AttentionKernels`.
enum Attention {
    /// Copies the batch's keys and values (`[n × kvDim]` each) into the cache of `layer` at
    /// positions `start..<start+n`, converted to the cache's precision.
    static func store(keys: StateMatrix, values: StateMatrix, tokens n: Int, layer: Int, start: Int,
                      cache: KVCache) {
        switch cache.precision {
        case .f16: store(KVHalf.self, keys: keys, values: values, tokens: n, layer: layer, start: start, cache: cache)
        case .f32: store(Float.self, keys: keys, values: values, tokens: n, layer: layer, start: start, cache: cache)
        }
    }

    /// From this many tokens in a batch llama.cpp's CPU flash attention switches from its
    /// one-row kernel (F16 query and accumulator, emulated exactly by `HalfAttentionKernels`) to
    /// a tiled one that keeps both in F32; the exact F32 kernels (`AttentionKernels`) stand in
    /// for it there. Prompts shorter than this match llama.cpp bit for bit; longer prompts round
    /// like its tiled kernel to within float noise and are evaluated several times faster.
    static let tiledMinimumTokens = 64

    /// Decoding one token, llama.cpp keeps the one-row kernel while the cache it attends over,
    /// padded to 256 cells, is under 512 (up to 256 positions); past that it splits the cache
    /// across its threads and reduces partial results, whose rounding depends on the thread
    /// count. There the exact F32 kernels stand in too: 1.5× faster at 2,000 positions.
    static let oneRowDecodeLimit = 256

    /// Attention output `[n × heads·headDim]` of the batch's queries over cache positions
    /// `0...start+t` for token `t` (see `attend(_:...)`).
    static func attend(queries: StateMatrix, tokens n: Int, layer: Int, start: Int, heads: Int,
                       cache: KVCache, scores: StateMatrix, into out: StateMatrix, pool: WorkerPool) {
        switch cache.precision {
        case .f16 where n >= tiledMinimumTokens || (n == 1 && start + 1 > oneRowDecodeLimit):
            attend(KVHalf.self, queries: queries, tokens: n, layer: layer, start: start, heads: heads,
                   cache: cache, scores: scores, into: out, pool: pool)
        case .f16:
            attendHalf(queries: queries, tokens: n, layer: layer, start: start, heads: heads, cache: cache,
                       into: out, pool: pool)
        case .f32:
            attend(Float.self, queries: queries, tokens: n, layer: layer, start: start, heads: heads,
                   cache: cache, scores: scores, into: out, pool: pool)
        }
    }

    /// The F16 cache's attention, rounded as llama.cpp rounds it (`HalfAttentionKernels`); the
    /// (token, head) items are spread over the pool like `attend(_:...)`'s.
    private static func attendHalf(queries: StateMatrix, tokens n: Int, layer: Int, start: Int, heads: Int,
                                   cache: KVCache, into out: StateMatrix, pool: WorkerPool) {
        let headDim = cache.headDimension
        let group = heads / cache.kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        pool.parallelFor(count: n * heads) { item, _ in
            let t = item / heads, h = item % heads
            withUnsafeTemporaryAllocation(of: KVHalf.self, capacity: 2 * headDim) { half in
                guard let scratch = half.baseAddress else { return }
                HalfAttentionKernels.attend(queries.pointer(t) + h * headDim,
                                            keys: cache.keys(layer: layer, head: h / group, as: KVHalf.self),
                                            values: cache.values(layer: layer, head: h / group, as: KVHalf.self),
                                            rows: start + t + 1, count: headDim, scale: scale, half: scratch,
                                            into: out.pointer(t) + h * headDim)
            }
        }
    }

    private static func store<T: KVStorageElement>(_: T.Type, keys: StateMatrix, values: StateMatrix, tokens n: Int,
                                                   layer: Int, start: Int, cache: KVCache) {
        let headDim = cache.headDimension
        for t in 0..<n {
            let k = keys.pointer(t), v = values.pointer(t)
            let offset = (start + t) * headDim
            for head in 0..<cache.kvHeads {
                T.store(k + head * headDim, into: cache.keys(layer: layer, head: head, as: T.self) + offset,
                        count: headDim)
                T.store(v + head * headDim, into: cache.values(layer: layer, head: head, as: T.self) + offset,
                        count: headDim)
            }
        }
    }

    /// For each token `t` of the batch (position `start + t`) and each query head `h`:
    /// `out[t, h] = Σ_{j ≤ start+t} softmax_j(q[t, h] · K[j] / √headDim) · V[j]`, with `K`, `V`
    /// the cache of `h`'s key/value head. The cache must already hold positions up to
    /// `start + n - 1`. The (token, head) items are taken dynamically by the pool's threads,
    /// which balances the causal triangle; `scores` holds one row of scratch per thread.
    /// Each item's arithmetic is independent of the batch split, so batched and incremental
    /// evaluation give identical results from identical inputs.
    private static func attend<T: KVStorageElement>(
        _: T.Type, queries: StateMatrix, tokens n: Int, layer: Int, start: Int, heads: Int,
        cache: KVCache, scores: StateMatrix, into out: StateMatrix, pool: WorkerPool
    ) {
        let headDim = cache.headDimension
        let group = heads / cache.kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        pool.parallelFor(count: n * heads) { item, thread in
            let t = item / heads, h = item % heads
            let s = scores.pointer(thread)
            let o = out.pointer(t) + h * headDim
            let length = start + t + 1
            // softmax(q·Kᵀ/√d) · V, normalized once at the end rather than per weight.
            let maxScore = AttentionKernels.scores(queries.pointer(t) + h * headDim,
                                                   cache.keys(layer: layer, head: h / group, as: T.self),
                                                   rows: length, count: headDim, scale: scale, into: s)
            let total = AttentionKernels.exponentiate(s, count: length, subtracting: maxScore)
            AttentionKernels.weightedSum(s, cache.values(layer: layer, head: h / group, as: T.self),
                                         rows: length, count: headDim, into: o)
            VectorMath.scale(o, by: 1 / total, into: o, count: headDim)
        }
    }
}
