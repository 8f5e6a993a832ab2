#if arch(x86_64)
    import _Builtin_intrinsics.intel

    // The row runs' sums (`AVX512Dot+Rows.swift`, `AVX512Dot+Interleaved.swift`): the eight
    // lanes of each (row, token) pair, kept and reduced as the one-token kernels keep theirs.

    /// Q4_1's per-token step of a block of four rows: (d·d_a, m·s_a) of the four rows, as the
    /// one-token kernel's `scales` pairs, scale two rows' eight-lane sums each.
    enum Q4_1Sums {
        /// Every token's step.
        @inline(__always)
        static func add<T: TokenCount>(
            _: T.Type, _ halves: __m256, _ q01: __m512i, _ q23: __m512i, _ a: AVX512Dot.Rows4, block b: Int,
            _ lanes01: __m512i, _ lanes23: __m512i, into acc: inout RunAccumulators
        ) {
            add(halves, q01, q23, a.0, block: b, lanes01, lanes23, into: &acc.t0)
            if T.value > 1 { add(halves, q01, q23, a.1, block: b, lanes01, lanes23, into: &acc.t1) }
            if T.value > 2 { add(halves, q01, q23, a.2, block: b, lanes01, lanes23, into: &acc.t2) }
            if T.value > 3 { add(halves, q01, q23, a.3, block: b, lanes01, lanes23, into: &acc.t3) }
        }

        /// `halves`: (d, m) of rows 0-3; `q01`, `q23`: two rows' nibble codes each.
        @inline(__always)
        static func add(
            _ halves: __m256, _ q01: __m512i, _ q23: __m512i, _ x: AVX512Row, block b: Int, _ lanes01: __m512i,
            _ lanes23: __m512i, into sums: inout RunSums
        ) {
            let codes = Z.twice(Z.load32(x.codes + 32 &* b))
            let pair = _mm256_castpd_ps(
                _mm256_set1_pd(UnsafeRawPointer(x.pairs + 2 &* b).loadUnaligned(as: Double.self)))
            let scales = _mm256_mul_ps(halves, pair)
            let wide = _mm512_castps256_ps512(scales)
            sums.acc01 = _mm512_fmadd_ps(
                _mm512_cvtepi32_ps(Z.dot(q01, codes)), _mm512_permutexvar_ps(lanes01, wide), sums.acc01)
            sums.acc23 = _mm512_fmadd_ps(
                _mm512_cvtepi32_ps(Z.dot(q23, codes)), _mm512_permutexvar_ps(lanes23, wide), sums.acc23)
            sums.minimums = _mm256_add_ps(sums.minimums, scales)
        }
    }

    /// One token's sums over four rows: rows r, r+1 in `acc01`, r+2, r+3 in `acc23`, and, for
    /// Q4_1, the (d·d_a, m·s_a) pairs of the four rows summed in block order (odd lanes: m·s_a).
    struct RunSums {
        var acc01 = __m512()
        var acc23 = __m512()
        var minimums = __m256()
    }

    /// The sums of up to four tokens over four rows.
    struct RunAccumulators {
        var t0 = RunSums(), t1 = RunSums(), t2 = RunSums(), t3 = RunSums()

        /// Stores four consecutive rows' sums.
        @inline(__always)
        static func put(_ s0: Float, _ s1: Float, _ s2: Float, _ s3: Float, _ out: UnsafeMutablePointer<Float>) {
            out[0] = s0
            out[1] = s1
            out[2] = s2
            out[3] = s3
        }

        /// Reduces each (row, token) sum as the one-token kernel does and gives token t's four
        /// row sums to `put` with `out + t * outStride`.
        @inline(__always)
        func store<T: TokenCount>(
            _: T.Type, withMinimums: Bool, into out: UnsafeMutablePointer<Float>, outStride: Int,
            put: (Float, Float, Float, Float, UnsafeMutablePointer<Float>) -> Void
        ) {
            @inline(__always)
            func store(_ sums: RunSums, _ out: UnsafeMutablePointer<Float>) {
                let (s0, s1) = Z.hsum2(sums.acc01)
                let (s2, s3) = Z.hsum2(sums.acc23)
                if withMinimums {
                    let m = sums.minimums
                    put(s0 + m[1], s1 + m[3], s2 + m[5], s3 + m[7], out)
                } else {
                    put(s0, s1, s2, s3, out)
                }
            }
            store(t0, out)
            if T.value > 1 { store(t1, out + outStride) }
            if T.value > 2 { store(t2, out + 2 &* outStride) }
            if T.value > 3 { store(t3, out + 3 &* outStride) }
        }
    }

    /// A kernel's number of tokens (1...4) as a type, so each variant is specialized and the
    /// branches on it fold away.
    protocol TokenCount { static var value: Int { get } }
    enum OneToken: TokenCount { static var value: Int { 1 } }
    enum TwoTokens: TokenCount { static var value: Int { 2 } }
    enum ThreeTokens: TokenCount { static var value: Int { 3 } }
    enum FourTokens: TokenCount { static var value: Int { 4 } }
#endif
