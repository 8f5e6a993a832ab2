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
            return AVX2.hsum(acc0) + minimums[1]
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
            return AVX2.hsum(acc0)
        }

        /// Q4_0 · Q8_0 as llama.cpp computes it: codes made signed (q − 8) before the product, so
        /// each lane holds the exact integer llama.cpp's does.
        static func q4_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var acc0 = __m256()
            @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
                let block = w + b * BlockQ4_0.bytes
                let d8 = AVX2.halfBroadcast8(block + BlockQ4_0.d)
                let codes = _mm256_sub_epi8(AVX2.nibbles(block + BlockQ4_0.qs), _mm256_set1_epi8(8))
                let products = AVX2.dotSignedSigned(codes, AVX2.load32(a.codes + 32 * b))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            }
            for b in 0..<blocks { block(b, &acc0) }
            return AVX2.hsum(acc0)
        }

        /// Q5_0 · Q8_0 as llama.cpp computes it: five-bit codes made signed (q − 16).
        static func q5_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var acc0 = __m256()
            @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
                let block = w + b * BlockQ5_0.bytes
                let d8 = AVX2.halfBroadcast8(block + BlockQ5_0.d)
                let products = AVX2.dotSignedSigned(
                    AVX2.signedQ5(block + BlockQ5_0.qs, qh: block + BlockQ5_0.qh),
                    AVX2.load32(a.codes + 32 * b))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            }
            for b in 0..<blocks { block(b, &acc0) }
            return AVX2.hsum(acc0)
        }

        static func q5_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var acc0 = __m256()
            var minimums: Float = 0
            @inline(__always) func block(_ b: Int, _ acc: inout __m256) {
                let block = w + b * BlockQ5_1.bytes
                let (d, m) = AVX2.halfPair(block)
                let high = AVX2.bitsToBytes(block.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self))
                let codes = _mm256_or_si256(
                    AVX2.nibbles(block + BlockQ5_1.qs), _mm256_and_si256(high, _mm256_set1_epi8(0x10)))
                let products = AVX2.dotUnsignedSigned(codes, AVX2.load32(a.codes + 32 * b))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
                minimums += m * a.pairs[2 * b + 1]
            }
            for b in 0..<blocks { block(b, &acc0) }
            return AVX2.hsum(acc0) + minimums
        }
    }
#endif
