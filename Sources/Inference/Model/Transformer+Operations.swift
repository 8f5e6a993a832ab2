#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The steps of the forward pass over the rows of a batch, so `forward()` reads as a list of
/// whole-matrix operations. Each step maps rows to the shared `VectorMath`/`matmul` kernels.
extension Transformer {
    /// Row `t` of `into` = embedding of `tokens[t]` (dequantized), times `embeddingScale`.
    func embed(_ tokens: UnsafeBufferPointer<Int32>, into x: StateMatrix) {
        let scale = model.config.embeddingScale
        for (t, token) in tokens.enumerated() {
            model.weights.tokenEmbedding.dequantizeRow(Int(token), into: x.pointer(t))
            if scale != 1 { VectorMath.scale(x.pointer(t), by: scale, into: x.pointer(t), count: x.columns) }
        }
    }

    /// cos/sin of the RoPE angles of each row's position, one table per RoPE base, into
    /// `state.ropeCos/ropeSin`.
    func ropeAngles(_ plan: BatchPlan) {
        for (table, angles) in ropeTables.enumerated() {
            let cos = state.ropeCos[table]
            let sin = state.ropeSin[table]
            for t in 0..<plan.count {
                angles.fill(position: plan.positions[t], cos: cos.pointer(t), sin: sin.pointer(t))
            }
        }
    }

    /// RMSNorm of rows `fromRow..<fromRow+n` of `x` into rows `toRow..<toRow+n` of `out`; a
    /// copy when the model has no such norm (nil weight: OLMo 2's missing pre-norms). In place
    /// when `x` is `out` and the rows coincide.
    func rmsNorm(
        _ x: StateMatrix, _ weight: ParameterVector?, into out: StateMatrix, fromRow: Int = 0, toRow: Int = 0,
        tokens n: Int
    ) {
        guard let weight else {
            if x !== out || fromRow != toRow {
                out.pointer(toRow).update(from: x.pointer(fromRow), count: n * x.columns)
            }
            return
        }
        let w = weight.values.baseAddress.unsafelyUnwrapped
        let eps = model.config.normEpsilon
        forEachRowRange(n) { rows in
            VectorMath.rmsNorms(
                x.pointer(fromRow + rows.lowerBound), stride: x.columns, vectors: rows.count, weight: w, eps: eps,
                count: x.columns, into: out.pointer(toRow + rows.lowerBound), outStride: out.columns)
        }
    }

    /// Q/K RMSNorm in place: each `weight.count` slice of each row (one head per slice for
    /// qwen3 and Gemma 3, the whole row for OLMo 2).
    func headNorm(_ x: StateMatrix, _ weight: ParameterVector, tokens n: Int) {
        let w = weight.values.baseAddress.unsafelyUnwrapped
        let width = weight.count
        let eps = model.config.normEpsilon
        let slices = x.columns / width
        // The slices of consecutive rows are `width` apart when they fill the rows exactly.
        let contiguous = slices * width == x.columns
        forEachRowRange(n) { rows in
            if contiguous {
                let first = x.pointer(rows.lowerBound)
                VectorMath.rmsNorms(
                    first, stride: width, vectors: rows.count * slices, weight: w, eps: eps, count: width,
                    into: first, outStride: width)
            } else {
                for t in rows {
                    VectorMath.rmsNorms(
                        x.pointer(t), stride: width, vectors: slices, weight: w, eps: eps, count: width,
                        into: x.pointer(t), outStride: width)
                }
            }
        }
    }

    /// `out[outputRow + t] = W · x[t]` for the first `n` rows of `x`.
    func matmul(_ w: WeightMatrix, _ x: StateMatrix, into out: StateMatrix, tokens n: Int, outputRow: Int = 0) {
        precondition(x.columns >= w.columns && out.columns == w.rows && outputRow + n <= out.rows)
        Inference.matmul(w, x.base, tokens: n, out.pointer(outputRow), pool: pool, scratch: &state.scratch)
    }

    /// `outs[i][t] = W_i · x[t]` for several matrices sharing the input (Q/K/V, gate/up): the
    /// input is quantized once and all products run in one parallel region.
    func matmul(_ w: [WeightMatrix], _ x: StateMatrix, into outs: [UnsafeMutablePointer<Float>], tokens n: Int) {
        Inference.matmul(w, x.base, tokens: n, outs, pool: pool, scratch: &state.scratch)
    }

    /// Adds `bias` to each of the first `n` rows.
    func addBias(_ bias: ParameterVector, to x: StateMatrix, tokens n: Int) {
        let b = bias.values.baseAddress.unsafelyUnwrapped
        for t in 0..<n {
            VectorMath.add(x.pointer(t), b, into: x.pointer(t), count: x.columns)
        }
    }

    /// Rotates the heads of each row by its token's angles in RoPE table `table` (`ropeAngles`).
    func rope(_ x: StateMatrix, heads: Int, table: Int, tokens n: Int) {
        let c = model.config
        let cos = state.ropeCos[table]
        let sin = state.ropeSin[table]
        forEachRow(n) { t in
            VectorMath.rope(
                x.pointer(t), heads: heads, headDimension: c.headDimension,
                rotaryDimensions: c.ropeDimensionCount, cos: cos.pointer(t),
                sin: sin.pointer(t), style: c.ropeStyle)
        }
    }

    /// `x[fromRow + t] += residualScale · delta[t]` for `t < n` (the residual connection).
    func add(_ delta: StateMatrix, to x: StateMatrix, fromRow: Int = 0, tokens n: Int) {
        let scale = model.config.residualScale
        forEachRow(n) { t in
            let d = delta.pointer(t)
            if scale != 1 { VectorMath.scale(d, by: scale, into: d, count: delta.columns) }
            VectorMath.add(x.pointer(fromRow + t), d, into: x.pointer(fromRow + t), count: x.columns)
        }
    }

    /// `gate = act(gate) · up` over the first `n` rows (SwiGLU or Gemma's GeGLU), one row at a
    /// time as ggml applies it: the kernels' SIMD body and scalar tail round differently, so a
    /// row whose width is no multiple of 8 must split the same way whatever the batch size, or
    /// a token's result would depend on which batch row it was (speculative verification needs
    /// a drafted row to equal a one-token step bit for bit).
    func gatedActivation(_ gate: StateMatrix, _ up: StateMatrix, tokens n: Int) {
        let width = gate.columns
        let activation = model.config.architecture.activation
        forEachRow(n) { t in
            switch activation {
            case .silu: VectorMath.swiglu(gate: gate.pointer(t), up: up.pointer(t), into: gate.pointer(t), count: width)
            case .geluTanh:
                GeluTable.geglu(gate: gate.pointer(t), up: up.pointer(t), into: gate.pointer(t), count: width)
            }
        }
    }

    /// `body(t)` for every row t < n: spread over the pool for a prompt's rows (each row is
    /// computed alone, so the split changes no result), in order on the caller otherwise. At 2
    /// threads these row-wise steps had been serial: 6-9% of a 128-token prompt at 1 thread.
    @inline(__always)
    func forEachRow(_ n: Int, _ body: (Int) -> Void) {
        forEachRowRange(n) { rows in
            for t in rows { body(t) }
        }
    }

    /// `body(rows)` for consecutive ranges of the rows t < n, as `forEachRow` splits them (for
    /// steps that run several rows side by side).
    @inline(__always)
    func forEachRowRange(_ n: Int, _ body: (Range<Int>) -> Void) {
        guard n > 0 else { return }
        guard n >= Self.parallelRowMinimum, pool.threadCount > 1 else {
            body(0..<n)
            return
        }
        let groups = min(n, 2 * pool.threadCount)
        pool.parallelFor(count: groups) { group, _ in body((n * group / groups)..<(n * (group + 1) / groups)) }
    }

    /// Batches from this many rows spread their row-wise steps over the pool (`forEachRow`).
    static var parallelRowMinimum: Int { 16 }

    /// Granite's logit multiplier and Gemma 2's soft-cap `c·tanh(z/c)` on `rows` rows of logits.
    func finishLogits(_ logits: StateMatrix, fromRow: Int, rows: Int) {
        let c = model.config
        for r in fromRow..<(fromRow + rows) {
            let z = logits.pointer(r)
            if c.logitScale != 1 { VectorMath.scale(z, by: c.logitScale, into: z, count: logits.columns) }
            if let cap = c.finalLogitSoftcap {
                let inverse = 1 / cap // ggml: scale by 1/c, tanh, scale by c
                for i in 0..<logits.columns { z[i] = cap * tanhf(z[i] * inverse) }
            }
        }
    }
}
