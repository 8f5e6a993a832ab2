import GGUF

/// `out[t][r] = Σ_c W[r][c] · x[t][c]` for `t` in `0..<tokens`: the matrix products of the
/// forward pass. `x` is `tokens × w.columns` row-major, `out` is `tokens × w.rows` row-major.
///
/// The activations are quantized once (see `ActivationFormat`), then the rows are split
/// between the pool's threads. Each thread walks its rows and, for each row, every token
/// (four at a time where a batched kernel exists), so a weight row is read from memory once
/// per batch and reused from L1 cache. Nothing is allocated. `scratch` must be sized for
/// `w.columns`, `tokens` and the pool; `out` must not overlap `x`.
public func matmul(
    _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, _ out: UnsafeMutablePointer<Float>,
    pool: WorkerPool, scratch: inout MatMulScratch
) {
    MatMulPlan.check(w, tokens: tokens, pool: pool, scratch: scratch)
    let activations = MatMulPlan.quantize(x, columns: w.columns, tokens: tokens, format: ActivationFormat.for(w.type), pool: pool, scratch: scratch)
    let rowBuffers = scratch.storage.rows
    let chunks = MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount)
    pool.parallelFor(count: chunks) { chunk, thread in
        let rows = MatMulPlan.rows(of: w.rows, worker: chunk, workers: chunks)
        guard !rows.isEmpty else { return }
        MatMulPlan.compute(w, rows: rows, activations: activations, tokens: tokens, out: out,
                           rowBuffer: rowBuffers + thread * w.columns)
    }
}

/// Several matrices applied to the same input (Q/K/V, or gate/up): `outs[i]` receives
/// `weights[i] · x` exactly as `matmul` would compute it, but the input is quantized once and
/// all rows share one parallel region, which saves a synchronization per matrix and balances
/// small matrices better. Keep the two arrays prebuilt (e.g. per layer) so calls don't allocate.
/// Matrices must have the same column count; mixed activation formats fall back to one
/// `matmul` per matrix.
public func matmul(
    _ weights: [WeightMatrix], _ x: UnsafePointer<Float>, tokens: Int, _ outs: [UnsafeMutablePointer<Float>],
    pool: WorkerPool, scratch: inout MatMulScratch
) {
    precondition(weights.count == outs.count, "one output per matrix")
    guard let first = weights.first else { return }
    let format = ActivationFormat.for(first.type)
    guard weights.allSatisfy({ ActivationFormat.for($0.type) == format && $0.columns == first.columns }) else {
        for (w, out) in zip(weights, outs) { matmul(w, x, tokens: tokens, out, pool: pool, scratch: &scratch) }
        return
    }
    for w in weights { MatMulPlan.check(w, tokens: tokens, pool: pool, scratch: scratch) }
    let activations = MatMulPlan.quantize(x, columns: first.columns, tokens: tokens, format: format, pool: pool, scratch: scratch)
    let rowBuffers = scratch.storage.rows
    var total = 0
    for w in weights { total += MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount) }
    pool.parallelFor(count: total) { item, thread in
        var chunk = item
        for (w, out) in zip(weights, outs) {
            let chunks = MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount)
            if chunk >= chunks {
                chunk -= chunks
                continue
            }
            let rows = MatMulPlan.rows(of: w.rows, worker: chunk, workers: chunks)
            if !rows.isEmpty {
                MatMulPlan.compute(w, rows: rows, activations: activations, tokens: tokens, out: out,
                                   rowBuffer: rowBuffers + thread * w.columns)
            }
            return
        }
    }
}

/// How the work of one `matmul` is split and which kernel computes it.
enum MatMulPlan {
    /// Work items for a product of `rows` rows: a few per thread, so a thread slowed down by
    /// the OS leaves its share to the others, but not so many that taking items costs much.
    static func chunkCount(rows: Int, threads: Int) -> Int {
        guard threads > 1 else { return 1 }
        let groups = (rows + rowAlignment - 1) / rowAlignment
        return max(1, min(groups / 4, threads * 8))
    }

    /// The capacity checks shared by both entry points (programmer errors).
    static func check(_ w: WeightMatrix, tokens: Int, pool: WorkerPool, scratch: MatMulScratch) {
        precondition(tokens >= 1 && tokens <= scratch.maxTokens, "tokens \(tokens) exceeds scratch capacity \(scratch.maxTokens)")
        precondition(w.columns <= scratch.maxColumns, "matrix has \(w.columns) columns; scratch holds \(scratch.maxColumns)")
        precondition(pool.threadCount <= scratch.maxWorkers, "pool has more threads than the scratch has row buffers")
    }

    /// Encodes the activations, spreading tokens over the pool when there are several.
    static func quantize(
        _ x: UnsafePointer<Float>, columns: Int, tokens: Int, format: ActivationFormat, pool: WorkerPool, scratch: MatMulScratch
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

    /// The rows `worker` computes: contiguous, near-equal shares in multiples of `rowAlignment`.
    static func rows(of count: Int, worker: Int, workers: Int) -> Range<Int> {
        let groups = (count + rowAlignment - 1) / rowAlignment
        let start = min(count, groups * worker / workers * rowAlignment)
        let end = min(count, groups * (worker + 1) / workers * rowAlignment)
        return start..<end
    }

    /// Computes `out[t][r]` for `r` in `rows`, all tokens.
    static func compute(
        _ w: WeightMatrix, rows: Range<Int>, activations: QuantizedActivations, tokens: Int,
        out: UnsafeMutablePointer<Float>, rowBuffer: UnsafeMutablePointer<Float>
    ) {
        let columns = w.columns
        switch w.type {
        case .f32:
            for r in rows {
                let row = w.row(r).assumingMemoryBound(to: Float.self)
                for t in 0..<tokens {
                    out[t * w.rows + r] = VectorMath.dot(row, activations.floats + t * columns, count: columns)
                }
            }
        default:
            if let kernel = rowDot(for: w.type) {
                let blocks = columns / w.type.blockSize
                let batched = tokens >= 4 ? rowDot4(for: w.type) : nil
                for r in rows {
                    let row = w.row(r)
                    var t = 0
                    if let batched {
                        while t + 4 <= tokens {
                            let sums = batched(row, (activations.row(t), activations.row(t + 1), activations.row(t + 2), activations.row(t + 3)), blocks)
                            for i in 0..<4 { out[(t + i) * w.rows + r] = sums[i] }
                            t += 4
                        }
                    }
                    while t < tokens {
                        out[t * w.rows + r] = kernel(row, activations.row(t), blocks)
                        t += 1
                    }
                }
                return
            }
            for r in rows {
                w.dequantizeRow(r, into: rowBuffer)
                for t in 0..<tokens {
                    out[t * w.rows + r] = VectorMath.dot(rowBuffer, activations.floats + t * columns, count: columns)
                }
            }
        }
    }

    /// The integer dot-product kernel for `type`, nil for types computed in F32.
    static func rowDot(for type: GGMLType) -> RowDot? {
        #if arch(x86_64)
        switch type {
        case .q4_0: return AVX2Dot.q4_0
        case .q4_1: return AVX2Dot.q4_1
        case .q5_0: return AVX2Dot.q5_0
        case .q5_1: return AVX2Dot.q5_1
        case .q8_0: return AVX2Dot.q8_0
        case .q4_K: return AVX2Dot.q4_K
        case .q6_K: return AVX2Dot.q6_K
        default: return nil
        }
        #else
        return portableRowDot(for: type)
        #endif
    }

    /// The four-token kernel for `type`, if it has one.
    static func rowDot4(for type: GGMLType) -> RowDot4? {
        #if arch(x86_64)
        switch type {
        case .q4_1: return AVX2Dot.q4_1x4
        case .q8_0: return AVX2Dot.q8_0x4
        case .q5_0: return AVX2Dot.q5_0x4
        case .q4_K: return AVX2Dot.q4_Kx4
        case .q6_K: return AVX2Dot.q6_Kx4
        default: return nil
        }
        #else
        return nil
        #endif
    }

    /// The plain-Swift kernel for `type` (every platform; tests cross-check with it).
    static func portableRowDot(for type: GGMLType) -> RowDot? {
        switch type {
        case .q4_0: return PortableDot.q4_0
        case .q4_1: return PortableDot.q4_1
        case .q5_0: return PortableDot.q5_0
        case .q5_1: return PortableDot.q5_1
        case .q8_0: return PortableDot.q8_0
        case .q4_K: return PortableDot.q4_K
        case .q6_K: return PortableDot.q6_K
        default: return nil
        }
    }
}
