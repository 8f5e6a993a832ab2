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
    /// of them on a sliding-window layer. Rows on the F16 one-row kernel (`HalfAttentionKernels`) are one
    /// work item per query head; the others (`GroupedAttention`) one per KV head, or, for a few
    /// rows deep in the cache, one per (KV head, chunk) with the partials merged afterwards in
    /// chunk order, which rounds exactly as the per-KV-head items do. `scores` is the scratch
    /// `scratchShape` sizes: one row per worker, then room for chunk partials.
    static func attend(
        queries: StateMatrix, plan: BatchPlan, layer: Int, heads: Int, cache: KVCache,
        shape: AttentionShape, scores: StateMatrix, into out: StateMatrix, pool: WorkerPool
    ) {
        let headDim = cache.headDimension
        let group = heads / cache.kvHeads
        let workers = pool.threadCount
        precondition(
            scores.rows >= workers && scores.columns >= GroupedAttention.scratchFloats(group: group, headDim: headDim),
            "attention scratch too small")
        let layout = AttentionWorkLayout(
            plan: plan, shape: shape, cache: cache, heads: heads, workers: workers, scores: scores)
        let cells = cache.pool(ofLayer: layer)
        plan.spans[cells].withUnsafeBufferPointer { allSpans in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: AttentionWorkLayout.tableCount) { table in
                /// Row `t`'s query and output, and its visible cells (trimmed by the window).
                func withRow(_ t: Int, _ body: (GroupedAttention.Query, UnsafeMutablePointer<Float>) -> Void) {
                    let (skip, rows) = plan.visibleCells(ofRow: t, pool: cells, window: shape.window)
                    let sequenceSpans = plan.spans(ofRow: t, pool: cells, in: allSpans)
                    withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: sequenceSpans.count) { trimmed in
                        let spans = skip == 0 ? sequenceSpans : dropping(skip, from: sequenceSpans, into: trimmed)
                        let x = GroupedAttention.Query(
                            queries: queries.pointer(t), group: group, headDim: headDim, spans: spans, rows: rows,
                            scale: shape.scale, softcap: shape.softcap, alignedTail: shape.window != nil)
                        body(x, out.pointer(t))
                    }
                }
                let items = layout.fill(table)
                pool.parallelFor(count: items) { item, thread in
                    switch layout.locate(item, table) {
                    case .chunk(let kvHead, let c):
                        let rowsOfHead = cacheRows(cache, layer: layer, kvHead: kvHead)
                        let shares = shape.window == nil && GroupedAttention.sharesChunks(rowsOfHead, headDim: headDim)
                        var t = 0
                        while t < plan.count {
                            let run = layout.rowsSharing(chunk: c, from: t, pool: cells)
                            if shares && run > 1 {
                                sharedChunk(
                                    t..<(t + run), kvHead: kvHead, chunk: c, cache: rowsOfHead,
                                    scratch: scores.pointer(thread), table: table, layout: layout, spans: allSpans,
                                    queries: queries, pool: cells)
                            } else if run > 0 {
                                withRow(t) { whole, _ in
                                    var x = whole
                                    x.queries += kvHead * group * headDim
                                    GroupedAttention.partial(
                                        x, rowsOfHead, chunk: c, scratch: scores.pointer(thread),
                                        into: layout.partial(row: t, kvHead: kvHead, chunk: c, table))
                                }
                            }
                            t += shares && run > 1 ? run : 1
                        }
                    case .row(let t, let local):
                        withRow(t) { whole, o in
                            guard layout.isGrouped(t) else {
                                let h = local
                                attendOneRow(
                                    whole.queries + h * headDim, cache: cache, layer: layer, head: h / group,
                                    spans: whole.spans, rows: whole.rows, scale: shape.scale, into: o + h * headDim)
                                return
                            }
                            guard local % layout.slotsPerKVHead == 0 else { return }
                            let kvHead = local / layout.slotsPerKVHead
                            var x = whole
                            x.queries += kvHead * group * headDim
                            GroupedAttention.attend(
                                x, cacheRows(cache, layer: layer, kvHead: kvHead), scratch: scores.pointer(thread),
                                into: o + kvHead * group * headDim)
                        }
                    }
                }
                if layout.parallel { layout.merge(table, plan: plan, out: out, state: scores.pointer(0)) }
            }
        }
    }

    /// Chunk `c` of KV head `kvHead` for `rows` (one sequence's, `layout.rowsSharing`) at once:
    /// `GroupedAttention.partial(rows:)`, each row's partials into its place in the table.
    private static func sharedChunk(
        _ rows: Range<Int>, kvHead: Int, chunk c: Int, cache: GroupedAttention.Rows,
        scratch: UnsafeMutablePointer<Float>, table: UnsafeMutableBufferPointer<Int>, layout: AttentionWorkLayout,
        spans: UnsafeBufferPointer<Range<Int>>,
        queries: StateMatrix, pool: Int
    ) {
        let plan = layout.plan
        let offset = kvHead * layout.group * layout.headDim
        withUnsafeTemporaryAllocation(of: GroupedAttention.Query.self, capacity: rows.count) { xs in
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Float>.self, capacity: rows.count) { partials in
                for (r, t) in rows.enumerated() {
                    let (_, visible) = plan.visibleCells(ofRow: t, pool: pool, window: nil)
                    xs.initializeElement(
                        at: r,
                        to: GroupedAttention.Query(
                            queries: queries.pointer(t) + offset, group: layout.group, headDim: layout.headDim,
                            spans: plan.spans(ofRow: t, pool: pool, in: spans), rows: visible,
                            scale: layout.shape.scale, softcap: layout.shape.softcap))
                    partials.initializeElement(at: r, to: layout.partial(row: t, kvHead: kvHead, chunk: c, table))
                }
                GroupedAttention.partial(
                    rows: UnsafeBufferPointer(xs), cache, chunk: c, scratch: scratch,
                    into: UnsafeBufferPointer(partials))
            }
        }
    }

    /// Rows whose chunk partials the scratch has room for at any thread count: a speculative
    /// verification pass (`SpeculationSettings.maximumDraft` drafts and the token before them),
    /// which then reads each chunk of the cache once for all its rows (`AttentionWorkLayout`).
    static let speculativeRows = 4

    /// The shape of the attention scratch (`RunState.scores`) for a model attending over up to
    /// `contextLength` positions with `workers` threads: a row per worker for `GroupedAttention`'s
    /// scratch, then rows for the chunk partials of `workers` rows (or `speculativeRows`, if
    /// more) at full depth.
    static func scratchShape(config c: ModelConfig, contextLength: Int, workers: Int) -> (rows: Int, columns: Int) {
        let columns = (GroupedAttention.scratchFloats(group: c.groupSize, headDim: c.headDimension) + 15) & ~15
        let workers = max(1, workers)
        let chunks = (contextLength + GroupedAttention.chunk - 1) / GroupedAttention.chunk
        guard chunks > 1 else { return (workers, columns) }
        let rows = max(workers, speculativeRows)
        let partials = rows * c.headCount * chunks * (c.headDimension + 2)
        return (workers + (partials + columns - 1) / columns, columns)
    }

    /// One query head on the F16 one-row kernel (llama.cpp's, bit for bit).
    @inline(__always)
    private static func attendOneRow(
        _ q: UnsafePointer<Float>, cache: KVCache, layer: Int, head: Int, spans: UnsafeBufferPointer<Range<Int>>,
        rows: Int, scale: Float, into o: UnsafeMutablePointer<Float>
    ) {
        let headDim = cache.headDimension
        withUnsafeTemporaryAllocation(of: KVHalf.self, capacity: 2 * headDim) { half in
            guard let scratch = half.baseAddress else { return }
            HalfAttentionKernels.attend(
                q, keys: cache.keys(layer: layer, head: head, as: KVHalf.self),
                values: cache.values(layer: layer, head: head, as: KVHalf.self), spans: spans, rows: rows,
                count: headDim, scale: scale, half: scratch, into: o)
        }
    }

    /// The cache rows of `kvHead` in `layer`, by precision.
    @inline(__always)
    private static func cacheRows(_ cache: KVCache, layer: Int, kvHead: Int) -> GroupedAttention.Rows {
        switch cache.precision {
        case .f32:
            .f32(
                keys: cache.keys(layer: layer, head: kvHead, as: Float.self),
                values: cache.values(layer: layer, head: kvHead, as: Float.self))
        case .f16:
            .f16(
                keys: cache.keys(layer: layer, head: kvHead, as: KVHalf.self),
                values: cache.values(layer: layer, head: kvHead, as: KVHalf.self), path: .active)
        case .q8_0:
            .q8_0(
                keys: cache.keyRows(layer: layer, head: kvHead), values: cache.valueRows(layer: layer, head: kvHead),
                path: .active)
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
}
