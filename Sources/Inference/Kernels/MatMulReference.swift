/// The scalar oracle for `matmul`: the exact dequantized weights times the activations as the
/// integer kernels see them (quantized then dequantized), accumulated in Double.
///
/// It shares only the activation quantizer and `Dequantize` (itself checked bit-exactly against
/// PyPI `gguf`) with the fast kernels, so every integer inner loop is checked independently.
/// Fast kernels agree with it to F32 rounding: |fast − ref| ≤ 2e-5 · Σ_c |w_c · x_c| + 1e-6 (the
/// F32 accumulation order differs). Slow and allocating: for tests and tools only.
public enum MatMulReference {
    package static func matmul(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int) -> [Float] {
        let columns = w.columns
        let activations = effectiveActivations(
            x, columns: columns, tokens: tokens, format: ActivationFormat.for(w.type))
        var out = [Float](repeating: 0, count: tokens * w.rows)
        var row = [Float](repeating: 0, count: columns)
        for r in 0..<w.rows {
            row.withUnsafeMutableBufferPointer { buffer in
                if let p = buffer.baseAddress { w.dequantizeRow(r, into: p) }
            }
            for t in 0..<tokens {
                var sum: Double = 0
                for c in 0..<columns { sum += Double(row[c]) * Double(activations[t * columns + c]) }
                if w.type == .q4_1 || w.type == .q5_1 {
                    sum += q8_1SumRounding(w, row: r, activations[(t * columns)...], x + t * columns)
                }
                out[t * w.rows + r] = Float(sum)
            }
        }
        return out
    }

    /// Q4_1/Q5_1's minimum term m·s uses llama.cpp's `block_q8_1.s`: F16(d · Σq), with d =
    /// amax / 127 before d itself is rounded to F16, where the effective activations sum to
    /// F16(d) · Σq. Returns Σ_blocks m · (s − F16(d) · Σq).
    static func q8_1SumRounding(
        _ w: WeightMatrix, row r: Int, _ activations: ArraySlice<Float>,
        _ x: UnsafePointer<Float>
    ) -> Double {
        var correction: Double = 0
        let start = activations.startIndex
        let layout =
            w.type == .q4_1 ? (bytes: BlockQ4_1.bytes, m: BlockQ4_1.m) : (bytes: BlockQ5_1.bytes, m: BlockQ5_1.m)
        for b in 0..<(w.columns / 32) {
            var blockSum: Double = 0
            var amax: Float = 0
            for c in (32 * b)..<(32 * b + 32) {
                blockSum += Double(activations[start + c])
                amax = max(amax, abs(x[c]))
            }
            let d = amax / 127
            let roundedD = HalfPrecision.roundedToF16(d)
            let codeSum = roundedD == 0 ? 0 : (blockSum / Double(roundedD)).rounded()
            let s = HalfPrecision.roundedToF16(d * Float(codeSum))
            let m = w.row(r).advanced(by: b * layout.bytes).f16(at: layout.m)
            correction += Double(m) * (Double(s) - blockSum)
        }
        return correction
    }

    /// Σ_c |w_c · x_c| per output, the scale of the rounding error of a dot product.
    package static func magnitudes(_ w: WeightMatrix, _ x: UnsafePointer<Float>, tokens: Int) -> [Float] {
        let columns = w.columns
        var out = [Float](repeating: 0, count: tokens * w.rows)
        var row = [Float](repeating: 0, count: columns)
        for r in 0..<w.rows {
            row.withUnsafeMutableBufferPointer { buffer in
                if let p = buffer.baseAddress { w.dequantizeRow(r, into: p) }
            }
            for t in 0..<tokens {
                var sum: Double = 0
                for c in 0..<columns { sum += abs(Double(row[c]) * Double(x[t * columns + c])) }
                out[t * w.rows + r] = Float(sum)
            }
        }
        return out
    }

    /// The activation values the kernels of `format` multiply with: x itself for `.float`,
    /// else `scale · code` of the quantized encoding.
    package static func effectiveActivations(
        _ x: UnsafePointer<Float>, columns: Int, tokens: Int, format: ActivationFormat
    ) -> [Float] {
        var result = [Float](repeating: 0, count: tokens * columns)
        var codes = [Int8](repeating: 0, count: columns)
        var scales = [Float](repeating: 0, count: columns / 32 + 1)
        var sums = [Float](repeating: 0, count: columns / 32 + 1)
        var blockSums = [Int16](repeating: 0, count: columns / 16 + 1)
        for t in 0..<tokens {
            let row = x + t * columns
            switch format {
            case .float:
                for c in 0..<columns { result[t * columns + c] = row[c] }
                continue
            case .q8_0, .q8_1:
                ActivationQuantizer.scalarQ8_0(row, columns: columns, codes: &codes, scales: &scales, sums: &sums)
            case .q8_K:
                ActivationQuantizer.scalarQ8_K(
                    row, columns: columns, codes: &codes, scales: &scales, blockSums: &blockSums)
            }
            let block = format.blockSize
            for c in 0..<columns {
                result[t * columns + c] = scales[c / block] * Float(codes[c])
            }
        }
        return result
    }
}
