#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// AVX-512 (VNNI) dot products of 32-element weight blocks with 8-bit activations, one token.
    ///
    /// Each is its AVX2 namesake (`Inference.AVX2Dot`) with `maddubs` + `madd` replaced by one
    /// `vpdpbusd` on 256-bit vectors: the same integer lanes and the same float operations in the same
    /// order, hence bit-identical results (and llama.cpp's AVX2 rounding). A 512-bit register would
    /// hold two blocks, but then even and odd blocks would sum in separate lanes and round
    /// differently; the four-token kernels (`AVX512Dot+Batch.swift`) use full width instead.
    public enum AVX512Dot {
        @inline(never)
        public static func q4_1(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            var minimums = __m128()
            for b in 0..<blocks {
                let block = w + b * Layout.q4_1
                let floatPair = _mm_castsi128_ps(
                    _mm_loadl_epi64(UnsafeRawPointer(a.pairs + 2 * b).assumingMemoryBound(to: __m128i_u.self)))
                let scales = _mm_mul_ps(Z.halfPairVector(block), floatPair)
                let products = Z.dot(Z.nibbles(block + 4), Z.load32(a.codes + 32 * b))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_broadcastss_ps(scales), acc)
                minimums = _mm_add_ps(minimums, scales)
            }
            return Z.hsum(acc) + minimums[1]
        }

        @inline(never)
        public static func q8_0(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            for b in 0..<blocks {
                let block = w + b * Layout.q8_0
                let d = Z.half8(block)
                let x = Z.load32(block + 2)
                let products = Z.dot(_mm256_sign_epi8(x, x), _mm256_sign_epi8(Z.load32(a.codes + 32 * b), x))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d, _mm256_set1_ps(a.scales[b])), acc)
            }
            return Z.hsum(acc)
        }

        @inline(never)
        public static func q4_0(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            for b in 0..<blocks {
                let block = w + b * Layout.q4_0
                let d8 = Z.half8(block)
                let x = _mm256_sub_epi8(Z.nibbles(block + 2), _mm256_set1_epi8(8))
                let products = Z.dot(_mm256_sign_epi8(x, x), _mm256_sign_epi8(Z.load32(a.codes + 32 * b), x))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            }
            return Z.hsum(acc)
        }

        @inline(never)
        public static func q5_0(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            for b in 0..<blocks {
                let block = w + b * Layout.q5_0
                let d8 = Z.half8(block)
                let x = Z.signedQ5(block + 6, qh: block + 2)
                let products = Z.dot(_mm256_sign_epi8(x, x), _mm256_sign_epi8(Z.load32(a.codes + 32 * b), x))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(d8, _mm256_set1_ps(a.scales[b])), acc)
            }
            return Z.hsum(acc)
        }

        @inline(never)
        public static func q5_1(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            var minimums: Float = 0
            for b in 0..<blocks {
                let block = w + b * Layout.q5_1
                let (d, m) = Z.halfPair(block)
                let high = Z.bitsToBytes(block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                let codes = _mm256_or_si256(Z.nibbles(block + 8), _mm256_and_si256(high, _mm256_set1_epi8(0x10)))
                let products = Z.dot(codes, Z.load32(a.codes + 32 * b))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_set1_ps(d * a.scales[b]), acc)
                minimums += m * a.pairs[2 * b + 1]
            }
            return Z.hsum(acc) + minimums
        }
    }
#endif
