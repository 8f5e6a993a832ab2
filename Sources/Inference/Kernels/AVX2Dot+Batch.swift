#if arch(x86_64)
import _Builtin_intrinsics.intel

/// Four-token versions of the AVX2 kernels for batched prefill: each weight block is unpacked
/// once and multiplied with four tokens' activations, which removes most of the per-block
/// unpacking and scale work of calling the one-token kernel four times.
extension AVX2Dot {
    /// Four activation rows (tokens t..t+3).
    typealias Tokens4 = (ActivationRow, ActivationRow, ActivationRow, ActivationRow)

    /// One token's share of a block: integer pair sums, scaled and accumulated.
    @inline(__always)
    private static func fold(_ products: __m256i, _ scale: Float, _ acc: inout __m256) {
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(scale), acc)
    }

    /// The same with the scale already in every lane (see `AVX2.halfBroadcast8`).
    @inline(__always)
    private static func fold(_ products: __m256i, _ scale: __m256, _ acc: inout __m256) {
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), scale, acc)
    }

    static func q4_1x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
        var acc0 = __m256(), acc1 = __m256(), acc2 = __m256(), acc3 = __m256()
        var minimums = SIMD4<Float>()
        for b in 0..<blocks {
            let block = w + b * BlockQ4_1.bytes
            let (d, m) = AVX2.halfPair(block)
            let q = AVX2.nibbles(block + BlockQ4_1.qs)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.0.codes + 32 * b)), d * a.0.scales[b], &acc0)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.1.codes + 32 * b)), d * a.1.scales[b], &acc1)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.2.codes + 32 * b)), d * a.2.scales[b], &acc2)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.3.codes + 32 * b)), d * a.3.scales[b], &acc3)
            minimums += m * SIMD4(a.0.pairs[2 * b + 1], a.1.pairs[2 * b + 1], a.2.pairs[2 * b + 1], a.3.pairs[2 * b + 1])
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) + minimums
    }

    static func q8_0x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
        var acc0 = __m256(), acc1 = __m256(), acc2 = __m256(), acc3 = __m256()
        for b in 0..<blocks {
            let block = w + b * BlockQ8_0.bytes
            let d = AVX2.halfBroadcast8(block + BlockQ8_0.d)
            let x = AVX2.load32(block + BlockQ8_0.qs)
            let magnitude = _mm256_sign_epi8(x, x)
            @inline(__always) func signed(_ row: ActivationRow) -> __m256i {
                AVX2.dotUnsignedSigned(magnitude, _mm256_sign_epi8(AVX2.load32(row.codes + 32 * b), x))
            }
            fold(signed(a.0), _mm256_mul_ps(d, _mm256_set1_ps(a.0.scales[b])), &acc0)
            fold(signed(a.1), _mm256_mul_ps(d, _mm256_set1_ps(a.1.scales[b])), &acc1)
            fold(signed(a.2), _mm256_mul_ps(d, _mm256_set1_ps(a.2.scales[b])), &acc2)
            fold(signed(a.3), _mm256_mul_ps(d, _mm256_set1_ps(a.3.scales[b])), &acc3)
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum())
    }

    /// Q5_0 · Q8_1 for four tokens (unsigned codes, −16 through the block sums).
    static func q5_0x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
        var acc0 = __m256(), acc1 = __m256(), acc2 = __m256(), acc3 = __m256()
        var offsets = SIMD4<Float>()
        for b in 0..<blocks {
            let block = w + b * BlockQ5_0.bytes
            let d = AVX2.halfBroadcast8(block + BlockQ5_0.d)
            let high = AVX2.bitsToBytes(block.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self))
            let q = _mm256_or_si256(AVX2.nibbles(block + BlockQ5_0.qs), _mm256_and_si256(high, _mm256_set1_epi8(0x10)))
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.0.codes + 32 * b)), _mm256_mul_ps(d, _mm256_set1_ps(a.0.scales[b])), &acc0)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.1.codes + 32 * b)), _mm256_mul_ps(d, _mm256_set1_ps(a.1.scales[b])), &acc1)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.2.codes + 32 * b)), _mm256_mul_ps(d, _mm256_set1_ps(a.2.scales[b])), &acc2)
            fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.3.codes + 32 * b)), _mm256_mul_ps(d, _mm256_set1_ps(a.3.scales[b])), &acc3)
            offsets += d[0] * SIMD4(a.0.sums[b], a.1.sums[b], a.2.sums[b], a.3.sums[b])
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) - 16 * offsets
    }
}
#endif
