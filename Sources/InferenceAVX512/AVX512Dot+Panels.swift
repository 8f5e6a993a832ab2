#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Prompt batches (`panelMinimumTokens` tokens or more) against Q5_0, Q8_0 or Q4_1 rows, with
    /// one weight row per 32-bit lane instead of eight lanes per (row, token) pair.
    ///
    /// The row runs (`AVX512Dot+Rows.swift`) put two rows' eight lanes in a register, so every
    /// block needs its F16 scales converted and permuted per token, and a block of four rows is
    /// unpacked for every four tokens. Here a panel of 32 rows is unpacked and transposed once
    /// for the whole batch, so that lane i of slot s holds codes 4s...4s+3 of row i, and the
    /// rows' d (and Q4_1's m) are F32 lanes. A token's four codes are broadcast and one `dpbusd`
    /// gives slot s's integer for 16 rows; its own accumulator takes `fma(Σ, d·d_a, acc_s)`.
    ///
    /// Slot s is lane s of the one-token kernel, with the same integer (from the start −offset ·
    /// Σ of its four activation codes, as the row runs' lanes start), the same product d·d_a and
    /// the same FMAs in block order; the eight slots are then added in `hsum`'s order (and Q4_1's
    /// Σ m·s_a, rounded and added per block, after). So every sum equals the one-token kernel's
    /// bit for bit, hence the AVX2 path's and llama.cpp's AVX2 build's: the model is sensitive
    /// enough that another order moved SmolLM2's first-step log-probabilities by up to 0.27.
    extension AVX512Dot {
        /// Rows a panel holds: two groups of 16 lanes. Callers split a matrix's rows between
        /// threads in multiples of this, so no panel is computed half empty.
        public static let panelRows = 32

        /// Q5_0 rows × `tokens` tokens of Q8 activations (codes and per-block scales of token t
        /// at `codes + t * columns` and `scales + t * columns / 32`). Row i's sum for token t goes
        /// to `out[t * outStride + i]`.
        @inline(never)
        public static func q5_0Panels(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
            tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q5_0, .file, w, rowBytes: rowBytes, rows: rows, codes: codes, scales: scales, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }

        /// Q8_0 rows, as `q5_0Panels`.
        @inline(never)
        public static func q8_0Panels(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
            tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q8_0, .file, w, rowBytes: rowBytes, rows: rows, codes: codes, scales: scales, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }

        /// Q4_1 rows against Q8_1 activations (`pairs + 2 * (t * columns / 32 + b)`: token t's
        /// (d_a, s_a) of block b, as the one-token kernel reads them), as `q5_0Panels`.
        @inline(never)
        public static func q4_1Panels(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>, pairs: UnsafePointer<Float>,
            tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q4_1, .file, w, rowBytes: rowBytes, rows: rows, codes: codes, scales: pairs, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }

        /// `scales` is the per-block scales, or for Q4_1 the (scale, sum) pairs. In the
        /// interleaved layout `w` is the first group and `rowBytes` is unused.
        @inline(__always)
        static func panels(
            _ kind: PanelBlocks, _ layout: RunLayout, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int,
            codes: UnsafePointer<Int8>,
            scales: UnsafePointer<Float>, tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            let blocks = columns / 32
            // The scratch is allocated here, in the non-generic entry point (see `q8_0Rows`).
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: tokens * columns / 4) { startBuffer in
                withUnsafeTemporaryAllocation(of: __m512i.self, capacity: blocks * Panel.vectorsPerBlock) {
                    panelBuffer in
                    guard let starts = startBuffer.baseAddress, let panel = panelBuffer.baseAddress else { return }
                    fillStarts(kind, codes: codes, tokens: tokens, blocks: blocks, into: starts)
                    var first = 0
                    while first < rows {
                        let count = min(panelRows, rows &- first)
                        switch layout {
                        case .file:
                            Panel.pack(
                                kind, w + first &* rowBytes, rowBytes: rowBytes, rows: count, blocks: blocks,
                                into: panel)
                            Panel.prefetchNext(w, rowBytes: rowBytes, rows: rows, after: first)
                        case .interleaved:
                            let groupBytes = blocks &* kind.interleavedBytes
                            Panel.packInterleaved(
                                kind, w + first / 4 &* groupBytes, rows: count, blocks: blocks, into: panel)
                            Panel.prefetchNext(w, rowBytes: groupBytes / 4, rows: rows, after: first)
                        }
                        let run = PanelRun(
                            panel: UnsafePointer(panel), codes: codes, scales: scales,
                            starts: UnsafePointer(starts), columns: columns, blocks: blocks, out: out + first,
                            outStride: outStride, rows: count)
                        for group in 0..<2 where group &* 16 < count {
                            if kind == .q4_1 {
                                run.computeAll(WithMinimums.self, group: group, tokens: tokens)
                            } else {
                                run.computeAll(WithoutMinimums.self, group: group, tokens: tokens)
                            }
                        }
                        first &+= panelRows
                    }
                }
            }
        }

        /// `starts[(t * columns + c) / 4]` = −offset · Σ (token t's codes c...c+3) + `Panel
        /// .magic`: where slot c / 4 % 8 of unsigned codes u = x + offset starts so that `dpbusd`
        /// leaves Σ x·a + magic, whose bits are the float 1.5·2²³ + Σ x·a (see `Panel.magic`).
        @inline(__always)
        private static func fillStarts(
            _ kind: PanelBlocks, codes: UnsafePointer<Int8>, tokens: Int, blocks: Int,
            into starts: UnsafeMutablePointer<Int32>
        ) {
            let count = tokens &* blocks &* 8
            guard kind.offset != 0 else {
                starts.initialize(repeating: Panel.magic, count: count)
                return
            }
            let offsets = _mm512_set1_epi8(Int8(bitPattern: kind.offset))
            let magic = _mm512_set1_epi32(Panel.magic)
            var i = 0
            while i &+ 16 <= count {
                let lanes = _mm512_sub_epi32(magic, Z.dot(offsets, Z.load64(codes + 4 &* i)))
                UnsafeMutableRawPointer(starts + i).storeBytes(of: lanes, as: __m512i.self)
                i &+= 16
            }
            if i < count {
                // The last eight (an odd number of blocks in all).
                let lanes = _mm256_sub_epi32(
                    _mm256_set1_epi32(Panel.magic), Z.dot(offsets.lowHalf, Z.load32(codes + 4 &* i)))
                UnsafeMutableRawPointer(starts + i).storeBytes(of: lanes, as: __m256i.self)
            }
        }
    }

    /// The block types the panels of this file take: an F16 scale d, 32 codes x given as
    /// unsigned u = x + offset, and for Q4_1 an F16 minimum m (value d·x + m).
    enum PanelBlocks {
        case q8_0, q5_0, q4_1

        var blockBytes: Int {
            @inline(__always) get {
                switch self {
                case .q8_0: Layout.q8_0
                case .q5_0: Layout.q5_0
                case .q4_1: Layout.q4_1
                }
            }
        }

        var offset: UInt8 {
            @inline(__always) get {
                switch self {
                case .q8_0: 128
                case .q5_0: 16
                case .q4_1: 0
                }
            }
        }

        /// Row x's 32 unsigned codes in lanes 0-7, row y's in lanes 8-15.
        @inline(__always)
        func codes(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> __m512i {
            switch self {
            case .q8_0: OffsetBlocks.q8_0.codes(x, y)
            case .q5_0: OffsetBlocks.q5_0.codes(x, y)
            case .q4_1: AVX512Dot.nibblePair(x + 4, y + 4, _mm512_set1_epi8(0x0f))
            }
        }
    }

    /// A panel of 32 rows unpacked for `PanelRun`: per block, for each group of 16 rows, the
    /// eight slots (lane i of slot s: unsigned codes 4s...4s+3 of row i), the 16 rows' F32
    /// scales d and (Q4_1) minimums m.
    enum Panel {
        /// Per block: two groups of (8 code slots, d, m).
        static let groupVectors = 10
        static let vectorsPerBlock = 2 * groupVectors
        static let dSlot = 8, mSlot = 9

        /// The bits of the float 1.5·2²³, added to every slot's integer: a slot's Σ x·a is at
        /// most 4 · 128 · 128 = 2¹⁶ in size (whatever a file holds), so the integer's bits are
        /// the float 1.5·2²³ + Σ x·a exactly, and subtracting 1.5·2²³ gives Σ x·a as
        /// `cvtdq2ps` would. Gemma 3's pp128 at 1 thread ran 2-5% faster with the subtraction than
        /// with the conversion (Xeon family 6 model 207, alternating runs).
        static let magic: Int32 = 0x4B40_0000
        /// The float whose bits `magic` is (12,582,912).
        static let magicValue = Float(bitPattern: UInt32(bitPattern: magic))

        /// Unpacks `rows` (1...32) rows from `w` (rows past `rows` repeat the last one; their sums
        /// are not stored).
        @inline(__always)
        static func pack(
            _ kind: PanelBlocks, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, blocks: Int,
            into panel: UnsafeMutablePointer<__m512i>
        ) {
            let last = rows &- 1
            // `PanelRun` computes one group at a time and skips a group past the rows.
            for group in 0..<2 where group &* 16 < rows {
                let base = group &* 16
                for b in 0..<blocks {
                    let o = b &* kind.blockBytes
                    @inline(__always) func row(_ i: Int) -> UnsafeRawPointer {
                        let index = min(base &+ i, last)
                        return w + (index &* rowBytes &+ o)
                    }
                    let target: UnsafeMutablePointer<__m512i> = panel + (b &* vectorsPerBlock &+ group &* groupVectors)
                    transpose(
                        kind.codes(row(0), row(1)), kind.codes(row(2), row(3)), kind.codes(row(4), row(5)),
                        kind.codes(row(6), row(7)), kind.codes(row(8), row(9)), kind.codes(row(10), row(11)),
                        kind.codes(row(12), row(13)), kind.codes(row(14), row(15)), into: target)
                    @inline(__always) func halves(_ offset: Int) -> __m512i {
                        var halves = SIMD16<UInt16>()
                        for i in 0..<16 { halves[i] = row(i).loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
                        return _mm512_castps_si512(_mm512_cvtph_ps(unsafeBitCast(halves, to: __m256i.self)))
                    }
                    target[dSlot] = halves(0)
                    if kind == .q4_1 { target[mSlot] = halves(2) }
                }
            }
        }

        /// The 16 × 8 transpose of 32-bit slots: input m holds row 2m's slots 0-7 in lanes 0-7 and
        /// row 2m+1's in lanes 8-15; output s holds slot s of rows 0-15. Three rounds of two-source
        /// permutes (rows 4 at a time, then 8, then 16).
        @inline(__always)
        static func transpose(
            _ u0: __m512i, _ u1: __m512i, _ u2: __m512i, _ u3: __m512i, _ u4: __m512i, _ u5: __m512i,
            _ u6: __m512i, _ u7: __m512i, into out: UnsafeMutablePointer<__m512i>
        ) {
            // Round 1: four rows' slots 0-3 (lane 4q + s: row q, slot s), and their slots 4-7.
            let low4 = lanes(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)
            let high4 = lanes(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)
            let a0 = _mm512_permutex2var_epi32(u0, low4, u1)
            let b0 = _mm512_permutex2var_epi32(u0, high4, u1)
            let a1 = _mm512_permutex2var_epi32(u2, low4, u3)
            let b1 = _mm512_permutex2var_epi32(u2, high4, u3)
            let a2 = _mm512_permutex2var_epi32(u4, low4, u5)
            let b2 = _mm512_permutex2var_epi32(u4, high4, u5)
            let a3 = _mm512_permutex2var_epi32(u6, low4, u7)
            let b3 = _mm512_permutex2var_epi32(u6, high4, u7)
            // Round 2: eight rows' slot pairs (lane 2q + s: row q, the pair's slot s).
            let low2 = lanes(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29)
            let high2 = lanes(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31)
            let s01 = _mm512_permutex2var_epi32(a0, low2, a1)
            let s23 = _mm512_permutex2var_epi32(a0, high2, a1)
            let s45 = _mm512_permutex2var_epi32(b0, low2, b1)
            let s67 = _mm512_permutex2var_epi32(b0, high2, b1)
            let t01 = _mm512_permutex2var_epi32(a2, low2, a3)
            let t23 = _mm512_permutex2var_epi32(a2, high2, a3)
            let t45 = _mm512_permutex2var_epi32(b2, low2, b3)
            let t67 = _mm512_permutex2var_epi32(b2, high2, b3)
            // Round 3: sixteen rows' slot (rows 0-7 from s, 8-15 from t).
            let even = lanes(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
            let odd = lanes(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
            out[0] = _mm512_permutex2var_epi32(s01, even, t01)
            out[1] = _mm512_permutex2var_epi32(s01, odd, t01)
            out[2] = _mm512_permutex2var_epi32(s23, even, t23)
            out[3] = _mm512_permutex2var_epi32(s23, odd, t23)
            out[4] = _mm512_permutex2var_epi32(s45, even, t45)
            out[5] = _mm512_permutex2var_epi32(s45, odd, t45)
            out[6] = _mm512_permutex2var_epi32(s67, even, t67)
            out[7] = _mm512_permutex2var_epi32(s67, odd, t67)
        }

        /// Asks for the next panel's rows while this one is computed (a panel is read from
        /// memory once per batch, and its unpacking otherwise waited for DRAM: 6.6% of a
        /// 128-token prompt's time was in its loads).
        @inline(__always)
        static func prefetchNext(_ w: UnsafeRawPointer, rowBytes: Int, rows: Int, after first: Int) {
            let next = first &+ AVX512Dot.panelRows
            guard next < rows else { return }
            Z.prefetchLines(w + next &* rowBytes, w + min(next &+ AVX512Dot.panelRows, rows) &* rowBytes)
        }

        /// Permute indices, lane 0 first (0-15: the first source, 16-31: the second).
        @inline(__always)
        static func lanes(
            _ l0: Int32, _ l1: Int32, _ l2: Int32, _ l3: Int32, _ l4: Int32, _ l5: Int32, _ l6: Int32, _ l7: Int32,
            _ l8: Int32, _ l9: Int32, _ l10: Int32, _ l11: Int32, _ l12: Int32, _ l13: Int32, _ l14: Int32,
            _ l15: Int32
        ) -> __m512i {
            _mm512_set_epi32(l15, l14, l13, l12, l11, l10, l9, l8, l7, l6, l5, l4, l3, l2, l1, l0)
        }
    }
#endif
