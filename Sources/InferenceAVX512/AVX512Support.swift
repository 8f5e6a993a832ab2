#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    /// The activations of one token as the AVX-512 kernels read them: the same memory as
    /// `Inference.ActivationRow` (codes, per-block F32 scales, Q8_1 (scale, sum) pairs, Q8_K 16-sums).
    ///
    /// This module is compiled for Cascade Lake (AVX-512 F/CD/BW/DQ/VL + VNNI, which Ice Lake,
    /// Sapphire Rapids and Zen 4/5 also have), so none of its code may run before
    /// `Inference.KernelPath` has checked CPUID: its entry points are `@inline(never)` so no EVEX
    /// instruction is inlined into the AVX2 code that calls them (`Scripts/check-evex.sh` checks).
    public struct AVX512Row {
        public let codes: UnsafePointer<Int8>
        public let scales: UnsafePointer<Float>
        public let pairs: UnsafePointer<Float>
        public let blockSums: UnsafePointer<Int16>

        @inlinable
        public init(
            codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>, pairs: UnsafePointer<Float>,
            blockSums: UnsafePointer<Int16>
        ) {
            self.codes = codes
            self.scales = scales
            self.pairs = pairs
            self.blockSums = blockSums
        }
    }

    /// Block layouts (bytes) of the GGML types the kernels read; `Inference.BlockLayouts` documents them.
    enum Layout {
        static let q4_0 = 18, q4_1 = 20, q5_0 = 22, q5_1 = 24, q8_0 = 34, q4_K = 144, q6_K = 210
        static let q6_Kql = 0, q6_Kqh = 128, q6_Kscales = 192, q6_Kd = 208
    }

    /// Building blocks shared by the kernels. Every integer result equals the AVX2 kernels' lane
    /// for lane (VNNI's `vpdpbusd` sums four u8·s8 products without the 16-bit saturation of
    /// `maddubs`, which never saturates on these codes: |u| ≤ 128, |s| ≤ 127, so a pair stays within
    /// Int16), and every float operation is the AVX2 kernels' in the same order, so the two paths
    /// give bit-identical results.
    enum Z {
        @inline(__always) static func load32(_ p: UnsafeRawPointer) -> __m256i { p.loadUnaligned(as: __m256i.self) }
        @inline(__always) static func load16(_ p: UnsafeRawPointer) -> __m128i { p.loadUnaligned(as: __m128i.self) }
        @inline(__always) static func load64(_ p: UnsafeRawPointer) -> __m512i { p.loadUnaligned(as: __m512i.self) }

        /// Token `t` (0...3) of four tokens' rows.
        @inline(__always)
        static func row(_ a: AVX512Dot.Rows4, _ t: Int) -> AVX512Row {
            switch t {
            case 0: a.0
            case 1: a.1
            case 2: a.2
            default: a.3
            }
        }

        /// 32 bytes repeated in both halves.
        @inline(__always) static func twice(_ x: __m256i) -> __m512i { _mm512_broadcast_i64x4(x) }

        @inline(__always)
        static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
            let packed = load16(p)
            return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0f))
        }

        /// Byte k = 0xFF where bit k of `bits` is set: one mask-register move.
        @inline(__always)
        static func bitsToBytes(_ bits: UInt32) -> __m256i { _mm256_movm_epi8(bits) }

        /// Signed Q5_0 codes (q − 16), as `AVX2.signedQ5`.
        @inline(__always)
        static func signedQ5(_ qs: UnsafeRawPointer, qh: UnsafeRawPointer) -> __m256i {
            let high = bitsToBytes(qh.loadUnaligned(as: UInt32.self))
            return _mm256_or_si256(nibbles(qs), _mm256_andnot_si256(high, _mm256_set1_epi8(-16)))
        }

        /// Eight Int32 sums of four u8·s8 products (= `maddubs` then `madd` with ones).
        @inline(__always)
        static func dot(_ u: __m256i, _ s: __m256i) -> __m256i { _mm256_maskz_dpbusd_epi32(0xff, __m256i(), u, s) }

        @inline(__always)
        static func dot(_ u: __m512i, _ s: __m512i) -> __m512i { _mm512_dpbusd_epi32(__m512i(), u, s) }

        /// `halfBroadcast8` of the AVX2 kernels: an F16 scale in all eight lanes.
        @inline(__always)
        static func half8(_ p: UnsafeRawPointer) -> __m256 {
            _mm256_cvtph_ps(_mm_set1_epi16(Int16(bitPattern: p.loadUnaligned(as: UInt16.self))))
        }

        @inline(__always)
        static func halfPairVector(_ p: UnsafeRawPointer) -> __m128 {
            _mm_cvtph_ps(_mm_cvtsi32_si128(Int32(bitPattern: p.loadUnaligned(as: UInt32.self))))
        }

        @inline(__always)
        static func halfPair(_ p: UnsafeRawPointer) -> (Float, Float) {
            let both = halfPairVector(p)
            return (both[0], both[1])
        }

        @inline(__always)
        static func f16(_ p: UnsafeRawPointer) -> Float {
            _mm_cvtph_ps(_mm_cvtsi32_si128(Int32(p.loadUnaligned(as: UInt16.self))))[0]
        }

        /// ggml's `hsum_float_8` order, as `AVX2.hsum`.
        @inline(__always)
        static func hsum(_ x: __m256) -> Float {
            let h = x.highHalf + x.lowHalf
            let q = h.lowHalf + h.highHalf
            return q[0] + q[1]
        }

        /// `hsum` of each half of a two-token (or two-row) accumulator, both at once and each in
        /// `hsum`'s order: (upper + lower 128 bits), then lanes (0 + 2) and (1 + 3), then those two.
        @inline(__always)
        static func hsum2(_ x: __m512) -> (Float, Float) {
            let halves = _mm512_set_epi32(11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4)
            let pairs = _mm512_set_epi32(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2)
            let h = _mm512_add_ps(x, _mm512_permutexvar_ps(halves, x))
            let q = _mm512_add_ps(h, _mm512_permutexvar_ps(pairs, h))
            let sum = _mm512_add_ps(q, _mm512_movehdup_ps(q))
            return (sum[0], sum[8])
        }

        /// Where lanes of unsigned codes u = x + offset start so `dpbusd` leaves Σ x·a: lane l
        /// holds −offset · (the four activation codes of `a` it multiplies).
        @inline(__always)
        static func offsetStarts(_ offsets: __m512i, _ a: __m512i) -> __m512i {
            _mm512_sub_epi32(__m512i(), dot(offsets, a))
        }

        /// Prefetches every cache line of `start..<end` (a hint, never a fault), as
        /// `Inference.MatMulPlan.prefetch` does outside this module.
        @inline(__always)
        static func prefetchLines(_ start: UnsafeRawPointer, _ end: UnsafeRawPointer, stream: Bool = false) {
            var line = UnsafeRawPointer(bitPattern: UInt(bitPattern: start) & ~63) ?? start
            while line < end {
                if stream { parley_prefetch_stream(line) } else { parley_prefetch(line) }
                line += 64
            }
        }

        /// The exact sum of the 16 lanes.
        @inline(__always)
        static func total(_ x: __m512i) -> Int32 {
            let h = _mm256_add_epi32(x.lowHalf, x.highHalf)
            return unsafeBitCast(_mm_add_epi32(h.lowHalf, h.highHalf), to: SIMD4<Int32>.self).wrappedSum()
        }

        /// The exact lane sums of four vectors: (Σ a, Σ b, Σ c, Σ d).
        @inline(__always)
        static func totals(_ a: __m512i, _ b: __m512i, _ c: __m512i, _ d: __m512i) -> SIMD4<Int32> {
            @inline(__always) func fold(_ x: __m512i) -> __m256i {
                _mm256_add_epi32(x.lowHalf, x.highHalf)
            }
            let ab = _mm256_hadd_epi32(fold(a), fold(b))
            let cd = _mm256_hadd_epi32(fold(c), fold(d))
            let abcd = _mm256_hadd_epi32(ab, cd)
            let sums = _mm_add_epi32(abcd.lowHalf, abcd.highHalf)
            return unsafeBitCast(sums, to: SIMD4<Int32>.self)
        }
    }
#endif
