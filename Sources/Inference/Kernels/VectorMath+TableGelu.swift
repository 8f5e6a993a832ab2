#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch
#endif

extension VectorMath {
    /// `out[i] = g(gate[i]) · up[i]` where g(x) is 0 for x ≤ −10, x for x ≥ 10, and otherwise
    /// `table[f16(x)]` (x rounded to F16, nearest even, its bits the index): llama.cpp's GeGLU
    /// with its F16 GELU table (`GeluTable` holds the table; `Reference.tableGeglu` is the scalar
    /// form the tests compare).
    ///
    /// Why vectorized: one element at a time (convert, look up, two compares) this was 3% of a
    /// Gemma 3 prompt. Eight lanes convert with `vcvtps2ph` and look up with one gather; every
    /// lane's result is the scalar form's bit for bit (the lower bound is applied after the product,
    /// so x ≤ −10 gives +0 as there).
    package static func tableGeglu(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, table: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        #if arch(x86_64) && !os(macOS) // no Float16 on Intel macOS
            let low = SIMD8<Float>(repeating: -10)
            let high = SIMD8<Float>(repeating: 10)
            while i + 8 <= count {
                let x = load8(gate + i)
                let halves = SIMD8<Float16>(x) // vcvtps2ph, nearest even
                let index = SIMD8<Int32>(truncatingIfNeeded: unsafeBitCast(halves, to: SIMD8<UInt16>.self))
                let looked = parley_gather8(table, unsafeBitCast(index, to: __m256i.self))
                let product = looked.replacing(with: x, where: x .>= high) * load8(up + i)
                store8(product.replacing(with: 0, where: x .<= low), out + i)
                i += 8
            }
        #endif
        while i < count {
            let x = gate[i]
            out[i] = x <= -10 ? 0 : (x >= 10 ? x : table[Int(HalfPrecision.f32ToF16(x))]) * up[i]
            i += 1
        }
    }
}
