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

        /// The same with the scale already in every lane (see `AVX2.halfBroadcast8`); the tiles
        /// (`AVX2Dot+Tiles.swift`) fold with it too.
        @inline(__always)
        static func fold(_ products: __m256i, _ scale: __m256, _ acc: inout __m256) {
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), scale, acc)
        }

        static func q4_1x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            var acc0 = __m256()
            var acc1 = __m256()
            var acc2 = __m256()
            var acc3 = __m256()
            var minimums = SIMD4<Float>()
            for b in 0..<blocks {
                let block = w + b * BlockQ4_1.bytes
                let (d, m) = AVX2.halfPair(block)
                let q = AVX2.nibbles(block + BlockQ4_1.qs)
                fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.0.codes + 32 * b)), d * a.0.scales[b], &acc0)
                fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.1.codes + 32 * b)), d * a.1.scales[b], &acc1)
                fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.2.codes + 32 * b)), d * a.2.scales[b], &acc2)
                fold(AVX2.dotUnsignedSigned(q, AVX2.load32(a.3.codes + 32 * b)), d * a.3.scales[b], &acc3)
                minimums +=
                    m * SIMD4(a.0.pairs[2 * b + 1], a.1.pairs[2 * b + 1], a.2.pairs[2 * b + 1], a.3.pairs[2 * b + 1])
            }
            return SIMD4(AVX2.hsum(acc0), AVX2.hsum(acc1), AVX2.hsum(acc2), AVX2.hsum(acc3)) + minimums
        }

        static func q8_0x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            signedBlocksx4(w, a, blocks, blockBytes: BlockQ8_0.bytes) { AVX2.load32($0 + BlockQ8_0.qs) }
        }

        /// Q5_0 · Q8_0 for four tokens (signed codes, as the one-token kernel).
        static func q5_0x4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            signedBlocksx4(w, a, blocks, blockBytes: BlockQ5_0.bytes) {
                AVX2.signedQ5($0 + BlockQ5_0.qs, qh: $0 + BlockQ5_0.qh)
            }
        }

        /// Four tokens against blocks that start with an F16 scale and unpack (`codes`) to 32
        /// signed bytes, as llama.cpp's `vec_dot` for Q8_0 and Q5_0 computes each of them.
        @inline(__always)
        private static func signedBlocksx4(
            _ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int, blockBytes: Int,
            codes: (UnsafeRawPointer) -> __m256i
        ) -> SIMD4<Float> {
            var acc0 = __m256()
            var acc1 = __m256()
            var acc2 = __m256()
            var acc3 = __m256()
            for b in 0..<blocks {
                let block = w + b * blockBytes
                let d = AVX2.halfBroadcast8(block)
                let x = codes(block)
                let magnitude = _mm256_sign_epi8(x, x)
                @inline(__always) func signed(_ row: ActivationRow) -> __m256i {
                    AVX2.dotUnsignedSigned(magnitude, _mm256_sign_epi8(AVX2.load32(row.codes + 32 * b), x))
                }
                fold(signed(a.0), _mm256_mul_ps(d, _mm256_set1_ps(a.0.scales[b])), &acc0)
                fold(signed(a.1), _mm256_mul_ps(d, _mm256_set1_ps(a.1.scales[b])), &acc1)
                fold(signed(a.2), _mm256_mul_ps(d, _mm256_set1_ps(a.2.scales[b])), &acc2)
                fold(signed(a.3), _mm256_mul_ps(d, _mm256_set1_ps(a.3.scales[b])), &acc3)
            }
            return SIMD4(AVX2.hsum(acc0), AVX2.hsum(acc1), AVX2.hsum(acc2), AVX2.hsum(acc3))
        }
    }
#endif
