#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// The softmax's exponentials over a chunk of scores, sixteen lanes per instruction.
    ///
    /// Bit-identical to `Inference.AttentionKernels.exponentiate` on eight lanes: the same
    /// function (`Inference.VectorMath.exp`: clamp, Cody–Waite reduction, degree-6 polynomial,
    /// each product and sum rounded as there, no contraction the Swift code does not have), and
    /// the sum kept in that kernel's eight lanes, the lower eight exponentials added before
    /// the upper eight, so every lane adds its terms in the same order.
    extension AVX512Dot {
        /// `s[j] = exp(s[j] − shift)` in place for `j < count` (a multiple of 16); returns the
        /// eight-lane running sum (lane l: the terms j ≡ l mod 8, in order).
        @inline(never)
        public static func exponentiate(_ s: UnsafeMutablePointer<Float>, count: Int, subtracting shift: Float)
            -> SIMD8<Float>
        {
            let shift16 = _mm512_set1_ps(shift)
            var acc = __m256()
            var j = 0
            while j &+ 16 <= count {
                let p = UnsafeMutableRawPointer(s + j)
                let e = exp(_mm512_sub_ps(p.loadUnaligned(as: __m512.self), shift16))
                p.storeBytes(of: e, as: __m512.self)
                acc = _mm256_add_ps(acc, e.lowHalf)
                acc = _mm256_add_ps(acc, e.highHalf)
                j &+= 16
            }
            return acc
        }

        /// `Inference.VectorMath.exp` on sixteen lanes.
        @inline(__always)
        static func exp(_ x: __m512) -> __m512 {
            @inline(__always) func splat(_ v: Float) -> __m512 { _mm512_set1_ps(v) }
            let low = splat(-87.33654)
            let magic = splat(12_582_912)
            // max/min return the second operand when the first is NaN or equal, as the selects do.
            let c = _mm512_min_ps(_mm512_max_ps(x, low), splat(88.37626))
            let shifted = _mm512_add_ps(_mm512_mul_ps(c, splat(1.442_695_04)), magic)
            let n = _mm512_sub_ps(shifted, magic)
            var r = _mm512_fmadd_ps(n, splat(-0.693_359_375), c)
            r = _mm512_fmadd_ps(n, splat(2.121_944_4e-4), r)
            var p = splat(1.987_569_15e-4)
            p = _mm512_add_ps(_mm512_mul_ps(p, r), splat(1.398_199_95e-3))
            p = _mm512_add_ps(_mm512_mul_ps(p, r), splat(8.333_451_9e-3))
            p = _mm512_add_ps(_mm512_mul_ps(p, r), splat(4.166_579_59e-2))
            p = _mm512_add_ps(_mm512_mul_ps(p, r), splat(1.666_666_55e-1))
            p = _mm512_add_ps(_mm512_mul_ps(p, r), splat(5.000_000_12e-1))
            let y = _mm512_add_ps(_mm512_add_ps(_mm512_mul_ps(_mm512_mul_ps(p, r), r), r), splat(1))
            let exponent = _mm512_slli_epi32(
                _mm512_add_epi32(
                    _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_castps_si512(magic)), _mm512_set1_epi32(127)),
                23)
            let result = _mm512_mul_ps(y, _mm512_castsi512_ps(exponent))
            // Zero where x < lowest: the sign of x − lowest spread over the lane.
            let below = _mm512_srai_epi32(_mm512_castps_si512(_mm512_sub_ps(x, low)), 31)
            return _mm512_castsi512_ps(_mm512_andnot_si512(below, _mm512_castps_si512(result)))
        }
    }
#endif
