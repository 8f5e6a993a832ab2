import CPrefetch

/// Exact (F32 arithmetic) attention of one row's GQA group over fixed chunks of its cached
/// positions, for the F32 cache, the F16 cache where llama.cpp leaves its one-row kernel, and
/// the Q8_0 cache.
///
/// A row's visible cells (its spans, already trimmed by a sliding window) are cut into chunks of
/// `chunk` positions. A chunk gives, per query head, a partial `(m, l, o)`: its largest score,
/// `Σ exp(s − m)` and the unnormalized `Σ exp(s − m)·V`, all heads of the group from one pass
/// over the chunk's key and value rows. Partials are folded in chunk order
/// (`fold`), then normalized. The chunk size is a constant, not the thread count, so a row's
/// arithmetic is the same alone, in a batch, or in a speculative verification step, whether its
/// chunks ran on one thread in order (`attend`) or on several at once (`partial`, then `merge`).
/// With one chunk (up to 256 positions) it is the two-pass softmax of `Attention`'s F32 path.
enum GroupedAttention {
    /// Positions per chunk.
    static let chunk = 256

    /// The cache rows one KV head of a layer attends over, by precision.
    enum Rows {
        case f32(keys: UnsafePointer<Float>, values: UnsafePointer<Float>)
        case f16(keys: UnsafePointer<KVHalf>, values: UnsafePointer<KVHalf>, path: KernelPath)
        case q8_0(keys: UnsafeRawPointer, values: UnsafeRawPointer, path: KernelPath)

        /// The kernel path of the rows' kernels (the F32 cache's: the one in use).
        var path: KernelPath {
            switch self {
            case .f32: .active
            case .f16(_, _, let path), .q8_0(_, _, let path): path
            }
        }
    }

    /// What a row's group computes: `group` query heads of `headDim` floats at `queries`,
    /// `rows` visible cells of `spans`, the score scale and an optional soft-cap.
    struct Query {
        var queries: UnsafePointer<Float>
        var group: Int
        var headDim: Int
        var spans: UnsafeBufferPointer<Range<Int>>
        var rows: Int
        var scale: Float
        var softcap: Float?
        /// Sliding-window layers: rows left over after the groups of four in a cell run are
        /// reduced as a group's are, so a score does not depend on where a ring splits the row's
        /// cells.
        var alignedTail = false

        /// Chunks of the row's visible cells.
        var chunks: Int { (rows + GroupedAttention.chunk - 1) / GroupedAttention.chunk }
        /// Floats of one head's partial: `m`, `l`, then `headDim` outputs.
        var partialStride: Int { headDim + 2 }
    }

    /// Floats of scratch one thread needs for a group of `group` heads of `headDim` (scores of
    /// a chunk, two partials, the quantized queries and a Q8_0 chunk's scaled weights).
    static func scratchFloats(group: Int, headDim: Int) -> Int {
        max(
            workFloats(group: group, headDim: headDim) + 2 * group * (headDim + 2),
            sharedChunkFloats(rows: Attention.speculativeRows, group: group, headDim: headDim))
    }

    /// Floats of a chunk's working scratch (kept a multiple of 16, so what follows a 64-byte
    /// aligned start stays aligned): scores, quantized queries, a Q8_0 chunk's scaled weights
    /// and its value blocks' scales.
    private static func workFloats(group: Int, headDim: Int) -> Int {
        let blocks = (headDim + 31) / 32
        let queryFloats = group * GroupedQ8AttentionKernels.querySlotBytes(count: headDim) / 4
        return group * chunk + queryFloats + (group + 1) * blocks * chunk
    }

    /// Attention of the whole group, its chunks in order on this thread, into
    /// `out + h·headDim` for head `h`; `scratch` holds `scratchFloats` floats (64-byte aligned).
    static func attend(
        _ x: Query, _ cache: Rows, scratch: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        let stride = x.partialStride
        let work = scratch
        let state = scratch + workFloats(group: x.group, headDim: x.headDim)
        let next = state + x.group * stride
        prepare(x, cache, scratch: work)
        for c in 0..<x.chunks {
            chunkPartial(x, cache, chunk: c, scratch: work, into: c == 0 ? state : next)
            if c > 0 {
                for h in 0..<x.group { fold(next + h * stride, into: state + h * stride, count: x.headDim) }
            }
        }
        for h in 0..<x.group { normalize(state + h * stride, count: x.headDim, into: out + h * x.headDim) }
    }

    /// Chunk `c`'s partials of the group, `partialStride` floats per head, into `partials`
    /// (for `merge`); `scratch` as for `attend`.
    static func partial(
        _ x: Query, _ cache: Rows, chunk c: Int, scratch: UnsafeMutablePointer<Float>,
        into partials: UnsafeMutablePointer<Float>
    ) {
        prepare(x, cache, scratch: scratch)
        chunkPartial(x, cache, chunk: c, scratch: scratch, into: partials)
    }

    /// Folds one head's `chunks` partials (`chunkStride` floats apart, in chunk order) as
    /// `attend` does and writes the normalized output; `state` holds a partial's floats.
    static func merge(
        _ partials: UnsafePointer<Float>, chunks: Int, chunkStride: Int, headDim: Int,
        state: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
    ) {
        state.update(from: partials, count: headDim + 2)
        for c in 1..<max(1, chunks) { fold(partials + c * chunkStride, into: state, count: headDim) }
        normalize(state, count: headDim, into: out)
    }

    /// Work done once per row and group before its chunks: the Q8_0 cache's quantized queries.
    @inline(__always)
    private static func prepare(_ x: Query, _ cache: Rows, scratch work: UnsafeMutablePointer<Float>) {
        guard case .q8_0 = cache else { return }
        GroupedQ8AttentionKernels.quantize(
            x.queries, group: x.group, count: x.headDim, scratch: UnsafeMutableRawPointer(queryScratch(x, work)))
    }

    @inline(__always)
    private static func queryScratch(_ x: Query, _ work: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        work + x.group * chunk
    }

    /// Chunk `c`'s partial of every head of the group into `partial` (`partialStride` apart);
    /// `work` starts with `group × chunk` score floats, then the quantized queries and weights.
    private static func chunkPartial(
        _ x: Query, _ cache: Rows, chunk c: Int, scratch work: UnsafeMutablePointer<Float>,
        into partial: UnsafeMutablePointer<Float>
    ) {
        let start = c * chunk
        let rows = min(chunk, x.rows - start)
        let s = work
        let queries = UnsafeRawPointer(queryScratch(x, work))
        let scaled = queryScratch(x, work) + x.group * GroupedQ8AttentionKernels.querySlotBytes(count: x.headDim) / 4
        let d = x.headDim
        let blocks = d / 32
        var segments = Segments(spans: x.spans, skip: start, rows: rows)
        while let (cells, offset) = segments.next() {
            switch cache {
            case .f32(let keys, let values):
                GroupedAttentionKernels.scores(
                    x.queries, group: x.group, keys + cells.lowerBound * d, values: values + cells.lowerBound * d,
                    rows: cells.count, count: d,
                    scale: x.scale, alignedTail: x.alignedTail, into: s + offset, stride: chunk)
            case .f16(let keys, let values, let path):
                GroupedAttentionKernels.scores(
                    x.queries, group: x.group, keys + cells.lowerBound * d, values: values + cells.lowerBound * d,
                    rows: cells.count, count: d,
                    scale: x.scale, alignedTail: x.alignedTail, into: s + offset, stride: chunk, path: path)
            case .q8_0(let keys, let values, let path):
                let first = cells.lowerBound * blocks * BlockQ8_0.bytes
                GroupedQ8AttentionKernels.scores(
                    queries: queries, group: x.group, keys + first, values: values + first, rows: cells.count,
                    blocks: blocks, path: path, into: s + offset, stride: chunk)
            }
        }
        for h in 0..<x.group {
            let sh = s + h * chunk
            let m: Float
            if case .q8_0 = cache {
                m = Q8AttentionKernels.scaleScores(sh, count: rows, by: x.scale, softcap: x.softcap)
            } else if let cap = x.softcap {
                m = AttentionKernels.softcap(sh, count: rows, cap: cap)
            } else {
                m = GroupedAttentionKernels.maximum(sh, count: rows)
            }
            partial[h * x.partialStride] = m
            partial[h * x.partialStride + 1] = GroupedAttentionKernels.exponentiate(
                sh, count: rows, subtracting: m, path: cache.path)
        }
        segments = Segments(spans: x.spans, skip: start, rows: rows)
        while let (cells, offset) = segments.next() {
            let o = partial + 2
            switch cache {
            case .f32(_, let values):
                GroupedAttentionKernels.weightedSum(
                    s + offset, stride: chunk, group: x.group, values + cells.lowerBound * d, rows: cells.count,
                    count: d, into: o, outStride: x.partialStride, accumulate: offset > 0)
            case .f16(_, let values, let path):
                GroupedAttentionKernels.weightedSum(
                    s + offset, stride: chunk, group: x.group, values + cells.lowerBound * d, rows: cells.count,
                    count: d, into: o, outStride: x.partialStride, accumulate: offset > 0, path: path)
            case .q8_0(_, let values, let path):
                let rowsStart = values + cells.lowerBound * blocks * BlockQ8_0.bytes
                GroupedQ8AttentionKernels.scaleWeights(
                    s + offset, stride: chunk, group: x.group, rowsStart, rows: cells.count, blocks: blocks,
                    scales: scaled + x.group * blocks * chunk + offset, into: scaled + offset)
                GroupedQ8AttentionKernels.weightedSum(
                    scaled + offset, stride: chunk, group: x.group, rowsStart, rows: cells.count, blocks: blocks,
                    into: o, outStride: x.partialStride, accumulate: offset > 0, path: path)
            }
        }
    }

    /// `state ← state ⊕ partial` for one head: the larger maximum M, both sums and outputs
    /// rescaled to it (`l·exp(m − M)`; a side already at M is multiplied by exactly 1).
    @inline(__always)
    static func fold(_ partial: UnsafePointer<Float>, into state: UnsafeMutablePointer<Float>, count: Int) {
        let m = max(state[0], partial[0])
        let a = rescale(state[0], to: m)
        let b = rescale(partial[0], to: m)
        state[0] = m
        state[1] = (state[1] * a).addingProduct(partial[1], b)
        let a8 = SIMD8<Float>(repeating: a)
        let b8 = SIMD8<Float>(repeating: b)
        var i = 0
        while i + 8 <= count {
            var v = AttentionKernels.load(state + 2 + i) * a8
            v.addProduct(AttentionKernels.load(partial + 2 + i), b8)
            AttentionKernels.store(v, state + 2 + i)
            i += 8
        }
        while i < count {
            state[2 + i] = (state[2 + i] * a).addingProduct(partial[2 + i], b)
            i += 1
        }
    }

    /// `exp(x − m)`, exactly 1 when `x == m` (also when both are −∞).
    @inline(__always)
    private static func rescale(_ x: Float, to m: Float) -> Float {
        x == m ? 1 : VectorMath.exp(SIMD8<Float>(repeating: x - m))[0]
    }

    /// `out = o / l` of a folded partial (zeros when `l` is 0).
    @inline(__always)
    static func normalize(_ state: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        VectorMath.scale(state + 2, by: state[1] > 0 ? 1 / state[1] : 0, into: out, count: count)
    }

    /// Rows ahead of the scores read the cache from memory (2,048 positions of SmolLM2 are 47 MB
    /// of F16 keys and values a token, far beyond the caches): prefetches key row `row + ahead`
    /// and, when given, value row `row`, which the weighted sum reads once the chunk's scores
    /// are done. Whole rows, every cache line they touch (a Q8_0 row of 68 bytes straddles two).
    @inline(__always)
    static func prefetchRows(
        keys: UnsafeRawPointer, values: UnsafeRawPointer?, row: Int, rowBytes: Int, ahead: Int = 16
    ) {
        let next = keys + (row &+ ahead) &* rowBytes
        parley_prefetch(next)
        parley_prefetch(next + (rowBytes &- 1))
        if let values {
            let v = values + row &* rowBytes
            parley_prefetch(v)
            parley_prefetch(v + (rowBytes &- 1))
        }
    }

    /// How many F32/F16 key rows ahead the scores prefetch: 16 KB of rows, at least 16. A
    /// 2,048-row GQA group of 3 × 64 (F16) streamed from memory, Zen 4: 16 rows ahead 25.9 ns
    /// per row (AVX2) and 24.6 (AVX-512), 128 rows ahead 23.1 and 21.4. (The Q8_0 scores keep
    /// their distances: 16 to 256 rows measured the same within 1 ns.)
    static func keysAhead(rowBytes: Int) -> Int { max(16, 16_384 / max(1, rowBytes)) }

    /// The cell ranges of `rows` visible cells of `spans` after the first `skip`, each with its
    /// offset among those rows.
    struct Segments {
        let spans: UnsafeBufferPointer<Range<Int>>
        var index = 0
        var skip: Int
        var remaining: Int
        var offset = 0

        init(spans: UnsafeBufferPointer<Range<Int>>, skip: Int, rows: Int) {
            self.spans = spans
            self.skip = skip
            remaining = rows
        }

        mutating func next() -> (Range<Int>, Int)? {
            while remaining > 0 && index < spans.count {
                let span = spans[index]
                index += 1
                if skip >= span.count {
                    skip -= span.count
                    continue
                }
                let lower = span.lowerBound + skip
                skip = 0
                let take = min(span.upperBound - lower, remaining)
                defer {
                    remaining -= take
                    offset += take
                }
                return (lower..<(lower + take), offset)
            }
            return nil
        }
    }
}
