#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    /// Attention scores over a Q8_0 key cache for up to four query heads of a GQA group, two key
    /// rows per 512-bit register.
    ///
    /// Each score is bit-identical to `AVX512Dot.q8_0` (and so to `AVX2Dot.q8_0`, llama.cpp's
    /// `vec_dot_q8_0_q8_0` on AVX2) for that row and head: row j's block fills lanes 0-7 and row
    /// j+1's lanes 8-15, so every row keeps its own eight lanes, its integer lane sums, and its
    /// `fma(Σ, d_k·d_q, acc)` in block order, and each half is reduced by `hsum`. What changes is
    /// the instruction count per row and head: the key codes are made unsigned once per row pair
    /// (`k + 128`, a sign-bit flip) and each head's lanes start from `−128·Σ q` over their four
    /// bytes (computed once per call), so one `vpdpbusd` replaces AVX2's sign/`maddubs`/`madd`.
    extension AVX512Dot {
        /// `s[h·stride + j] = K[j] · q_h` (unscaled) for heads h < `heads` (1...4; unused entries
        /// of `queries` may repeat a head) and the `rows` Q8_0 rows of `blocks` blocks at `keys`.
        /// Prefetches keys 64 rows ahead and, when given, the `values` rows read next.
        @inline(never)
        public static func q8_0Scores(
            _ queries: Rows4, heads: Int, keys: UnsafeRawPointer, rows: Int, blocks: Int,
            prefetching values: UnsafeRawPointer?, into s: UnsafeMutablePointer<Float>, stride: Int
        ) {
            let arguments = ScoreArguments(
                queries: queries, keys: keys, rows: rows, values: values, s: s, stride: stride)
            // Head size 64 (two blocks: SmolLM2, Llama-style small models) gets its own copies,
            // the block loop unrolled; with `blocks` a variable, each row pair ran a two-trip
            // loop that reloaded its pointers. tg64 @ d2048 (Q8_0 cache), best of 5 alternating
            // runs on a Xeon (family 6 model 207): 139.1 → 143.1 t/s at 1 thread.
            if blocks == 2 {
                q8_0Scores(arguments, heads: heads, blocks: 2)
            } else {
                q8_0Scores(arguments, heads: heads, blocks: blocks)
            }
        }

        /// The body for `heads` heads, each head count its own specialization.
        @inline(__always)
        private static func q8_0Scores(_ x: ScoreArguments, heads: Int, blocks: Int) {
            switch heads {
            case 1: q8_0Scores(x, blocks: blocks, ScoreHeads1.self)
            case 2: q8_0Scores(x, blocks: blocks, ScoreHeads2.self)
            case 3: q8_0Scores(x, blocks: blocks, ScoreHeads3.self)
            default: q8_0Scores(x, blocks: blocks, ScoreHeads4.self)
            }
        }

        private struct ScoreArguments {
            var queries: Rows4
            var keys: UnsafeRawPointer
            var rows: Int
            var values: UnsafeRawPointer?
            var s: UnsafeMutablePointer<Float>
            var stride: Int
        }

        /// The body, specialized for each head count so the per-head branches fold away.
        @inline(__always)
        private static func q8_0Scores<H: ScoreHeads>(_ x: ScoreArguments, blocks: Int, _: H.Type) {
            let heads = H.value
            let rowBytes = blocks &* Layout.q8_0
            @inline(__always)
            func q(_ h: Int) -> AVX512Row {
                switch h {
                case 0: x.queries.0
                case 1: x.queries.1
                case 2: x.queries.2
                default: x.queries.3
                }
            }
            withUnsafeTemporaryAllocation(of: __m512i.self, capacity: 4 &* blocks) { starts in
                guard let starts = starts.baseAddress else { return }
                // Lane l of head h's block b starts at −128 · (the four query codes it multiplies).
                let flip = _mm512_set1_epi8(-128)
                for h in 0..<heads {
                    for b in 0..<blocks {
                        starts[h &* blocks &+ b] = Z.offsetStarts(flip, Z.twice(Z.load32(q(h).codes + 32 &* b)))
                    }
                }
                var j = 0
                while j < x.rows {
                    let next = min(j &+ 1, x.rows &- 1) // an odd last row is paired with itself
                    let first = x.keys + j &* rowBytes
                    let second = x.keys + next &* rowBytes
                    prefetch(first, second, rowBytes: rowBytes, values: x.values.map { $0 + j &* rowBytes })
                    var a0 = __m512()
                    var a1 = __m512()
                    var a2 = __m512()
                    var a3 = __m512()
                    for b in 0..<blocks {
                        let offset = b &* Layout.q8_0
                        let k = _mm512_xor_si512(
                            __m512i(lowHalf: Z.load32(first + offset + 2), highHalf: Z.load32(second + offset + 2)),
                            flip)
                        let dk = _mm512_cvtph_ps(
                            __m256i(
                                lowHalf: _mm_set1_epi16(
                                    Int16(bitPattern: (first + offset).loadUnaligned(as: UInt16.self))),
                                highHalf: _mm_set1_epi16(
                                    Int16(bitPattern: (second + offset).loadUnaligned(as: UInt16.self)))))
                        @inline(__always)
                        func add(_ h: Int, _ acc: __m512) -> __m512 {
                            let codes = Z.twice(Z.load32(q(h).codes + 32 &* b))
                            let products = _mm512_dpbusd_epi32(starts[h &* blocks &+ b], k, codes)
                            return _mm512_fmadd_ps(
                                _mm512_cvtepi32_ps(products), _mm512_mul_ps(dk, _mm512_set1_ps(q(h).scales[b])), acc)
                        }
                        a0 = add(0, a0)
                        if heads > 1 { a1 = add(1, a1) }
                        if heads > 2 { a2 = add(2, a2) }
                        if heads > 3 { a3 = add(3, a3) }
                    }
                    @inline(__always)
                    func store(_ h: Int, _ acc: __m512) {
                        let (low, high) = Z.hsum2(acc)
                        x.s[h &* x.stride &+ j] = low
                        if next != j { x.s[h &* x.stride &+ next] = high }
                    }
                    store(0, a0)
                    if heads > 1 { store(1, a1) }
                    if heads > 2 { store(2, a2) }
                    if heads > 3 { store(3, a3) }
                    j &+= 2
                }
            }
        }

        /// The first and last line of the key rows 64 ahead and of the value rows about to be read.
        @inline(__always)
        private static func prefetch(
            _ first: UnsafeRawPointer, _ second: UnsafeRawPointer, rowBytes: Int, values: UnsafeRawPointer?
        ) {
            let ahead = first + 64 &* rowBytes
            parley_prefetch(ahead)
            parley_prefetch(ahead + rowBytes)
            parley_prefetch(ahead + (2 &* rowBytes &- 1))
            if let values {
                parley_prefetch(values)
                parley_prefetch(values + rowBytes)
                parley_prefetch(values + (2 &* rowBytes &- 1))
            }
        }
    }

    /// A head count (1...4) as a type, so `q8_0Scores` is specialized for it.
    protocol ScoreHeads { static var value: Int { get } }
    enum ScoreHeads1: ScoreHeads { static var value: Int { 1 } }
    enum ScoreHeads2: ScoreHeads { static var value: Int { 2 } }
    enum ScoreHeads3: ScoreHeads { static var value: Int { 3 } }
    enum ScoreHeads4: ScoreHeads { static var value: Int { 4 } }
#endif
