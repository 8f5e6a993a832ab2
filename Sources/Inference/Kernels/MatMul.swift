import GGUF

/// `out[t][r] = Σ_c W[r][c] · x[t][c]` for `t` in `0..<tokens`: the matrix products of the
/// forward pass. `x` is `tokens × w.columns` row-major, `out` is `tokens × w.rows` row-major.
///
/// The activations are quantized once (see `ActivationFormat`), then the rows are split
/// between the pool's threads. Each thread walks its rows and, for each row, every token
/// (four at a time where a batched kernel exists), so a weight row is read from memory once
/// per batch and reused from L1 cache. Nothing is allocated. `scratch` must be sized for
/// `w.columns`, `tokens` and the pool; `out` must not overlap `x`.
package func matmul(
    _ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int, _ out: UnsafeMutablePointer<Float>,
    pool: WorkerPool, scratch: inout MatMulScratch
) {
    MatMulPlan.check(w, tokens: tokens, pool: pool, scratch: scratch)
    let activations = MatMulPlan.quantize(
        x, columns: w.columns, tokens: tokens, format: ActivationFormat.for(w.type), pool: pool, scratch: scratch)
    let rowBuffers = scratch.storage.rows
    let invariant = scratch.rowInvariant
    let path = scratch.path
    let alignment = MatMulPlan.rowAlignment(for: w.type, tokens: tokens, rowInvariant: invariant, path: path)
    let chunks = MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount, alignment: alignment)
    pool.parallelFor(count: chunks) { chunk, thread in
        let rows = MatMulPlan.rows(of: w.rows, worker: chunk, workers: chunks, alignment: alignment)
        guard !rows.isEmpty else { return }
        MatMulPlan.compute(
            w, rows: rows, activations: activations, tokens: tokens, out: out,
            rowBuffer: rowBuffers + thread * w.columns, rowInvariant: invariant, path: path)
    }
}

/// Several matrices applied to the same input (Q/K/V, or gate/up): `outs[i]` receives
/// `weights[i] · x` exactly as `matmul` would compute it, but the input is quantized once and
/// all rows share one parallel region, which saves a synchronization per matrix and balances
/// small matrices better. Keep the two arrays prebuilt (e.g. per layer) so calls don't allocate.
/// Matrices must have the same column count; mixed activation formats fall back to one
/// `matmul` per matrix.
package func matmul(
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
    let activations = MatMulPlan.quantize(
        x, columns: first.columns, tokens: tokens, format: format, pool: pool, scratch: scratch)
    let rowBuffers = scratch.storage.rows
    let invariant = scratch.rowInvariant
    let path = scratch.path
    @inline(__always) func alignment(_ w: WeightMatrix) -> Int {
        MatMulPlan.rowAlignment(for: w.type, tokens: tokens, rowInvariant: invariant, path: path)
    }
    var total = 0
    for w in weights {
        total += MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount, alignment: alignment(w))
    }
    pool.parallelFor(count: total) { item, thread in
        var chunk = item
        for (w, out) in zip(weights, outs) {
            let alignment = alignment(w)
            let chunks = MatMulPlan.chunkCount(rows: w.rows, threads: pool.threadCount, alignment: alignment)
            if chunk >= chunks {
                chunk -= chunks
                continue
            }
            let rows = MatMulPlan.rows(of: w.rows, worker: chunk, workers: chunks, alignment: alignment)
            if !rows.isEmpty {
                MatMulPlan.compute(
                    w, rows: rows, activations: activations, tokens: tokens, out: out,
                    rowBuffer: rowBuffers + thread * w.columns, rowInvariant: invariant, path: path)
            }
            return
        }
    }
}
