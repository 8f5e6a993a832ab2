#if arch(x86_64)
import _Builtin_intrinsics.intel

/// AVX2 dot products of K-quant super-blocks with Q8_K activations.
///
/// The sub-block scales are small integers, so they are applied in the integer domain: the
/// `madd` that widens `maddubs`' pair sums to Int32 multiplies by the scale instead of by one.
/// A super-block thus costs one conversion and one FMA; the minimum (Q4_K) and the −32 offset
/// (Q6_K) are folded in with Q8_K's precomputed 16-element code sums.
extension AVX2Dot {
    static func q4_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc = __m256()
        var minimums: Float = 0
        let low4 = _mm256_set1_epi8(0x0f)
        for b in 0..<blocks {
            let block = w + b * BlockQ4_K.bytes
            let codes = a.codes + 256 * b
            let sums = a.blockSums + 16 * b
            let (d, dmin) = AVX2.halfPair(block)
            let (scales, mins) = unpackScaleMin(block + BlockQ4_K.scales)
            let minSum = AVX2.dotBytesShorts16(AVX2.eachByteTwice(mins), sums)
            var total = __m256i()
            for p in 0..<4 {
                let packed = AVX2.load32(block + BlockQ4_K.qs + 32 * p)
                let low = _mm256_and_si256(packed, low4)
                let high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low4)
                let scaleLow = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p)) & 0xff))
                let scaleHigh = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p + 8)) & 0xff))
                let p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(low, AVX2.load32(codes + 64 * p)), scaleLow)
                let p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(high, AVX2.load32(codes + 64 * p + 32)), scaleHigh)
                total = _mm256_add_epi32(total, _mm256_add_epi32(p0, p1))
            }
            let da = a.scales[b]
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total), _mm256_set1_ps(d * da), acc)
            minimums += dmin * da * Float(minSum)
        }
        return acc.sum() - minimums
    }

    /// Q4_K/Q5_K's eight 6-bit scales and eight 6-bit minimums, one per byte of each result
    /// (sub-block j in byte j), unpacked with 32-bit word operations.
    @inline(__always)
    static func unpackScaleMin(_ p: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
        let w0 = p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        let w1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let w2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let low6: UInt32 = 0x3f3f_3f3f, low4: UInt32 = 0x0f0f_0f0f, low2: UInt32 = 0x0303_0303
        let scalesLow = w0 & low6
        let scalesHigh = (w2 & low4) | (((w0 >> 6) & low2) << 4)
        let minsLow = w1 & low6
        let minsHigh = ((w2 >> 4) & low4) | (((w1 >> 6) & low2) << 4)
        return (UInt64(scalesLow) | UInt64(scalesHigh) << 32, UInt64(minsLow) | UInt64(minsHigh) << 32)
    }

    static func q6_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc = __m256()
        var offsets: Float = 0
        let low4 = _mm256_set1_epi8(0x0f), bits45 = _mm256_set1_epi8(0x30)
        // Byte shuffle that repeats scale bytes (2k, 2k+1) eight times each.
        let pairBase = _mm_set_epi64x(0x0101_0101_0101_0101, 0)
        for b in 0..<blocks {
            let block = w + b * BlockQ6_K.bytes
            let codes = a.codes + 256 * b
            let sums = a.blockSums + 16 * b
            let scaleBytes = AVX2.load16(block + BlockQ6_K.scales)
            let offsetSum = AVX2.dotBytesShorts16(AVX2.load16(block + BlockQ6_K.scales), sums)
            var total = __m256i()
            for h in 0..<2 {
                let ql0 = AVX2.load32(block + BlockQ6_K.ql + 64 * h)
                let ql1 = AVX2.load32(block + BlockQ6_K.ql + 64 * h + 32)
                let qh = AVX2.load32(block + BlockQ6_K.qh + 32 * h)
                @inline(__always) func add(_ q: __m256i, _ s: Int) {
                    let pair = 4 * h + s
                    let select = _mm_add_epi8(pairBase, _mm_set1_epi8(Int8(2 * pair)))
                    let scales = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scaleBytes, select))
                    let products = _mm256_maddubs_epi16(q, AVX2.load32(codes + 128 * h + 32 * s))
                    total = _mm256_add_epi32(total, _mm256_madd_epi16(products, scales))
                }
                add(_mm256_or_si256(_mm256_and_si256(ql0, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45)), 0)
                add(_mm256_or_si256(_mm256_and_si256(ql1, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45)), 1)
                add(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4), _mm256_and_si256(qh, bits45)), 2)
                add(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4), _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45)), 3)
            }
            let d = _mm256_mul_ps(AVX2.halfBroadcast8(block + BlockQ6_K.d), _mm256_set1_ps(a.scales[b]))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total), d, acc)
            offsets += d[0] * Float(32 * offsetSum)
        }
        return acc.sum() - offsets
    }
}
#endif
