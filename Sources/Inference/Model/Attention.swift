#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One layer's attention choices: how far back a query sees, how scores are scaled and capped.
struct AttentionShape: Sendable {
    /// Positions visible to a query, itself included; nil: all earlier positions.
    var window: Int?
    /// Factor on q·k (1/√headDim unless the model says otherwise).
    var scale: Float
    /// Gemma 2's score soft-cap `c·tanh(s/c)`, or nil.
    var softcap: Float?
}

/// Causal grouped-query attention of a batch of tokens over the KV cache.
///
/// Kept beside the model rather than in `Kernels/` because it is defined by the cache layout
/// (`KVCache`: head-major `[kvHeads × capacity × headDim]`) and the batch layout of `RunState`
/// (`[tokens × heads·headDim]`); the loops over cached rows are in `AttentionKernels`.
enum Attention {
    /// Copies the batch's keys and values (`[n × kvDim]` each) into the cache of `layer`, row
    /// `t` into its cell of the layer's pool, converted to the cache's precision.
    static func store(keys: StateMatrix, values: StateMatrix, plan: BatchPlan, layer: Int, cache: KVCache) {
        switch cache.precision {
        case .f16: store(KVHalf.self, keys: keys, values: values, plan: plan, layer: layer, cache: cache)
        case .f32: store(Float.self, keys: keys, values: values, plan: plan, layer: layer, cache: cache)
        case .q8_0: storeQ8_0(keys: keys, values: values, plan: plan, layer: layer, cache: cache)
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

    /// Whether a row takes the exact F32 kernels: always with an F32 cache (never with Q8_0,
    /// which has one kernel for every batch, as llama.cpp); with the F16 cache
    /// where llama.cpp leaves its one-row kernel, decided per sequence as if the sequence were
    /// evaluated alone (its rows in this batch, its position), so batching several sequences
    /// together never changes a row's attention arithmetic.
    static func usesExactKernel(precision: KVCachePrecision, sequenceRows: Int, position: Int) -> Bool {
        precision == .f32 || sequenceRows >= tiledMinimumTokens
            || (sequenceRows == 1 && position + 1 > oneRowDecodeLimit)
    }

    /// Attention output `[n × heads·headDim]` of the batch's queries: row `t` over its
    /// sequence's positions up to its own in the layer's pool, or only the last `shape.window`
    /// of them on a sliding-window layer (see `attend(_:...)`).
    static func attend(
        queries: StateMatrix, plan: BatchPlan, layer: Int, heads: Int, cache: KVCache,
        shape: AttentionShape, scores: StateMatrix, into out: StateMatrix, pool: WorkerPool
    ) {
        let headDim = cache.headDimension
        let group = heads / cache.kvHeads
        let scale = shape.scale
        let cells = cache.pool(ofLayer: layer)
        plan.spans[cells].withUnsafeBufferPointer { allSpans in
            pool.parallelFor(count: plan.count * heads) { item, thread in
                let t = item / heads
                let h = item % heads
                let q = queries.pointer(t) + h * headDim
                let o = out.pointer(t) + h * headDim
                let (skip, rows) = plan.visibleCells(ofRow: t, pool: cells, window: shape.window)
                let sequenceSpans = plan.spans(ofRow: t, pool: cells, in: allSpans)
                withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: sequenceSpans.count) { trimmed in
                    let spans = skip == 0 ? sequenceSpans : dropping(skip, from: sequenceSpans, into: trimmed)
                    switch cache.precision {
                    case .f16 where plan.exact[t] || shape.softcap != nil:
                        attend(
                            q, keys: cache.keys(layer: layer, head: h / group, as: KVHalf.self),
                            values: cache.values(layer: layer, head: h / group, as: KVHalf.self), spans: spans,
                            rows: rows, headDim: headDim, scale: scale, softcap: shape.softcap,
                            alignedTail: shape.window != nil,
                            scores: scores.pointer(thread), into: o)
                    case .f16:
                        withUnsafeTemporaryAllocation(of: KVHalf.self, capacity: 2 * headDim) { half in
                            guard let scratch = half.baseAddress else { return }
                            HalfAttentionKernels.attend(
                                q, keys: cache.keys(layer: layer, head: h / group, as: KVHalf.self),
                                values: cache.values(layer: layer, head: h / group, as: KVHalf.self),
                                spans: spans, rows: rows, count: headDim, scale: scale,
                                half: scratch, into: o)
                        }
                    case .f32:
                        attend(
                            q, keys: cache.keys(layer: layer, head: h / group, as: Float.self),
                            values: cache.values(layer: layer, head: h / group, as: Float.self), spans: spans,
                            rows: rows, headDim: headDim, scale: scale, softcap: shape.softcap,
                            alignedTail: shape.window != nil,
                            scores: scores.pointer(thread), into: o)
                    case .q8_0:
                        let bytes = Q8AttentionKernels.scratchBytes(count: headDim)
                        withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 64) { scratch in
                            guard let base = scratch.baseAddress else { return }
                            Q8AttentionKernels.attend(
                                q, keys: cache.keyRows(layer: layer, head: h / group),
                                values: cache.valueRows(layer: layer, head: h / group), spans: spans, rows: rows,
                                count: headDim, scale: scale, softcap: shape.softcap, path: .active,
                                scores: scores.pointer(thread), scratch: base, into: o)
                        }
                    }
                }
            }
        }
    }

    /// `spans` without their first `skip` cells (the positions a sliding window no longer sees),
    /// written into `buffer` (at least `spans.count` long).
    static func dropping(
        _ skip: Int, from spans: UnsafeBufferPointer<Range<Int>>,
        into buffer: UnsafeMutableBufferPointer<Range<Int>>
    ) -> UnsafeBufferPointer<Range<Int>> {
        var remaining = skip
        var count = 0
        for span in spans {
            if remaining >= span.count {
                remaining -= span.count
                continue
            }
            buffer[count] = (span.lowerBound + remaining)..<span.upperBound
            remaining = 0
            count += 1
        }
        return UnsafeBufferPointer(rebasing: buffer[0..<count])
    }

    private static func storeQ8_0(keys: StateMatrix, values: StateMatrix, plan: BatchPlan, layer: Int, cache: KVCache) {
        let headDim = cache.headDimension
        let cells = plan.cells[cache.pool(ofLayer: layer)]
        for t in 0..<plan.count {
            let offset = cells[t] * cache.rowBytes
            for head in 0..<cache.kvHeads {
                Q8AttentionKernels.store(
                    keys.pointer(t) + head * headDim, into: cache.keyRows(layer: layer, head: head) + offset,
                    count: headDim)
                Q8AttentionKernels.store(
                    values.pointer(t) + head * headDim, into: cache.valueRows(layer: layer, head: head) + offset,
                    count: headDim)
            }
        }
    }

    private static func store<T: KVStorageElement>(
        _: T.Type, keys: StateMatrix, values: StateMatrix, plan: BatchPlan,
        layer: Int, cache: KVCache
    ) {
        let headDim = cache.headDimension
        let cells = plan.cells[cache.pool(ofLayer: layer)]
        for t in 0..<plan.count {
            let k = keys.pointer(t)
            let v = values.pointer(t)
            let offset = cells[t] * headDim
            for head in 0..<cache.kvHeads {
                T.store(
                    k + head * headDim, into: cache.keys(layer: layer, head: head, as: T.self) + offset,
                    count: headDim)
                T.store(
                    v + head * headDim, into: cache.values(layer: layer, head: head, as: T.self) + offset,
                    count: headDim)
            }
        }
    }

    /// One query head over the first `rows` cells of `spans` (cell ranges in position order):
    /// `out = Σ_j softmax_j(q · K[j] / √headDim) · V[j]`, with `K`, `V` the cache of the head's
    /// key/value head. Scores of all spans go side by side into `s` (one row of scratch per
    /// thread), one maximum and one denominator over them, then the weighted sum continues from
    /// span to span; with one span this is the contiguous computation unchanged. `softcap`
    /// squashes each score to `c·tanh(s/c)` first (Gemma 2). Each row's
    /// arithmetic is independent of the batch split, so batched and incremental evaluation give
    /// identical results from identical inputs; `alignedTail` (sliding-window layers) makes it
    /// independent of where the spans split too (`AttentionKernels.scores`).
    @inline(__always)
    private static func attend<T: KVStorageElement>(
        _ q: UnsafePointer<Float>, keys: UnsafePointer<T>, values: UnsafePointer<T>,
        spans: UnsafeBufferPointer<Range<Int>>, rows: Int, headDim: Int, scale: Float,
        softcap: Float?, alignedTail: Bool, scores s: UnsafeMutablePointer<Float>,
        into o: UnsafeMutablePointer<Float>
    ) {
        // softmax(q·Kᵀ/√d) · V, normalized once at the end rather than per weight.
        var maxScore = -Float.infinity
        var offset = 0
        for span in spans where offset < rows {
            let take = min(span.count, rows - offset)
            let spanMax = AttentionKernels.scores(
                q, keys + span.lowerBound * headDim, rows: take, count: headDim,
                scale: scale, alignedTail: alignedTail, into: s + offset)
            maxScore = offset == 0 ? spanMax : max(maxScore, spanMax)
            offset += take
        }
        if let cap = softcap { maxScore = AttentionKernels.softcap(s, count: rows, cap: cap) }
        let total = AttentionKernels.exponentiate(s, count: rows, subtracting: maxScore)
        offset = 0
        for span in spans where offset < rows {
            let take = min(span.count, rows - offset)
            AttentionKernels.weightedSum(
                s + offset, values + span.lowerBound * headDim, rows: take, count: headDim,
                into: o, accumulate: offset > 0)
            offset += take
        }
        VectorMath.scale(o, by: 1 / total, into: o, count: headDim)
    }
}
