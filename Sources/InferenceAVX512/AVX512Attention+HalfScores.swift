#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    /// Attention scores over an F16 key cache for up to four query heads of a GQA group, two
    /// key rows per 512-bit register and four rows per step.
    ///
    /// Bit-identical to `Inference.GroupedAttentionKernels`' rows in fours: per (row, head)
    /// eight lanes of FMAs in lane order over the row, reduced as
    /// `AttentionKernels.reduce(a0, a1, a2, a3)` reduces four heads (`QuadScores.haddReduce`),
    /// then times the scale. A row's halves are converted once for every head, and one FMA
    /// serves two rows.
    extension AVX512Dot {
        /// `s[h·stride + j] = (q_h · K[j]) · scale` for heads h < `heads` (1...4), `q_h` at
        /// `queries + h·count`, and rows j < `rows` (a multiple of 4) of `count` halves (a
        /// multiple of 8) at `keys`. Prefetches key rows `keysAhead` ahead and, when given, the
        /// `values` rows the weighted sum reads next, each row's first and last line.
        @inline(never)
        public static func halfScores(
            queries: UnsafePointer<Float>, heads: Int, keys: UnsafeRawPointer, prefetching values: UnsafeRawPointer?,
            rows: Int, count: Int, scale: Float, into s: UnsafeMutablePointer<Float>, stride: Int, keysAhead: Int
        ) {
            let x = HalfScoreArguments(
                queries: queries, keys: keys, values: values, rows: rows, count: count, scale: scale, s: s,
                stride: stride, keysAhead: keysAhead)
            switch heads {
            case 1: halfScores(x, ScoreHeads1.self)
            case 2: halfScores(x, ScoreHeads2.self)
            case 3: halfScores(x, ScoreHeads3.self)
            default: halfScores(x, ScoreHeads4.self)
            }
        }

        private struct HalfScoreArguments {
            var queries: UnsafePointer<Float>
            var keys: UnsafeRawPointer
            var values: UnsafeRawPointer?
            var rows: Int
            var count: Int
            var scale: Float
            var s: UnsafeMutablePointer<Float>
            var stride: Int
            var keysAhead: Int
        }

        @inline(__always)
        private static func halfScores<H: ScoreHeads>(_ x: HalfScoreArguments, _: H.Type) {
            let heads = H.value
            let rowBytes = 2 &* x.count
            let scale = _mm512_set1_ps(x.scale)
            @inline(__always) func pair(_ first: UnsafeRawPointer, _ lane: Int) -> __m512 {
                let offset = 2 &* lane
                return _mm512_cvtph_ps(
                    __m256i(lowHalf: Z.load16(first + offset), highHalf: Z.load16(first + (rowBytes &+ offset))))
            }
            @inline(__always) func query(_ h: Int, _ lane: Int) -> __m512 {
                let q = x.queries + ((heads > h ? h : 0) &* x.count &+ lane)
                return _mm512_broadcast_f32x8(UnsafeRawPointer(q).loadUnaligned(as: __m256.self))
            }
            var j = 0
            while j < x.rows {
                for r in 0..<4 {
                    let ahead = x.keys + (j &+ r &+ x.keysAhead) &* rowBytes
                    parley_prefetch(ahead)
                    parley_prefetch(ahead + (rowBytes &- 1))
                    if let values = x.values {
                        let v = values + (j &+ r) &* rowBytes
                        parley_prefetch(v)
                        parley_prefetch(v + (rowBytes &- 1))
                    }
                }
                let k01 = x.keys + j &* rowBytes
                let k23 = k01 + 2 &* rowBytes
                var p0 = __m512()
                var p1 = __m512()
                var p2 = __m512()
                var p3 = __m512()
                var q0 = __m512()
                var q1 = __m512()
                var q2 = __m512()
                var q3 = __m512()
                var lane = 0
                while lane < x.count {
                    let a = pair(k01, lane)
                    let b = pair(k23, lane)
                    let v0 = query(0, lane)
                    p0 = _mm512_fmadd_ps(v0, a, p0)
                    q0 = _mm512_fmadd_ps(v0, b, q0)
                    if heads > 1 {
                        let v1 = query(1, lane)
                        p1 = _mm512_fmadd_ps(v1, a, p1)
                        q1 = _mm512_fmadd_ps(v1, b, q1)
                    }
                    if heads > 2 {
                        let v2 = query(2, lane)
                        p2 = _mm512_fmadd_ps(v2, a, p2)
                        q2 = _mm512_fmadd_ps(v2, b, q2)
                    }
                    if heads > 3 {
                        let v3 = query(3, lane)
                        p3 = _mm512_fmadd_ps(v3, a, p3)
                        q3 = _mm512_fmadd_ps(v3, b, q3)
                    }
                    lane &+= 8
                }
                let dots = QuadScores.haddReduce((p0, p1, p2, p3), (q0, q1, q2, q3))
                QuadScores.store(_mm512_mul_ps(dots, scale), heads: heads, into: x.s + j, stride: x.stride)
                j &+= 4
            }
        }
    }
#endif
