#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// GELU (tanh approximation) as llama.cpp's CPU build computes it for the feed-forward gate
/// (`GGML_GELU_FP16`): the input rounded to F16, looked up in a table of `gelu(x)` rounded to F16,
/// with `x ≤ −10 → 0` and `x ≥ 10 → x`. Emulated exactly so Gemma's FFN rounds as llama.cpp's.
///
/// Kept with the model rather than in `Kernels/`: it is one model family's activation, and a
/// table, not a SIMD kernel.
enum GeluTable {
    /// `f16(gelu(f32(h)))` widened to F32, for every F16 bit pattern `h` (256 KB, built once).
    static let values: [Float] = (0..<65_536).map { bits in
        let x = HalfPrecision.f16ToF32(UInt16(bits))
        return HalfPrecision.f16ToF32(HalfPrecision.f32ToF16(gelu(x)))
    }

    /// ggml's `ggml_gelu_f32`: `0.5·x·(1 + tanh(√(2/π)·x·(1 + 0.044715·x²)))` in F32.
    static func gelu(_ x: Float) -> Float {
        let sqrt2OverPi: Float = 0.79788456080286535587989211986876
        let coefficientA: Float = 0.044715
        return 0.5 * x * (1 + tanhf(sqrt2OverPi * x * (1 + coefficientA * x * x)))
    }

    /// `out[i] = gelu(gate[i]) · up[i]` (GeGLU) over `count` elements, as ggml's `ggml_vec_geglu_f32`.
    static func geglu(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        values.withUnsafeBufferPointer { table in
            VectorMath.tableGeglu(
                gate: gate, up: up, table: table.baseAddress.unsafelyUnwrapped, into: out, count: count)
        }
    }
}
