/// The vectorized e^x that llama.cpp's AVX2 build uses in SiLU, so SwiGLU rounds as it does.
///
/// ggml adapts Arm's optimized-routines `expf`: x = n·ln2 + b with n = round(x·log2 e) found by
/// the 1.5·2^23 shift trick, ln2 split in two for an exact reduction, and a degree-5 polynomial
/// in b evaluated as two interleaved FMA chains; the scale 2^n is built in the exponent bits
/// (max error 1.45 ulp + 0.5). The FFN's activations pass through it 1536 times per layer, and
/// SmolLM2's logits are sensitive enough to tenths of an ulp there that matching llama.cpp needs
/// the same function, not merely an equally accurate one (`VectorMath.exp`).
extension VectorMath {
    @inline(__always)
    public static func expArmStyle(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let shift = SIMD8<Float>(repeating: 0x1.8p23)
        let z = shift.addingProduct(x, SIMD8(repeating: 0x1.715476p+0))
        let n = z - shift
        let b = x.addingProduct(-n, SIMD8(repeating: 0x1.62e4p-1)).addingProduct(-n, SIMD8(repeating: 0x1.7f7d1cp-20))
        let zBits = unsafeBitCast(z, to: SIMD8<UInt32>.self)
        let e = zBits &<< 23
        let k = unsafeBitCast(e &+ (1 as Float).bitPattern, to: SIMD8<Float>.self)
        let u = b * b
        let high = SIMD8<Float>(repeating: 0x1.573e2ep-5).addingProduct(SIMD8(repeating: 0x1.0e4020p-7), b)
        let low = SIMD8<Float>(repeating: 0x1.fffdb6p-2).addingProduct(SIMD8(repeating: 0x1.555e66p-3), b)
        let j = (b * SIMD8(repeating: 0x1.ffffecp-1)).addingProduct(low.addingProduct(high, u), u)
        // |n| compared as integers (the order of non-negative floats), tested with one movemask.
        let magnitude = unsafeBitCast(n, to: SIMD8<Int32>.self) & 0x7fff_ffff
        let large: SIMDMask<SIMD8<Int32>> = magnitude .> SIMD8<Int32>(repeating: 0x42fc_0000) // 126
        let scaled = k.addingProduct(j, k)
        guard any(large) else { return scaled }
        // |n| > 126: 2^n is split into two factors so neither overflows or goes subnormal; past
        // 192 the result is 0 or +inf.
        let g = SIMD8<UInt32>(repeating: 0x8200_0000).replacing(with: 0, where: .!(n .<= 0))
        let s1 = unsafeBitCast(g &+ 0x7f00_0000, to: SIMD8<Float>.self)
        let s2 = unsafeBitCast(e &- g, to: SIMD8<Float>.self)
        let split = s2.addingProduct(s2, j) * s1
        let huge: SIMDMask<SIMD8<Int32>> = magnitude .> SIMD8<Int32>(repeating: 0x4340_0000) // 192
        return scaled.replacing(with: split, where: large).replacing(with: s1 * s1, where: huge)
    }
}
