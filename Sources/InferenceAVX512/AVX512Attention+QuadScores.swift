#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// The reduction of F16 attention scores four rows at a time (`AVX512Dot.halfScores`): up
    /// to four heads' eight-lane sums of rows j…j+3, held two rows per register, become the four
    /// rows' scores of every head in one register, then one masked store per head.
    ///
    /// Each score is added up in exactly the order of `Inference.AttentionKernels.reduce(a0, a1,
    /// a2, a3)` (every step adds the same two lanes), so results stay bit-identical; only which
    /// lanes share an instruction changes. The shuffles are `vpermt2ps` with constant indices, because the
    /// immediate-operand shuffles are C macros that Swift cannot import.
    enum QuadScores {
        // Index vectors (`_mm512_set_epi32` lists lanes 15 down to 0; constants once inlined).

        /// Lanes 0-3 of each row's eight (rows j, j+1 from `a`; j+2, j+3 from `b`).
        @inline(__always) static var lowQuarters: __m512i {
            _mm512_set_epi32(27, 26, 25, 24, 19, 18, 17, 16, 11, 10, 9, 8, 3, 2, 1, 0)
        }
        /// Lanes 4-7 of each row's eight.
        @inline(__always) static var highQuarters: __m512i {
            _mm512_set_epi32(31, 30, 29, 28, 23, 22, 21, 20, 15, 14, 13, 12, 7, 6, 5, 4)
        }
        /// `_mm256_hadd_ps`' operands within each 128-bit lane: even lanes, then odd lanes.
        @inline(__always) static var evenPairs: __m512i {
            _mm512_set_epi32(30, 28, 14, 12, 26, 24, 10, 8, 22, 20, 6, 4, 18, 16, 2, 0)
        }
        @inline(__always) static var oddPairs: __m512i {
            _mm512_set_epi32(31, 29, 15, 13, 27, 25, 11, 9, 23, 21, 7, 5, 19, 17, 3, 1)
        }
        /// Rows × heads (4 × 4) to heads × rows.
        @inline(__always) static var transpose: __m512i {
            _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0)
        }

        @inline(__always)
        static func pick(_ a: __m512, _ index: __m512i, _ b: __m512) -> __m512 {
            _mm512_permutex2var_ps(a, index, b)
        }

        /// `_mm256_hadd_ps(x, y)` in each 256-bit half.
        @inline(__always)
        static func hadd(_ x: __m512, _ y: __m512) -> __m512 {
            _mm512_add_ps(pick(x, evenPairs, y), pick(x, oddPairs, y))
        }

        /// Rows j…j+3 of one 128-bit lane each from two two-row registers `a` (j, j+1) and
        /// `b` (j+2, j+3): lane i of a row's result is (its lane i) + (its lane i + 4).
        @inline(__always)
        static func foldHalves(_ a: __m512, _ b: __m512) -> __m512 {
            _mm512_add_ps(pick(a, lowQuarters, b), pick(a, highQuarters, b))
        }

        /// `Inference.AttentionKernels.reduce(a0, a1, a2, a3)` (four heads' lanes, two `hadd`
        /// levels, then the halves) of rows j…j+3: `p_h` holds head h's rows j, j+1 and `q_h`
        /// rows j+2, j+3. Lane 4r + h of the result is row j+r's sum for head h.
        @inline(__always)
        static func haddReduce(_ p: (__m512, __m512, __m512, __m512), _ q: (__m512, __m512, __m512, __m512)) -> __m512 {
            let top = hadd(hadd(p.0, p.1), hadd(p.2, p.3))
            let bottom = hadd(hadd(q.0, q.1), hadd(q.2, q.3))
            return foldHalves(top, bottom)
        }

        /// Stores `heads` heads' scores of four rows (lane 4r + h: row r, head h) at
        /// `s + h·stride`, four consecutive floats each.
        @inline(__always)
        static func store(_ x: __m512, heads: Int, into s: UnsafeMutablePointer<Float>, stride: Int) {
            let byHead = _mm512_permutexvar_ps(transpose, x)
            for h in 0..<heads {
                // Lanes 4h…4h+3 land at s + h·stride; the masked-off lanes are never written.
                _mm512_mask_storeu_ps(
                    UnsafeMutableRawPointer(s + h &* stride) - 16 &* h, __mmask16(0xF) << (4 &* h), byHead)
            }
        }
    }
#endif
