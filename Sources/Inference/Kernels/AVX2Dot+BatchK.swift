#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Four-token K-quant kernels for batched prefill (see `AVX2Dot+KQuants.swift` for the
/// one-token versions and the arithmetic): the codes and scales of each super-block are
/// unpacked once and used for four tokens.
extension AVX2Dot {
    static func q4_Kx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
        var acc0 = __m256(), acc1 = __m256(), acc2 = __m256(), acc3 = __m256()
        var minimums = SIMD4<Float>()
        let low4 = _mm256_set1_epi8(0x0f)
        for b in 0..<blocks {
            let block = w + b * BlockQ4_K.bytes
            let (d, dmin) = AVX2.halfPair(block)
            let (scales, mins) = unpackScaleMin(block + BlockQ4_K.scales)
            var total0 = __m256i(), total1 = __m256i(), total2 = __m256i(), total3 = __m256i()
            for p in 0..<4 {
                let packed = AVX2.load32(block + BlockQ4_K.qs + 32 * p)
                let low = _mm256_and_si256(packed, low4)
                let high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low4)
                let scaleLow = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p)) & 0xff))
                let scaleHigh = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p + 8)) & 0xff))
                @inline(__always) func add(_ row: ActivationRow, _ total: inout __m256i) {
                    let codes = row.codes + 256 * b + 64 * p
                    let p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(low, AVX2.load32(codes)), scaleLow)
                    let p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(high, AVX2.load32(codes + 32)), scaleHigh)
                    total = _mm256_add_epi32(total, _mm256_add_epi32(p0, p1))
                }
                add(a.0, &total0)
                add(a.1, &total1)
                add(a.2, &total2)
                add(a.3, &total3)
            }
            let minBytes = AVX2.eachByteTwice(mins)
            @inline(__always) func minSum(_ row: ActivationRow) -> Float {
                Float(AVX2.dotBytesShorts16(minBytes, row.blockSums + 16 * b))
            }
            let da = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
            let dd = d * da
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total0), _mm256_set1_ps(dd[0]), acc0)
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total1), _mm256_set1_ps(dd[1]), acc1)
            acc2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total2), _mm256_set1_ps(dd[2]), acc2)
            acc3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total3), _mm256_set1_ps(dd[3]), acc3)
            minimums += dmin * da * SIMD4(minSum(a.0), minSum(a.1), minSum(a.2), minSum(a.3))
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) - minimums
    }

    static func q6_Kx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
        var acc0 = __m256(), acc1 = __m256(), acc2 = __m256(), acc3 = __m256()
        var offsets = SIMD4<Float>()
        let low4 = _mm256_set1_epi8(0x0f), bits45 = _mm256_set1_epi8(0x30)
        let pairBase = _mm_set_epi64x(0x0101_0101_0101_0101, 0)
        for b in 0..<blocks {
            let block = w + b * BlockQ6_K.bytes
            let scaleBytes = AVX2.load16(block + BlockQ6_K.scales)
            var total0 = __m256i(), total1 = __m256i(), total2 = __m256i(), total3 = __m256i()
            for h in 0..<2 {
                let ql0 = AVX2.load32(block + BlockQ6_K.ql + 64 * h)
                let ql1 = AVX2.load32(block + BlockQ6_K.ql + 64 * h + 32)
                let qh = AVX2.load32(block + BlockQ6_K.qh + 32 * h)
                @inline(__always) func add(_ q: __m256i, _ s: Int) {
                    let select = _mm_add_epi8(pairBase, _mm_set1_epi8(Int8(2 * (4 * h + s))))
                    let scales = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scaleBytes, select))
                    let offset = 256 * b + 128 * h + 32 * s
                    total0 = _mm256_add_epi32(total0, _mm256_madd_epi16(_mm256_maddubs_epi16(q, AVX2.load32(a.0.codes + offset)), scales))
                    total1 = _mm256_add_epi32(total1, _mm256_madd_epi16(_mm256_maddubs_epi16(q, AVX2.load32(a.1.codes + offset)), scales))
                    total2 = _mm256_add_epi32(total2, _mm256_madd_epi16(_mm256_maddubs_epi16(q, AVX2.load32(a.2.codes + offset)), scales))
                    total3 = _mm256_add_epi32(total3, _mm256_madd_epi16(_mm256_maddubs_epi16(q, AVX2.load32(a.3.codes + offset)), scales))
                }
                add(_mm256_or_si256(_mm256_and_si256(ql0, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45)), 0)
                add(_mm256_or_si256(_mm256_and_si256(ql1, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45)), 1)
                add(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4), _mm256_and_si256(qh, bits45)), 2)
                add(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4), _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45)), 3)
            }
            @inline(__always) func offsetSum(_ row: ActivationRow) -> Float {
                Float(32 * AVX2.dotBytesShorts16(AVX2.load16(block + BlockQ6_K.scales), row.blockSums + 16 * b))
            }
            let dd = AVX2.halfBroadcast4(block + BlockQ6_K.d) * SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total0), _mm256_set1_ps(dd[0]), acc0)
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total1), _mm256_set1_ps(dd[1]), acc1)
            acc2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total2), _mm256_set1_ps(dd[2]), acc2)
            acc3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(total3), _mm256_set1_ps(dd[3]), acc3)
            offsets += dd * SIMD4(offsetSum(a.0), offsetSum(a.1), offsetSum(a.2), offsetSum(a.3))
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) - offsets
    }
}
#endif
