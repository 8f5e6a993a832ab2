#if arch(x86_64)
import _Builtin_intrinsics.intel

/// AVX2 dot products of 32-element weight blocks with 8-bit activations.
///
/// Per block: unpack the weight codes to 32 bytes, `maddubs` (u8 × s8 → pairs of i16),
/// `madd` with ones (→ 8 × i32), convert, and fuse-multiply-add with the block's scale product
/// into a float accumulator. Two accumulators alternate so consecutive FMAs do not wait on
/// each other; the horizontal sum happens once per row.
enum AVX2Dot {
    static func q4_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256(), acc1 = __m256()
        var minimums: Float = 0
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ4_1.bytes
            let (d, m) = AVX2.halfPair(block)
            let products = AVX2.dotUnsignedSigned(AVX2.nibbles(block + BlockQ4_1.qs), AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
            minimums += m * a.sums[b]
        }
        var b = 0
        while b + 2 <= blocks {
            block(b, &acc0)
            block(b + 1, &acc1)
            b += 2
        }
        if b < blocks { block(b, &acc0) }
        return (acc0 + acc1).sum() + minimums
    }

    static func q8_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256(), acc1 = __m256()
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ8_0.bytes
            let d = block.f16(at: BlockQ8_0.d)
            let products = AVX2.dotSignedSigned(AVX2.load32(block + BlockQ8_0.qs), AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
        }
        var b = 0
        while b + 2 <= blocks {
            block(b, &acc0)
            block(b + 1, &acc1)
            b += 2
        }
        if b < blocks { block(b, &acc0) }
        return (acc0 + acc1).sum()
    }

    static func q4_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256(), acc1 = __m256()
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ4_0.bytes
            let d = block.f16(at: BlockQ4_0.d)
            let codes = _mm256_sub_epi8(AVX2.nibbles(block + BlockQ4_0.qs), _mm256_set1_epi8(8))
            let products = AVX2.dotSignedSigned(codes, AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
        }
        var b = 0
        while b + 2 <= blocks {
            block(b, &acc0)
            block(b + 1, &acc1)
            b += 2
        }
        if b < blocks { block(b, &acc0) }
        return (acc0 + acc1).sum()
    }

    static func q5_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256(), acc1 = __m256()
        @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
            let block = w + b * BlockQ5_0.bytes
            let d = block.f16(at: BlockQ5_0.d)
            // q − 16: a clear fifth bit means the low nibble minus 16, i.e. the nibble | 0xF0.
            let high = AVX2.bitsToBytes(block.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self))
            let codes = _mm256_or_si256(AVX2.nibbles(block + BlockQ5_0.qs), _mm256_andnot_si256(high, _mm256_set1_epi8(-16)))
            let products = AVX2.dotSignedSigned(codes, AVX2.load32(a.codes + 32 * b))
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
        }
        var b = 0
        while b + 2 <= blocks {
            block(b, &acc0)
            block(b + 1, &acc1)
            b += 2
        }
        if b < blocks { block(b, &acc0) }
        return (acc0 + acc1).sum()
    }

    static func q5_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var acc0 = __m256(), acc1 = __m256()
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
        var b = 0
        while b + 2 <= blocks {
            block(b, &acc0)
            block(b + 1, &acc1)
            b += 2
        }
        if b < blocks { block(b, &acc0) }
        return (acc0 + acc1).sum() + minimums
    }
}
#endif
