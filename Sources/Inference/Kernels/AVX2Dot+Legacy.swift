#if arch(x86_64)
import _Builtin_intrinsics.intel

/// AVX2 dot products of 32-element weight blocks with 8-bit activations.
///
/// Per block: unpack the weight codes to 32 bytes, `maddubs` (u8 × s8 → pairs of i16),
/// `madd` with ones (→ 8 × i32), convert, and fuse-multiply-add with the block's scale product
/// into a float accumulator; the horizontal sum happens once per row. One accumulator, blocks in
/// order: exactly the arithmetic of the four-token kernels (`AVX2Dot+Batch.swift`), so a token's
/// result does not depend on whether it was evaluated alone or in a batch (prefill and decoding
/// agree bit for bit, which keeps KV-cache reuse reproducible).
enum AVX2Dot {
    /// Q4_1 · Q8_1. Per block, one multiply of the F16 pair (d, m) by the activation pair
    /// (d_a, s_a) gives both the FMA scale d·d_a and the minimum term m·s_a.
    static func q4_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256()
        var minimums = __m128()
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ4_1.bytes
            let scales = _mm_mul_ps(AVX2.halfPairVector(block), AVX2.floatPair(a.pairs + 2 * b))
            let products = AVX2.dotUnsignedSigned(AVX2.nibbles(block + BlockQ4_1.qs), AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_broadcastss_ps(scales), acc)
            minimums = _mm_add_ps(minimums, scales)
        }
        for b in 0..<blocks { block(b, &acc0) }
        return acc0.sum() + minimums[1]
    }

    static func q8_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256()
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ8_0.bytes
            let d = AVX2.halfBroadcast8(block + BlockQ8_0.d)
            let products = AVX2.dotSignedSigned(AVX2.load32(block + BlockQ8_0.qs), AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d, _mm256_set1_ps(a.scales[b])), acc)
        }
        for b in 0..<blocks { block(b, &acc0) }
        return acc0.sum()
    }

    /// Q4_0 · Q8_1: codes are used unsigned (0...15) and the −8 offset is applied once per
    /// block through the activation block sum: Σ (q − 8)·a = Σ q·a − 8·Σ a.
    static func q4_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256()
        var offsets: Float = 0
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ4_0.bytes
            let d8 = AVX2.halfBroadcast8(block + BlockQ4_0.d)
            let products = AVX2.dotUnsignedSigned(AVX2.nibbles(block + BlockQ4_0.qs), AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            offsets += d8[0] * a.sums[b]
        }
        for b in 0..<blocks { block(b, &acc0) }
        return acc0.sum() - 8 * offsets
    }

    /// Q5_0 · Q8_1: five-bit codes used unsigned (0...31), −16 offset via the block sum.
    static func q5_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256()
        var offsets: Float = 0
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ5_0.bytes
            let d8 = AVX2.halfBroadcast8(block + BlockQ5_0.d)
            let high = AVX2.bitsToBytes(block.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self))
            let codes = _mm256_or_si256(AVX2.nibbles(block + BlockQ5_0.qs), _mm256_and_si256(high, _mm256_set1_epi8(0x10)))
            let products = AVX2.dotUnsignedSigned(codes, AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            offsets += d8[0] * a.sums[b]
        }
        for b in 0..<blocks { block(b, &acc0) }
        return acc0.sum() - 16 * offsets
    }

    static func q5_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256()
        var minimums: Float = 0
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ5_1.bytes
            let (d, m) = AVX2.halfPair(block)
            let high = AVX2.bitsToBytes(block.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self))
            let codes = _mm256_or_si256(AVX2.nibbles(block + BlockQ5_1.qs), _mm256_and_si256(high, _mm256_set1_epi8(0x10)))
            let products = AVX2.dotUnsignedSigned(codes, AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
            minimums += m * a.sums[b]
        }
        for b in 0..<blocks { block(b, &acc0) }
        return acc0.sum() + minimums
    }
}
#endif
