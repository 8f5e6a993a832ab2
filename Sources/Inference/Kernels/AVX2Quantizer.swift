#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// AVX2 versions of `ActivationQuantizer`, bit-identical to it: the same F32 products, and
    /// `vcvtps2dq` rounds to nearest even like `rounded(.toNearestOrEven)`. Quantizing a 128-token
    /// batch with the scalar code costs ~7% of a prefill.
    enum AVX2Quantizer {
        /// Lane i of the result holds the maximum of all lanes of `v`.
        @inline(__always)
        private static func broadcastMax(_ v: __m256) -> __m256 {
            let halves = _mm256_max_ps(v, _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3)))
            let pairs = _mm256_max_ps(halves, _mm256_permutevar_ps(halves, _mm256_setr_epi32(2, 3, 0, 1, 2, 3, 0, 1)))
            return _mm256_max_ps(pairs, _mm256_permutevar_ps(pairs, _mm256_setr_epi32(1, 0, 3, 2, 1, 0, 3, 2)))
        }

        @inline(__always)
        private static func abs(_ v: __m256) -> __m256 {
            _mm256_andnot_ps(_mm256_set1_ps(-0.0), v)
        }

        /// Packs 4 × 8 Int32 (each within Int8 range after saturation) into 32 bytes in order.
        @inline(__always)
        private static func pack(_ i0: __m256i, _ i1: __m256i, _ i2: __m256i, _ i3: __m256i) -> __m256i {
            let bytes = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3))
            return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))
        }

        @inline(__always)
        private static func load(_ p: UnsafePointer<Float>) -> __m256 {
            UnsafeRawPointer(p).loadUnaligned(as: __m256.self)
        }

        static func quantizeQ8_0(
            _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
            scales: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>?
        ) {
            for b in 0..<(columns / 32) {
                let block = x + 32 * b
                let v0 = load(block)
                let v1 = load(block + 8)
                let v2 = load(block + 16)
                let v3 = load(block + 24)
                let m = _mm256_max_ps(_mm256_max_ps(abs(v0), abs(v1)), _mm256_max_ps(abs(v2), abs(v3)))
                let amax = broadcastMax(m)[0]
                let id: Float = amax != 0 ? 127 / amax : 0
                let idv = _mm256_set1_ps(id)
                let i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v0, idv))
                let i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v1, idv))
                let i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v2, idv))
                let i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v3, idv))
                UnsafeMutableRawPointer(codes + 32 * b).storeBytes(of: pack(i0, i1, i2, i3), as: __m256i.self)
                let d = amax / 127
                scales[b] = HalfPrecision.roundedToF16(d)
                if let sums {
                    // llama.cpp's Q8_1 sum uses d before its rounding to F16.
                    let total = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3))
                    sums[b] = d * Float(unsafeBitCast(total, to: SIMD8<Int32>.self).wrappedSum())
                }
            }
        }

        static func quantizeQ8_K(
            _ x: UnsafePointer<Float>, columns: Int, codes: UnsafeMutablePointer<Int8>,
            scales: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Int16>
        ) {
            for b in 0..<(columns / 256) {
                let block = x + 256 * b
                var m = _mm256_setzero_ps()
                for i in 0..<32 { m = _mm256_max_ps(m, abs(load(block + 8 * i))) }
                let amax = broadcastMax(m)[0]
                let q = codes + 256 * b
                let sumsOut = blockSums + 16 * b
                guard amax != 0 else {
                    for j in 0..<256 { q[j] = 0 }
                    for i in 0..<16 { sumsOut[i] = 0 }
                    scales[b] = 0
                    continue
                }
                // The signed value of the first element of largest magnitude fixes the sign.
                var signedMax: Float = 0
                for j in 0..<256 where Swift.abs(block[j]) == amax {
                    signedMax = block[j]
                    break
                }
                let iscale = -127 / signedMax
                let iv = _mm256_set1_ps(iscale)
                for g in 0..<8 {
                    let base = block + 32 * g
                    let i0 = _mm256_cvtps_epi32(_mm256_mul_ps(iv, load(base)))
                    let i1 = _mm256_cvtps_epi32(_mm256_mul_ps(iv, load(base + 8)))
                    let i2 = _mm256_cvtps_epi32(_mm256_mul_ps(iv, load(base + 16)))
                    let i3 = _mm256_cvtps_epi32(_mm256_mul_ps(iv, load(base + 24)))
                    UnsafeMutableRawPointer(q + 32 * g).storeBytes(of: pack(i0, i1, i2, i3), as: __m256i.self)
                }
                // Sums of 16 codes (read back: the packed codes are already clamped to Int8).
                for i in 0..<16 {
                    let codes16 = UnsafeRawPointer(q + 16 * i).loadUnaligned(as: SIMD16<Int8>.self)
                    sumsOut[i] = Int16(truncatingIfNeeded: SIMD16<Int16>(truncatingIfNeeded: codes16).wrappedSum())
                }
                scales[b] = 1 / iscale
            }
        }
    }
#endif
