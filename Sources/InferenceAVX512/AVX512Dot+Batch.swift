#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Four-token kernels for the legacy block types (batched prefill): two tokens per 512-bit
    /// register, token t in lanes 0-7 and t+1 in lanes 8-15. Each half receives exactly the
    /// operations the AVX2 four-token kernel applies to that token's accumulator, in the same block
    /// order, and is reduced with the same `hsum`: bit-identical results at half the instructions.
    extension AVX512Dot {
        public typealias Rows4 = (AVX512Row, AVX512Row, AVX512Row, AVX512Row)

        @inline(never)
        public static func q4_1x4(_ w: UnsafeRawPointer, _ a: Rows4, _ blocks: Int) -> SIMD4<Float> {
            var acc01 = __m512()
            var acc23 = __m512()
            var minimums = SIMD4<Float>()
            for b in 0..<blocks {
                let block = w + b * Layout.q4_1
                let (d, m) = Z.halfPair(block)
                let q = Z.twice(Z.nibbles(block + 4))
                let p01 = Z.dot(q, Z.pair(a.0.codes + 32 * b, a.1.codes + 32 * b))
                let p23 = Z.dot(q, Z.pair(a.2.codes + 32 * b, a.3.codes + 32 * b))
                acc01 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p01), Z.pair(d * a.0.scales[b], d * a.1.scales[b]), acc01)
                acc23 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p23), Z.pair(d * a.2.scales[b], d * a.3.scales[b]), acc23)
                minimums +=
                    m * SIMD4(a.0.pairs[2 * b + 1], a.1.pairs[2 * b + 1], a.2.pairs[2 * b + 1], a.3.pairs[2 * b + 1])
            }
            let (s0, s1) = Z.hsum2(acc01)
            let (s2, s3) = Z.hsum2(acc23)
            return SIMD4(s0, s1, s2, s3) + minimums
        }

        @inline(never)
        public static func q8_0x4(_ w: UnsafeRawPointer, _ a: Rows4, _ blocks: Int) -> SIMD4<Float> {
            signedBlocksx4(w, a, blocks, blockBytes: Layout.q8_0) { Z.load32($0 + 2) }
        }

        @inline(never)
        public static func q5_0x4(_ w: UnsafeRawPointer, _ a: Rows4, _ blocks: Int) -> SIMD4<Float> {
            signedBlocksx4(w, a, blocks, blockBytes: Layout.q5_0) { Z.signedQ5($0 + 6, qh: $0 + 2) }
        }

        /// As `AVX2Dot.signedBlocksx4`: blocks of an F16 scale and 32 signed codes.
        @inline(__always)
        private static func signedBlocksx4(
            _ w: UnsafeRawPointer, _ a: Rows4, _ blocks: Int, blockBytes: Int,
            codes: (UnsafeRawPointer) -> __m256i
        ) -> SIMD4<Float> {
            var acc01 = __m512()
            var acc23 = __m512()
            for b in 0..<blocks {
                let block = w + b * blockBytes
                let d = Z.half8(block)
                let x = Z.twice(codes(block))
                let magnitude = _mm512_abs_epi8(x)
                // The sign of x moved onto the activations (`sign_epi8` has no 512-bit form): negated
                // where x < 0. (`sign_epi8` also zeroes them where x = 0, where |x| is 0 anyway.)
                let negative = _mm512_movepi8_mask(x)
                @inline(__always) func signed(_ p: __m512i) -> __m512i {
                    _mm512_mask_sub_epi8(p, negative, __m512i(), p)
                }
                let p01 = Z.dot(magnitude, signed(Z.pair(a.0.codes + 32 * b, a.1.codes + 32 * b)))
                let p23 = Z.dot(magnitude, signed(Z.pair(a.2.codes + 32 * b, a.3.codes + 32 * b)))
                let s01 = Z.pair(
                    _mm256_mul_ps(d, _mm256_set1_ps(a.0.scales[b])), _mm256_mul_ps(d, _mm256_set1_ps(a.1.scales[b])))
                let s23 = Z.pair(
                    _mm256_mul_ps(d, _mm256_set1_ps(a.2.scales[b])), _mm256_mul_ps(d, _mm256_set1_ps(a.3.scales[b])))
                acc01 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p01), s01, acc01)
                acc23 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p23), s23, acc23)
            }
            let (s0, s1) = Z.hsum2(acc01)
            let (s2, s3) = Z.hsum2(acc23)
            return SIMD4(s0, s1, s2, s3)
        }
    }
#endif
