import CPrefetch
import GGUF

#if arch(x86_64)
    import InferenceAVX512
#endif

/// How the work of one `matmul` is split and which kernel computes it.
enum MatMulPlan {
    /// Work items for a product of `rows` rows: a multiple of the thread count (so equal
    /// threads finish together), up to 8 per thread when rows are plentiful (so a thread slowed
    /// down by the OS leaves its share to the others), with at least ~64 rows per item (taking
    /// an item is a contended atomic, ~0.1 µs).
    static func chunkCount(rows: Int, threads: Int, alignment: Int = rowAlignment) -> Int {
        guard threads > 1 else { return 1 }
        let perThread = max(1, min(8, rows / (threads * 64)))
        return min(threads * perThread, (rows + alignment - 1) / alignment)
    }

    /// The capacity checks shared by both entry points (programmer errors).
    static func check(_ w: WeightMatrix, tokens: Int, pool: WorkerPool, scratch: MatMulScratch) {
        precondition(
            tokens >= 1 && tokens <= scratch.maxTokens, "tokens \(tokens) exceeds scratch capacity \(scratch.maxTokens)"
        )
        precondition(
            w.columns <= scratch.maxColumns, "matrix has \(w.columns) columns; scratch holds \(scratch.maxColumns)")
        precondition(pool.threadCount <= scratch.maxWorkers, "pool has more threads than the scratch has row buffers")
    }

    /// Encodes the activations, spreading tokens over the pool when there are several.
    static func quantize(
        _ x: UnsafePointer<Float>, columns: Int, tokens: Int, format: ActivationFormat, pool: WorkerPool,
        scratch: MatMulScratch
    ) -> QuantizedActivations {
        let storage = scratch.storage
        if tokens < 8 || format == .float {
            return QuantizedActivations.quantize(x, columns: columns, tokens: tokens, format: format, storage: storage)
        }
        let result = QuantizedActivations(x, columns: columns, format: format, storage: storage)
        let groups = min(tokens, 4 * pool.threadCount)
        pool.parallelFor(count: groups) { group, _ in
            for t in (tokens * group / groups)..<(tokens * (group + 1) / groups) { result.quantizeToken(t) }
        }
        return result
    }

    /// Row granularity of the split, so micro-kernels working on row groups stay aligned.
    static let rowAlignment = 4

    /// The split's granularity for one product: a whole panel when the panels compute it.
    static func rowAlignment(
        for type: GGMLType, tokens: Int, rowInvariant: Bool, path: KernelPath
    ) -> Int {
        #if arch(x86_64)
            if panelProduct(for: type, tokens: tokens, rowInvariant: rowInvariant, path: path) != nil {
                return AVX512Dot.panelRows
            }
        #endif
        return rowAlignment
    }

    /// The rows `worker` computes: contiguous, near-equal shares in multiples of `alignment`.
    static func rows(of count: Int, worker: Int, workers: Int, alignment: Int = rowAlignment) -> Range<Int> {
        let groups = (count + alignment - 1) / alignment
        let start = min(count, groups * worker / workers * alignment)
        let end = min(count, groups * (worker + 1) / workers * alignment)
        return start..<end
    }

    /// Prompts of at least this many tokens take the AVX-512 panels (`AVX512Dot+Panels.swift`,
    /// `+KPanels`, `+Q6KPanels`), which unpack 32 rows once for the whole batch where the row runs
    /// and four-token kernels unpack them per four tokens. They round as the kernels the AVX2
    /// path takes for the same batch (Q6_K's tiled kernel only from `tiledMinimumTokens`, hence
    /// not below 8). Row-invariant products never take them: they must round as one token does.
    /// Zen 4, 1 thread, t/s with the runs → panels: SmolLM2 Q4_1 pp12 356 → 416, pp15 366 → 457;
    /// Q4_K_M pp8 295 → 373, pp12 322 → 450 (pp8 of Q4_1 within noise: 339 → 329).
    static let panelMinimumTokens = tiledMinimumTokens

    /// The panel kernel for this product, if it takes one.
    static func panelProduct(
        for type: GGMLType, tokens: Int, rowInvariant: Bool, path: KernelPath
    ) -> PanelProduct? {
        #if arch(x86_64)
            guard path == .avx512, tokens >= panelMinimumTokens, !rowInvariant else { return nil }
            return avx512Panels(for: type)
        #else
            return nil
        #endif
    }

    /// The panel kernel for `w` and where row r's bytes are for it: the interleaved copy's
    /// panels when `w` has one (as `rowRun(for:path:)`), else the file's rows.
    static func panelProduct(
        for w: WeightMatrix, tokens: Int, rowInvariant: Bool, path: KernelPath
    ) -> (PanelProduct, (Int) -> UnsafeRawPointer)? {
        guard let panels = panelProduct(for: w.type, tokens: tokens, rowInvariant: rowInvariant, path: path) else {
            return nil
        }
        #if arch(x86_64)
            if let interleaved = w.interleavedRows, let product = avx512InterleavedPanels(for: w.type) {
                return (product, { interleaved.group($0 / 4) })
            }
        #endif
        return (panels, w.row)
    }

    /// Computes `out[t][r]` for `r` in `rows` (non-empty), all tokens.
    static func compute(
        _ w: WeightMatrix, rows: Range<Int>, activations: QuantizedActivations, tokens: Int,
        out: UnsafeMutablePointer<Float>, rowBuffer: UnsafeMutablePointer<Float>, rowInvariant: Bool = false,
        path: KernelPath = .active
    ) {
        if w.type == .f32 {
            for r in rows {
                let row = w.row(r).assumingMemoryBound(to: Float.self)
                for t in 0..<tokens {
                    out[t * w.rows + r] = VectorMath.dot(row, activations.floats + t * w.columns, count: w.columns)
                }
            }
        } else if let kernel = rowDot(for: w.type, tokens: rowInvariant ? 1 : tokens, path: path) {
            computeQuantized(
                w, rows: rows, activations: activations, tokens: tokens, out: out, kernel: kernel,
                rowInvariant: rowInvariant, path: path)
        } else {
            for r in rows {
                w.dequantizeRow(r, into: rowBuffer)
                for t in 0..<tokens {
                    out[t * w.rows + r] = VectorMath.dot(
                        rowBuffer, activations.floats + t * w.columns, count: w.columns)
                }
            }
        }
    }

    /// The integer-kernel path. On the AVX-512 path prompts take the panels (`panelProduct`),
    /// one call per thread's share of rows for the whole batch. The row runs
    /// (`runMaximumTokens`) take a thread's rows in one call per group of four tokens.
    /// Otherwise one token at a time walks the rows in memory order (decode: the weights stream
    /// from DRAM, and a single sequential stream is what the hardware prefetcher follows best;
    /// interleaving several rows measured 30-40% slower), and batches use the four-token
    /// kernels, blocked so a group of ~128 KB of rows stays in L2 while tiles of ~16 KB of
    /// activation codes stay in L1.
    private static func computeQuantized(
        _ w: WeightMatrix, rows: Range<Int>, activations: QuantizedActivations, tokens: Int,
        out: UnsafeMutablePointer<Float>, kernel: RowDot, rowInvariant: Bool, path: KernelPath
    ) {
        if let (panels, weights) = panelProduct(for: w, tokens: tokens, rowInvariant: rowInvariant, path: path) {
            panels(
                weights(rows.lowerBound), w.rowBytes, rows.count, activations.row(0), tokens, w.columns,
                out + rows.lowerBound, w.rows)
            return
        }
        let blocks = w.columns / w.type.blockSize
        if tokens <= runMaximumTokens(w.type, rowInvariant: rowInvariant, path: path),
            let (run, weights) = rowRun(for: w, path: path)
        {
            let group = tokens > 4 ? max(4, runGroupBytes / w.rowBytes / 4 * 4) : rows.count
            for groupStart in stride(from: rows.lowerBound, to: rows.upperBound, by: group) {
                let count = min(rows.upperBound, groupStart + group) - groupStart
                for first in stride(from: 0, to: tokens, by: 4) {
                    let last = min(tokens, first + 4) - 1
                    let four = (
                        activations.row(first), activations.row(min(first + 1, last)),
                        activations.row(min(first + 2, last)), activations.row(min(first + 3, last))
                    )
                    run(
                        weights(groupStart), w.rowBytes, count, four, last - first + 1, blocks,
                        out + first * w.rows + groupStart, w.rows)
                }
            }
            return
        }
        let batched =
            tokens >= 4
            ? (rowInvariant
                ? invariantRowDot4(for: w.type, path: path) : rowDot4(for: w.type, tokens: tokens, path: path)) : nil
        // Tiles pay from two tokens on (`computeTiles`); they equal the one-token kernel bit
        // for bit, so row-invariant products take them too.
        let tiled = tokens >= 2 ? rowTile(for: w.type, tokens: tokens, path: path) : nil
        let tile = max(4, min(tokens, 16_384 / w.columns / 4 * 4))
        let group = tokens > tile ? max(4, 131_072 / w.rowBytes) : max(1, rows.count)
        for groupStart in stride(from: rows.lowerBound, to: rows.upperBound, by: group) {
            let groupRows = groupStart..<min(rows.upperBound, groupStart + group)
            for first in stride(from: 0, to: tokens, by: tile) {
                let last = min(tokens, first + tile)
                let tiledRows =
                    tiled.map {
                        computeTiles(
                            w, rows: groupRows, tokens: first..<last, activations: activations, out: out,
                            tiled: $0, kernel: kernel, streaming: tokens <= tile)
                    } ?? groupRows.lowerBound
                for r in tiledRows..<groupRows.upperBound {
                    let row = w.row(r)
                    var t = first
                    if let batched {
                        while t + 4 <= last {
                            let four = (
                                activations.row(t), activations.row(t + 1), activations.row(t + 2),
                                activations.row(t + 3)
                            )
                            let sums = batched(row, four, blocks)
                            for i in 0..<4 { out[(t + i) * w.rows + r] = sums[i] }
                            t += 4
                        }
                    }
                    if tokens < 4 && r + prefetchDistance < groupRows.upperBound {
                        prefetch(w.row(r + prefetchDistance), bytes: w.rowBytes)
                    }
                    while t < last {
                        out[t * w.rows + r] = kernel(row, activations.row(t), blocks)
                        t += 1
                    }
                }
            }
        }
    }

    /// Products of up to this many tokens take the row runs (`rowRun`; one token on the AVX2
    /// path, whose run is its one-token kernel row after row). On the AVX-512 path the
    /// legacy types' runs equal their one-token kernel bit for bit (as the four-token kernels and
    /// tiles of the AVX2 path do), so they take every batch the panels do not (`panelProduct`:
    /// prompts from 8 tokens): a block of four rows is unpacked once for four tokens, and the
    /// rows stay in L1 across the batch's groups of four tokens (`runGroupBytes`). The K-quants'
    /// runs call the one-row kernel per (row, token): every batch of a row-invariant product
    /// (which must round as one token does), and otherwise batches of up to three tokens, where
    /// their four-token kernels (which round differently) do not apply.
    ///
    /// Zen 4, SmolLM2 Q4_1, tokens/s at 1/2 threads, before (4 × 4 tiles) and after:
    /// pp2 318/538 → 576/787, pp3 457/599 → 708/1012, pp4 627/744 → 752/1157, pp128 700/1164 →
    /// 907/1563; Q4_K_M (mostly Q5_0 here) pp128 685/1157 → 829/1337.
    static func runMaximumTokens(_ type: GGMLType, rowInvariant: Bool, path: KernelPath) -> Int {
        guard path == .avx512 else { return 1 }
        switch type {
        case .q4_1, .q8_0, .q5_0: return .max
        default: return rowInvariant ? .max : 3
        }
    }

    /// Rows of a batch's run are taken in groups of this many bytes, each group for all the
    /// batch's tokens, so the group stays in L1 (32 KB on Zen 4; SmolLM2 Q4_K_M pp512 at 2
    /// threads: 32 KB 1323 t/s, 128 KB 1258, 512 KB 1230).
    static let runGroupBytes = 32_768

    /// Decode reads each row once, straight from DRAM; the hardware prefetcher restarts at every
    /// matrix (each is only 0.1-1 MB) and lags at first. Asking for the row two ahead measured
    /// +8% tokens/s for Q4_1 at 1 and 2 threads.
    static let prefetchDistance = 2

    /// The AVX2 row runs also ask for the row this far ahead, with the stream's hint (as the
    /// AVX-512 runs do; see `RowQuad.streamRows` there, and `StreamPrefetch`). `PARLEY_CPU=avx2` tg64 at 1/2 threads, Zen 4,
    /// alternating: SmolLM2 Q4_1 198/276 (a closure call per row, 2 ahead only) → 207/313 with
    /// runs and 8 rows → 211/307 with 16; Q4_K_M 178/262 → 181/271 → 184/282.
    static let streamDistance = 16

    /// Prefetches every cache line of `bytes` bytes from `start` (`stream`: with the stream's
    /// hint, `StreamPrefetch`).
    @inline(__always)
    static func prefetch(_ start: UnsafeRawPointer, bytes: Int, stream: Bool = false) {
        var line = UnsafeRawPointer(bitPattern: UInt(bitPattern: start) & ~63) ?? start
        let end = start + bytes
        while line < end {
            if stream { parley_prefetch_stream(line) } else { parley_prefetch(line) }
            line += 64
        }
    }
}
