/// Quantizes F32 activation rows to 8-bit codes with per-block scales, with llama.cpp's rounding.
///
/// Layout (structure of arrays, one row of `columns` per token): `codes[c]` Int8;
/// `scales[b]` F32 per block; for Q8_1 `sums[b] = scales[b] · Σ codes` per 32-block; for Q8_K
/// `blockSums[i] = Σ codes` per 16 elements. Keeping scales as F32 (already rounded to F16 for
/// Q8_0/Q8_1, as llama.cpp stores them) saves a conversion in every block of every dot product.
///
/// Rounding follows llama.cpp's AVX2 build, the reference this engine is compared with:
/// Q8_0/Q8_1: `d = amax / 127`, `q = roundEven(x · (127 / amax))`, `d` stored as F16.
/// Q8_K: `iscale = −127 / max` (max = the signed element of largest magnitude),
/// `q = min(127, roundEven(iscale · x))`, `d = 1 / iscale` kept in F32.
enum ActivationQuantizer {
    /// Quantizes one row in Q8_0 (or Q8_1 when `sums` is non-nil) format: AVX2 on x86.
    static func quantizeQ8_0(
        _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
        scales: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>?
    ) {
        #if arch(x86_64)
            AVX2Quantizer.quantizeQ8_0(x, columns: columns, codes: codes, scales: scales, sums: sums)
        #else
            scalarQ8_0(x, columns: columns, codes: codes, scales: scales, sums: sums)
        #endif
    }

    /// Quantizes one row (a multiple of 256) in Q8_K format: AVX2 on x86.
    static func quantizeQ8_K(
        _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
        scales: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Int16>
    ) {
        #if arch(x86_64)
            AVX2Quantizer.quantizeQ8_K(x, columns: columns, codes: codes, scales: scales, blockSums: blockSums)
        #else
            scalarQ8_K(x, columns: columns, codes: codes, scales: scales, blockSums: blockSums)
        #endif
    }

    /// The scalar reference for Q8_0/Q8_1.
    static func scalarQ8_0(
        _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
        scales: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>?
    ) {
        precondition(columns % 32 == 0)
        for b in 0..<(columns / 32) {
            let block = x + 32 * b
            var amax: Float = 0
            for j in 0..<32 { amax = max(amax, abs(block[j])) }
            let d = amax / 127
            let id: Float = amax != 0 ? 127 / amax : 0
            var sum: Int32 = 0
            for j in 0..<32 {
                let q = Int8((block[j] * id).rounded(.toNearestOrEven))
                codes[32 * b + j] = q
                sum += Int32(q)
            }
            scales[b] = HalfPrecision.roundedToF16(d)
            sums?[b] = d * Float(sum) // llama.cpp's Q8_1 sum uses d before its rounding to F16
        }
    }

    /// The scalar reference for Q8_K.
    static func scalarQ8_K(
        _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
        scales: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Int16>
    ) {
        precondition(columns % 256 == 0)
        for b in 0..<(columns / 256) {
            let block = x + 256 * b
            let q = codes + 256 * b
            var amax: Float = 0
            var signedMax: Float = 0
            for j in 0..<256 where abs(block[j]) > amax {
                amax = abs(block[j])
                signedMax = block[j]
            }
            if amax == 0 {
                scales[b] = 0
                for j in 0..<256 { q[j] = 0 }
            } else {
                let iscale = -127 / signedMax
                for j in 0..<256 {
                    q[j] = Int8(min(127, (iscale * block[j]).rounded(.toNearestOrEven)))
                }
                scales[b] = 1 / iscale
            }
            for i in 0..<16 {
                var sum: Int16 = 0
                for j in 0..<16 { sum += Int16(q[16 * i + j]) }
                blockSums[16 * b + i] = sum
            }
        }
    }
}
