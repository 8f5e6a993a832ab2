#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The steps of the forward pass over the rows of a batch, so `forward()` reads as a list of
/// whole-matrix operations. Each step maps rows to the shared `VectorMath`/`matmul` kernels.
extension Transformer {
    /// Row `t` of `into` = embedding of `tokens[t]` (dequantized).
    func embed(_ tokens: UnsafeBufferPointer<Int32>, into x: StateMatrix) {
        for (t, token) in tokens.enumerated() {
            model.weights.tokenEmbedding.dequantizeRow(Int(token), into: x.pointer(t))
        }
    }

    /// cos/sin of the RoPE angles of each row's position, into `state.ropeCos/ropeSin`.
    func ropeAngles(_ plan: BatchPlan) {
        for t in 0..<plan.count {
            model.ropeAngles.fill(position: plan.positions[t], cos: state.ropeCos.pointer(t), sin: state.ropeSin.pointer(t))
        }
    }

    /// RMSNorm of rows `fromRow..<fromRow+n` of `x` into rows `toRow..<toRow+n` of `out`.
    func rmsNorm(_ x: StateMatrix, _ weight: ParameterVector, into out: StateMatrix, fromRow: Int = 0, toRow: Int = 0,
                 tokens n: Int) {
        let w = weight.values.baseAddress.unsafelyUnwrapped
        for t in 0..<n {
            VectorMath.rmsNorm(x.pointer(fromRow + t), weight: w, eps: model.config.normEpsilon,
                               count: x.columns, into: out.pointer(toRow + t))
        }
    }

    /// Per-head RMSNorm in place (qwen3's Q/K norm): each `headDim` slice of each row.
    func headNorm(_ x: StateMatrix, _ weight: ParameterVector, heads: Int, tokens n: Int) {
        let w = weight.values.baseAddress.unsafelyUnwrapped
        let headDim = model.config.headDimension
        for t in 0..<n {
            let row = x.pointer(t)
            for h in 0..<heads {
                VectorMath.rmsNorm(row + h * headDim, weight: w, eps: model.config.normEpsilon,
                                   count: headDim, into: row + h * headDim)
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

    /// Rotates the heads of each row by its token's angles (`ropeAngles`).
    func rope(_ x: StateMatrix, heads: Int, tokens n: Int) {
        let c = model.config
        for t in 0..<n {
            VectorMath.rope(x.pointer(t), heads: heads, headDimension: c.headDimension,
                            rotaryDimensions: c.ropeDimensionCount, cos: state.ropeCos.pointer(t),
                            sin: state.ropeSin.pointer(t), style: c.ropeStyle)
        }
    }

    /// `x[fromRow + t] += delta[t]` for `t < n` (the residual connection).
    func add(_ delta: StateMatrix, to x: StateMatrix, fromRow: Int = 0, tokens n: Int) {
        VectorMath.add(x.pointer(fromRow), delta.base, into: x.pointer(fromRow), count: n * x.columns)
    }

    /// `gate = silu(gate) · up` over the first `n` rows.
    func swiglu(_ gate: StateMatrix, _ up: StateMatrix, tokens n: Int) {
        VectorMath.swiglu(gate: gate.base, up: up.base, into: gate.base, count: n * gate.columns)
    }
}
