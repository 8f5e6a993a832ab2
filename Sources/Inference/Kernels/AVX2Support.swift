#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Small AVX2 building blocks shared by the x86 dot-product kernels.
    ///
    /// `__m256i` imports as `SIMD4<Int64>` and `__m256` as `SIMD8<Float>`, so Swift SIMD operators
    /// and intrinsics mix freely; loads go through `loadUnaligned` because quant blocks are packed
    /// at odd offsets.
    enum AVX2 {
        @inline(__always)
        static func load32(_ p: UnsafeRawPointer) -> __m256i {
            p.loadUnaligned(as: __m256i.self)
        }

        @inline(__always)
        static func load16(_ p: UnsafeRawPointer) -> __m128i {
            p.loadUnaligned(as: __m128i.self)
        }

        /// The 32 4-bit codes of 16 packed bytes as bytes 0...15: low nibbles first, then high.
        @inline(__always)
        static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
            let packed = load16(p)
            return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0f))
        }

        /// The 32 signed Q5_0 codes (q − 16) of a block: nibbles from `qs`, fifth bits from the
        /// 32-bit `qh`; a clear fifth bit makes the byte negative (low nibble − 16 = nibble | 0xF0).
        @inline(__always)
        static func signedQ5(_ qs: UnsafeRawPointer, qh: UnsafeRawPointer) -> __m256i {
            let high = bitsToBytes(qh.loadUnaligned(as: UInt32.self))
            return _mm256_or_si256(nibbles(qs), _mm256_andnot_si256(high, _mm256_set1_epi8(-16)))
        }

        /// Byte k = 0xFF where bit k of `bits` is set, else 0.
        @inline(__always)
        static func bitsToBytes(_ bits: UInt32) -> __m256i {
            let spread = _mm256_shuffle_epi8(
                _mm256_set1_epi32(Int32(bitPattern: bits)),
                _mm256_set_epi64x(0x0303_0303_0303_0303, 0x0202_0202_0202_0202, 0x0101_0101_0101_0101, 0))
            let probe = _mm256_or_si256(spread, _mm256_set1_epi64x(0x7fbf_dfef_f7fb_fdfe))
            return _mm256_cmpeq_epi8(probe, _mm256_set1_epi64x(-1))
        }

        /// Eight Int32 sums of products of adjacent pairs of unsigned `u` and signed `s` bytes.
        @inline(__always)
        static func dotUnsignedSigned(_ u: __m256i, _ s: __m256i) -> __m256i {
            _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1))
        }

        /// Eight Int32 sums of products of adjacent pairs of signed bytes (moves the sign of `x`
        /// onto `y` so `maddubs` can multiply |x| unsigned).
        @inline(__always)
        static func dotSignedSigned(_ x: __m256i, _ y: __m256i) -> __m256i {
            dotUnsignedSigned(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x))
        }

        /// The F16 value at `p` in all eight lanes.
        ///
        /// A block scale read this way (`vpbroadcastw` + `vcvtph2ps`) depends only on memory. A
        /// scalar conversion (`HalfPrecision.f16ToF32`) compiles to `vpinsrw`, which merges into a
        /// register LLVM treats as free; in these loops that was an FMA accumulator, chaining every
        /// block to the previous one: Q5_0 and Q8_0 ran at 40-60% of Q4_1's speed. Use the result in
        /// all lanes (scale by a broadcast, then FMA): if only lane 0 is used, LLVM narrows the
        /// broadcast back to `vpinsrw`.
        @inline(__always)
        static func halfBroadcast8(_ p: UnsafeRawPointer) -> __m256 {
            _mm256_cvtph_ps(_mm_set1_epi16(Int16(bitPattern: p.loadUnaligned(as: UInt16.self))))
        }

        /// The F16 value at `p` in all four lanes (see `halfBroadcast8`).
        @inline(__always)
        static func halfBroadcast4(_ p: UnsafeRawPointer) -> SIMD4<Float> {
            _mm_cvtph_ps(_mm_set1_epi16(Int16(bitPattern: p.loadUnaligned(as: UInt16.self))))
        }

        /// Q4_K's minimum terms of one super-block: the 16-element code sums added in pairs (one
        /// per 32-element sub-block j), times minimum j, two sub-blocks per lane: lane l =
        /// m[2l]·s[2l] + m[2l+1]·s[2l+1], exact.
        @inline(__always)
        static func minProducts(_ mins: UInt64, _ sums: UnsafePointer<Int16>) -> SIMD4<Int32> {
            let pairSums = _mm_hadd_epi16(load16(UnsafeRawPointer(sums)), load16(UnsafeRawPointer(sums + 8)))
            let minimums = _mm_cvtepu8_epi16(_mm_cvtsi64_si128(Int64(bitPattern: mins)))
            return unsafeBitCast(_mm_madd_epi16(minimums, pairSums), to: SIMD4<Int32>.self)
        }

        /// The sum of the eight lanes in ggml's order (`hsum_float_8`: halves, then lanes 0+2 and
        /// 1+3, then those two), so a row's dot product rounds exactly as llama.cpp's does.
        @inline(__always)
        static func hsum(_ x: __m256) -> Float {
            let h = x.highHalf + x.lowHalf
            let q = h.lowHalf + h.highHalf
            return q[0] + q[1]
        }

        /// The sum of four lanes in ggml's order: (0+2) + (1+3).
        @inline(__always)
        static func hsum(_ x: SIMD4<Float>) -> Float {
            let q = x.lowHalf + x.highHalf
            return q[0] + q[1]
        }

        /// Q6_K's −32 offset as llama.cpp's kernel applies it: lane k = 32 · (s[2k]·c[2k] +
        /// s[2k+1]·c[2k+1]) for the 16 signed scales c and 16-element code sums s, subtracted from
        /// the lanes of the unsigned products. (The lanes do not hold the same elements, only the
        /// total matches; matching the split makes each lane's float rounding match too.)
        @inline(__always)
        static func q6Offsets(_ scales: __m128i, _ sums: UnsafePointer<Int16>) -> __m256i {
            let products = _mm256_madd_epi16(load32(UnsafeRawPointer(sums)), _mm256_cvtepi8_epi16(scales))
            return unsafeBitCast(unsafeBitCast(products, to: SIMD8<Int32>.self) &<< 5, to: __m256i.self)
        }

        /// The F16 pair at `p` as lanes 0 and 1 of a vector (lanes 2 and 3 are zero).
        @inline(__always)
        static func halfPairVector(_ p: UnsafeRawPointer) -> __m128 {
            _mm_cvtph_ps(_mm_cvtsi32_si128(Int32(bitPattern: p.loadUnaligned(as: UInt32.self))))
        }

        /// Two floats at `p` as lanes 0 and 1 of a vector (lanes 2 and 3 are zero).
        @inline(__always)
        static func floatPair(_ p: UnsafePointer<Float>) -> __m128 {
            _mm_castsi128_ps(_mm_loadl_epi64(UnsafeRawPointer(p).assumingMemoryBound(to: __m128i_u.self)))
        }

        /// The F16 pair at `p` (e.g. a block's d and m) as two floats.
        @inline(__always)
        static func halfPair(_ p: UnsafeRawPointer) -> (Float, Float) {
            let both = _mm_cvtph_ps(_mm_cvtsi32_si128(Int32(bitPattern: p.loadUnaligned(as: UInt32.self))))
            return (both[0], both[1])
        }
    }
#endif
