/// How `Attention.attend` splits a batch's attention into work items for the pool.
///
/// Rows on the F16 one-row kernel take one item per query head. Grouped rows
/// (`GroupedAttention`) take one per KV head, all chunks in order on one thread — or, when few
/// rows are evaluated (decoding: 1 row and 3 KV heads would leave a thread of two idle a third
/// of the time), one per (KV head, chunk), each writing its partials to the scratch after the
/// workers' rows, merged in chunk order by the calling thread afterwards. Both round the same,
/// so the choice depends on nothing but speed.
struct AttentionWorkLayout {
    /// At most this many rows are split into chunk items (the table lives on the stack).
    static let maximumChunkedRows = 8

    let plan: BatchPlan
    let shape: AttentionShape
    let precision: KVCachePrecision
    let heads: Int
    let group: Int
    let headDim: Int
    /// Whether grouped rows are split into (KV head, chunk) items.
    let parallel: Bool
    /// Items per row when not `parallel`.
    let slotsPerRow: Int
    /// Items per KV head of a grouped row when not `parallel` (the first does the work; more
    /// than 1 only beside one-row F16 rows, which need one item per query head).
    let slotsPerKVHead: Int
    /// Where the chunk partials go: the scratch after the workers' rows.
    let partials: UnsafeMutablePointer<Float>

    init(plan: BatchPlan, shape: AttentionShape, cache: KVCache, heads: Int, workers: Int, scores: StateMatrix) {
        self.plan = plan
        self.shape = shape
        precision = cache.precision
        self.heads = heads
        group = heads / cache.kvHeads
        headDim = cache.headDimension
        partials = scores.pointer(min(workers, scores.rows - 1))
        var anyOneRow = false
        var partialFloats = 0
        var deep = false
        for t in 0..<plan.count {
            guard Self.isGrouped(t, plan: plan, precision: cache.precision, shape: shape) else {
                anyOneRow = true
                continue
            }
            let chunks = Self.chunks(t, plan: plan, shape: shape)
            deep = deep || chunks > 1
            partialFloats += heads * chunks * (headDim + 2)
        }
        parallel =
            workers > 1 && deep && plan.count <= Self.maximumChunkedRows
            && partialFloats <= (scores.rows - workers) * scores.columns
        slotsPerRow = anyOneRow ? heads : cache.kvHeads
        slotsPerKVHead = anyOneRow ? group : 1
    }

    /// Whether row `t` takes `GroupedAttention` (the Q8_0 and F32 caches always; the F16 cache
    /// where the row takes the exact kernels, or with soft-capping, which the one-row kernel lacks).
    func isGrouped(_ t: Int) -> Bool { Self.isGrouped(t, plan: plan, precision: precision, shape: shape) }

    private static func isGrouped(_ t: Int, plan: BatchPlan, precision: KVCachePrecision, shape: AttentionShape)
        -> Bool
    {
        precision != .f16 || plan.exact[t] || shape.softcap != nil
    }

    /// Chunks of row `t`'s visible cells.
    private static func chunks(_ t: Int, plan: BatchPlan, shape: AttentionShape) -> Int {
        let visible = plan.positions[t] + 1
        let rows = shape.window.map { min($0, visible) } ?? visible
        return (rows + GroupedAttention.chunk - 1) / GroupedAttention.chunk
    }

    /// The number of items; when `parallel`, `table` gets each row's first item (then the
    /// total) and, from `maximumChunkedRows + 1`, each row's first partial float.
    func fill(_ table: UnsafeMutableBufferPointer<Int>) -> Int {
        guard parallel else { return plan.count * slotsPerRow }
        var items = 0
        var floats = 0
        for t in 0..<plan.count {
            table[t] = items
            table[Self.maximumChunkedRows + 1 + t] = floats
            if isGrouped(t) {
                let chunks = Self.chunks(t, plan: plan, shape: shape)
                items += (heads / group) * chunks
                floats += heads * chunks * (headDim + 2)
            } else {
                items += heads
            }
        }
        table[plan.count] = items
        return items
    }

    /// The row of `item` and the item's index among that row's.
    @inline(__always)
    func locate(_ item: Int, _ table: UnsafeMutableBufferPointer<Int>) -> (row: Int, local: Int) {
        guard parallel else { return (item / slotsPerRow, item % slotsPerRow) }
        var t = 0
        while table[t + 1] <= item { t += 1 }
        return (t, item - table[t])
    }

    /// Merges the chunk partials of every grouped row into `out`, head by head in chunk order;
    /// `state` holds `headDim + 2` floats.
    func merge(
        _ table: UnsafeMutableBufferPointer<Int>, plan: BatchPlan, out: StateMatrix, state: UnsafeMutablePointer<Float>
    ) {
        let stride = headDim + 2
        for t in 0..<plan.count where isGrouped(t) {
            let chunks = Self.chunks(t, plan: plan, shape: shape)
            let base = partials + table[Self.maximumChunkedRows + 1 + t]
            for h in 0..<heads {
                let kvHead = h / group
                GroupedAttention.merge(
                    base + kvHead * chunks * group * stride + (h % group) * stride, chunks: chunks,
                    chunkStride: group * stride, headDim: headDim, state: state, into: out.pointer(t) + h * headDim)
            }
        }
    }
}
