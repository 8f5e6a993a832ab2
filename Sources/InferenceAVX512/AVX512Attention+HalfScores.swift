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
            halfScores(x, heads: heads, HalfKeys.self)
        }

        /// `halfScores` over keys its `widening` variant already widened (a verification pass's
        /// rows share them): the same FMAs and reduction, so the same bits, without the conversions.
        @inline(never)
        public static func pairedScores(
            queries: UnsafePointer<Float>, heads: Int, keys: UnsafePointer<Float>, rows: Int, count: Int,
            scale: Float, into s: UnsafeMutablePointer<Float>, stride: Int
        ) {
            let x = HalfScoreArguments(
                queries: queries, keys: UnsafeRawPointer(keys), values: nil, rows: rows, count: count, scale: scale,
                s: s, stride: stride, keysAhead: 0)
            halfScores(x, heads: heads, PairedKeys.self)
        }

        /// `halfScores` that also leaves the keys it widens in `widened`, as `pairedScores` reads
        /// them: rows 2p and 2p+1's lanes l…l+7 are the sixteen floats at `widened + 16·(p·count/8
        /// + l/8)`. The first pass of a verification pass's heads reads the cache (and waits for
        /// memory) while it computes; the passes after it read these.
        @inline(never)
        public static func halfScores(
            queries: UnsafePointer<Float>, heads: Int, keys: UnsafeRawPointer, prefetching values: UnsafeRawPointer?,
            rows: Int, count: Int, scale: Float, into s: UnsafeMutablePointer<Float>, stride: Int, keysAhead: Int,
            widening widened: UnsafeMutablePointer<Float>
        ) {
            var x = HalfScoreArguments(
                queries: queries, keys: keys, values: values, rows: rows, count: count, scale: scale, s: s,
                stride: stride, keysAhead: keysAhead)
            x.widened = widened
            halfScores(x, heads: heads, WideningKeys.self)
        }

        /// The body specialized for the head count (1...4) and the key layout.
        @inline(__always)
        private static func halfScores<K: KeyLayout>(_ x: HalfScoreArguments, heads: Int, _: K.Type) {
            switch heads {
            case 1: halfScores(x, ScoreHeads1.self, K.self)
            case 2: halfScores(x, ScoreHeads2.self, K.self)
            case 3: halfScores(x, ScoreHeads3.self, K.self)
            default: halfScores(x, ScoreHeads4.self, K.self)
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
            /// Where `WideningKeys` stores the widened pairs.
            var widened: UnsafeMutablePointer<Float>? = nil
        }

        @inline(__always)
        private static func halfScores<H: ScoreHeads, K: KeyLayout>(_ x: HalfScoreArguments, _: H.Type, _: K.Type) {
            let heads = H.value
            let rowBytes = K.isPaired ? 4 &* x.count : 2 &* x.count
            let scale = _mm512_set1_ps(x.scale)
            /// Rows `first` and the one after it, lanes `lane…lane+7` of each, as floats.
            @inline(__always) func pair(_ first: UnsafeRawPointer, _ lane: Int) -> __m512 {
                if K.isPaired { return first.loadUnaligned(fromByteOffset: 8 &* lane, as: __m512.self) }
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
                for r in 0..<4 where !K.isPaired {
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
                    if K.widens, let widened = x.widened {
                        let at = UnsafeMutableRawPointer(widened) + (j &* 4 &* x.count &+ 8 &* lane)
                        at.storeBytes(of: a, as: __m512.self)
                        (at + 8 &* x.count).storeBytes(of: b, as: __m512.self)
                    }
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

    /// Where `halfScores` reads its keys: the cache's F16 rows (also storing them widened), or rows so stored
    /// (row pair p's `2·count` floats at byte `8·count·p`, so row j's pair at `j · 4·count`).
    protocol KeyLayout {
        static var isPaired: Bool { get }
        /// F16 rows whose widened pairs are also stored (`HalfScoreArguments.widened`).
        static var widens: Bool { get }
    }
    enum HalfKeys: KeyLayout {
        static var isPaired: Bool { false }
        static var widens: Bool { false }
    }
    enum WideningKeys: KeyLayout {
        static var isPaired: Bool { false }
        static var widens: Bool { true }
    }
    enum PairedKeys: KeyLayout {
        static var isPaired: Bool { true }
        static var widens: Bool { false }
    }
#endif
