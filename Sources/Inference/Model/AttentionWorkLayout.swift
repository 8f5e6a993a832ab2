/// How `Attention.attend` splits a batch's attention into work items for the pool.
///
/// Rows on the F16 one-row kernel take one item per query head. Grouped rows
/// (`GroupedAttention`) take one item per KV head, all chunks in order on one thread — or, when
/// few rows are evaluated deep in the cache, one item per (KV head, chunk) that computes that
/// chunk's partials for every grouped row in turn, each into its place in the scratch after the
/// workers' rows, merged in chunk order by the calling thread afterwards. Both round the same,
/// so the choice depends on nothing but speed. Chunk items serve two cases: decoding one row
/// (1 row and 3 KV heads would leave one of two threads idle a third of the time), and a
/// speculative verification pass, whose rows attend over the same cells: one item reads a
/// chunk's keys and values from memory once for all of them instead of once per row.
struct AttentionWorkLayout {
    /// At most this many rows are split into chunk items (the table lives on the stack).
    static let maximumChunkedRows = 8
    /// Ints of the table `fill` writes: each row's first partial float, then the one-row rows.
    static let tableCount = 2 * maximumChunkedRows

    /// What one work item computes.
    enum Item {
        /// Chunk `chunk` of KV head `kvHead`, for every grouped row that has it.
        case chunk(kvHead: Int, chunk: Int)
        /// Row `row`'s item `local`: its query head on the one-row kernel, or its KV head's slot.
        case row(Int, local: Int)
    }

    let plan: BatchPlan
    let shape: AttentionShape
    let precision: KVCachePrecision
    let heads: Int
    let kvHeads: Int
    let group: Int
    let headDim: Int
    /// Whether grouped rows are split into (KV head, chunk) items.
    let parallel: Bool
    /// The most chunks of a grouped row (when `parallel`).
    let maximumChunks: Int
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
        kvHeads = cache.kvHeads
        group = heads / cache.kvHeads
        headDim = cache.headDimension
        partials = scores.pointer(min(workers, scores.rows - 1))
        var anyOneRow = false
        var partialFloats = 0
        var mostChunks = 0
        var groupedRows = 0
        for t in 0..<plan.count {
            guard Self.isGrouped(t, plan: plan, precision: cache.precision, shape: shape) else {
                anyOneRow = true
                continue
            }
            let chunks = Self.chunks(t, plan: plan, shape: shape)
            mostChunks = max(mostChunks, chunks)
            groupedRows += 1
            partialFloats += heads * chunks * (headDim + 2)
        }
        parallel =
            (workers > 1 || groupedRows > 1) && mostChunks > 1 && plan.count <= Self.maximumChunkedRows
            && partialFloats <= (scores.rows - workers) * scores.columns
        maximumChunks = mostChunks
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

    /// How many rows from `t` on take chunk `c` together (`GroupedAttention.partial(rows:)`):
    /// consecutive grouped rows of `t`'s sequence that have the chunk, at most
    /// `Attention.speculativeRows`; 0 when row `t` itself does not take it.
    func rowsSharing(chunk c: Int, from t: Int, pool: Int) -> Int {
        guard isGrouped(t) && c < chunks(t) else { return 0 }
        var run = 1
        while run < Attention.speculativeRows && t + run < plan.count {
            let u = t + run
            guard
                isGrouped(u) && c < chunks(u) && plan.spanStart[pool][u] == plan.spanStart[pool][t]
                    && plan.positions[u] > plan.positions[u - 1]
            else { break }
            run += 1
        }
        return run
    }

    /// Chunks of row `t`'s visible cells.
    func chunks(_ t: Int) -> Int { Self.chunks(t, plan: plan, shape: shape) }

    private static func chunks(_ t: Int, plan: BatchPlan, shape: AttentionShape) -> Int {
        let visible = plan.positions[t] + 1
        let rows = shape.window.map { min($0, visible) } ?? visible
        return (rows + GroupedAttention.chunk - 1) / GroupedAttention.chunk
    }

    /// The number of items; when `parallel`, `table` (`tableCount` Ints) gets each grouped
    /// row's first partial float at its row index and, from `maximumChunkedRows`, the rows on
    /// the one-row kernel.
    func fill(_ table: UnsafeMutableBufferPointer<Int>) -> Int {
        guard parallel else { return plan.count * slotsPerRow }
        var floats = 0
        var oneRowRows = 0
        for t in 0..<plan.count {
            if isGrouped(t) {
                table[t] = floats
                floats += heads * chunks(t) * (headDim + 2)
            } else {
                table[Self.maximumChunkedRows + oneRowRows] = t
                oneRowRows += 1
            }
        }
        return kvHeads * maximumChunks + oneRowRows * heads
    }

    /// What `item` computes: chunk items come first, KV head by KV head, then a query head's
    /// item per one-row row.
    @inline(__always)
    func locate(_ item: Int, _ table: UnsafeMutableBufferPointer<Int>) -> Item {
        guard parallel else { return .row(item / slotsPerRow, local: item % slotsPerRow) }
        let chunkItems = kvHeads * maximumChunks
        guard item >= chunkItems else { return .chunk(kvHead: item / maximumChunks, chunk: item % maximumChunks) }
        let k = item - chunkItems
        return .row(table[Self.maximumChunkedRows + k / heads], local: k % heads)
    }

    /// Where chunk `c` of KV head `kvHead` of grouped row `t` puts its partials (`group` heads).
    @inline(__always)
    func partial(row t: Int, kvHead: Int, chunk c: Int, _ table: UnsafeMutableBufferPointer<Int>)
        -> UnsafeMutablePointer<Float>
    {
        partials + table[t] + (kvHead * chunks(t) + c) * group * (headDim + 2)
    }

    /// Merges the chunk partials of every grouped row into `out`, head by head in chunk order;
    /// `state` holds `headDim + 2` floats.
    func merge(
        _ table: UnsafeMutableBufferPointer<Int>, plan: BatchPlan, out: StateMatrix, state: UnsafeMutablePointer<Float>
    ) {
        let stride = headDim + 2
        for t in 0..<plan.count where isGrouped(t) {
            let chunks = chunks(t)
            let base = partials + table[t]
            for h in 0..<heads {
                let kvHead = h / group
                GroupedAttention.merge(
                    base + kvHead * chunks * group * stride + (h % group) * stride, chunks: chunks,
                    chunkStride: group * stride, headDim: headDim, state: state, into: out.pointer(t) + h * headDim)
            }
        }
    }
}
