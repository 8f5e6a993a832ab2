#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Prompt batches against Q4_K rows, with one weight row per 32-bit lane (as the Q5_0/Q8_0
    /// panels of `AVX512Dot+Panels.swift`).
    ///
    /// A panel of 32 rows is unpacked and transposed once per batch: for each 32-code sub-block j,
    /// eight slots (lane i of slot s: codes 4s...4s+3 of row i), the rows' 6-bit scales and
    /// minimums, d and dmin. A token's four codes are broadcast and `dpbusd` does four products for
    /// each of 16 rows; a sub-block's sum is multiplied by its scale in the integers, and the
    /// super-block's total converted once. The minimums' term Σ m_j · (Σ a over sub-block j) is
    /// a `dpwssd` over the rows' minimums and the token's sub-block sums.
    ///
    /// Every integer is the other kernels' (Σ scale_j · Σ code·a per quarter or super-block, and
    /// Σ m_j · sum_j), and the float operations per (row, token) are those of the kernel the
    /// AVX2 path takes for that token, in its order: for each group of four tokens the
    /// four-token kernel's (`q4_Kx4`: one FMA per 64-element quarter), for the batch's last one
    /// to three tokens the one-token kernel's (`q4_KSum`: one per super-block); `acc − minimums`
    /// at the end. So prompts keep bit-equality with the AVX2 path and llama.cpp's AVX2 build.
    extension AVX512Dot {
        /// Q4_K rows × `tokens` tokens of Q8_K activations (token t's codes at `codes + t * columns`,
        /// per-super-block scales at `scales + t * columns / 32`, 16-element sums at
        /// `blockSums + t * columns / 16`). Row i's sum for token t goes to `out[t * outStride + i]`.
        @inline(never)
        public static func q4_KPanels(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
            blockSums: UnsafePointer<Int16>, tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>,
            outStride: Int
        ) {
            kPanels(
                q6_K: false, w, rowBytes: rowBytes, rows: rows, codes: codes, scales: scales, blockSums: blockSums,
                tokens: tokens, columns: columns, out: out, outStride: outStride)
        }

        /// Q6_K rows, as `q4_KPanels` (`AVX512Dot+Q6KPanels.swift`).
        @inline(never)
        public static func q6_KPanels(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
            blockSums: UnsafePointer<Int16>, tokens: Int, columns: Int, out: UnsafeMutablePointer<Float>,
            outStride: Int
        ) {
            kPanels(
                q6_K: true, w, rowBytes: rowBytes, rows: rows, codes: codes, scales: scales, blockSums: blockSums,
                tokens: tokens, columns: columns, out: out, outStride: outStride)
        }

        /// The K-quant panels: a per-token table from the 16-element sums (Q4_K: each sub-block
        /// pair's sums as two Int16; Q6_K: each 16 codes' start −32 · Σ a), then each panel
        /// unpacked and its tokens taken four at a time.
        @inline(__always)
        private static func kPanels(
            q6_K: Bool, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, codes: UnsafePointer<Int8>,
            scales: UnsafePointer<Float>, blockSums: UnsafePointer<Int16>, tokens: Int, columns: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            let blocks = columns / 256
            let sums = tokens * columns / 16
            let panelVectors = blocks * (q6_K ? Q6KPanel.vectorsPerBlock : KPanel.vectorsPerBlock)
            // The scratch is allocated here, in the non-generic entry point (see `q8_0Rows`).
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: sums) { tableBuffer in
                withUnsafeTemporaryAllocation(of: __m512i.self, capacity: panelVectors) { panelBuffer in
                    guard let table = tableBuffer.baseAddress, let panel = panelBuffer.baseAddress else { return }
                    if q6_K {
                        for i in 0..<sums { table[i] = -32 &* Int32(blockSums[i]) }
                    } else {
                        for i in 0..<(sums / 4) {
                            let even = Int32(blockSums[4 &* i]) &+ Int32(blockSums[4 &* i &+ 1])
                            let odd = Int32(blockSums[4 &* i &+ 2]) &+ Int32(blockSums[4 &* i &+ 3])
                            table[i] = (even & 0xFFFF) | (odd << 16)
                        }
                    }
                    var first = 0
                    while first < rows {
                        let count = min(panelRows, rows &- first)
                        let rowsFrom = w + first &* rowBytes
                        if q6_K {
                            Q6KPanel.pack(rowsFrom, rowBytes: rowBytes, rows: count, blocks: blocks, into: panel)
                        } else {
                            KPanel.pack(rowsFrom, rowBytes: rowBytes, rows: count, blocks: blocks, into: panel)
                        }
                        Panel.prefetchNext(w, rowBytes: rowBytes, rows: rows, after: first)
                        KPanelRun(
                            q6_K: q6_K, panel: UnsafePointer(panel), codes: codes, scales: scales,
                            table: UnsafePointer(table), columns: columns, blocks: blocks, out: out + first,
                            outStride: outStride, rows: count
                        ).computeAll(tokens: tokens)
                        first &+= panelRows
                    }
                }
            }
        }
    }

    /// A panel of 32 Q4_K rows unpacked: per super-block and group of 16 rows, 64 code slots
    /// (sub-block j's at 8j...8j+7), the eight scales (Int32 lanes), the minimums as four Int16
    /// pairs (m_2k, m_2k+1), and d, dmin (F32 lanes).
    enum KPanel {
        static let groupVectors = 78
        static let vectorsPerBlock = 2 * groupVectors
        static let scaleSlot = 64, minimumSlot = 72, dSlot = 76, dminSlot = 77

        @inline(__always)
        static func pack(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, blocks: Int, into panel: UnsafeMutablePointer<__m512i>
        ) {
            let last = rows &- 1
            let low = _mm512_set1_epi8(0x0f)
            for group in 0..<2 {
                let base = group &* 16
                for b in 0..<blocks {
                    @inline(__always) func block(_ i: Int) -> UnsafeRawPointer {
                        let index = min(base &+ i, last)
                        return w + (index &* rowBytes &+ b &* Layout.q4_K)
                    }
                    let target: UnsafeMutablePointer<__m512i> = panel + (b &* vectorsPerBlock &+ group &* groupVectors)
                    for p in 0..<4 {
                        // Rows 2m and 2m+1's 32 bytes of quarter p: low nibbles are sub-block 2p,
                        // high nibbles 2p+1.
                        @inline(__always) func packed(_ m: Int) -> __m512i {
                            let quarter = 16 &+ 32 &* p
                            let x = block(2 &* m) + quarter
                            let y = block(2 &* m &+ 1) + quarter
                            return __m512i(lowHalf: Z.load32(x), highHalf: Z.load32(y))
                        }
                        @inline(__always) func lows(_ m: Int) -> __m512i { _mm512_and_si512(packed(m), low) }
                        @inline(__always) func highs(_ m: Int) -> __m512i {
                            _mm512_and_si512(_mm512_srli_epi16(packed(m), 4), low)
                        }
                        Panel.transpose(
                            lows(0), lows(1), lows(2), lows(3), lows(4), lows(5), lows(6), lows(7),
                            into: target + 16 &* p)
                        Panel.transpose(
                            highs(0), highs(1), highs(2), highs(3), highs(4), highs(5), highs(6), highs(7),
                            into: target + (16 &* p &+ 8))
                    }
                    let lanes = UnsafeMutableRawPointer(target)
                    for i in 0..<16 {
                        let (d, dmin) = Z.halfPair(block(i))
                        let (scales, minimums) = AVX512Dot.unpackScaleMin(block(i) + 4)
                        for j in 0..<8 {
                            let scale = Int32((scales >> (8 &* UInt64(j))) & 0xff)
                            lanes.storeBytes(of: scale, toByteOffset: 64 &* (scaleSlot &+ j) &+ 4 &* i, as: Int32.self)
                        }
                        for k in 0..<4 {
                            let pair =
                                UInt32((minimums >> (16 &* UInt64(k))) & 0xff)
                                | UInt32((minimums >> (16 &* UInt64(k) &+ 8)) & 0xff) << 16
                            lanes.storeBytes(
                                of: pair, toByteOffset: 64 &* (minimumSlot &+ k) &+ 4 &* i, as: UInt32.self)
                        }
                        lanes.storeBytes(of: d, toByteOffset: 64 &* dSlot &+ 4 &* i, as: Float.self)
                        lanes.storeBytes(of: dmin, toByteOffset: 64 &* dminSlot &+ 4 &* i, as: Float.self)
                    }
                }
            }
        }
    }

    /// Q4_K's compute step of a `KPanelRun`.
    extension KPanelRun {
        /// Four tokens round as `q4_Kx4` (a float step per quarter), fewer as `q4_KSum` (per
        /// super-block), as the AVX2 path computes a batch's groups of four and its last tokens.
        @inline(__always)
        func computeQ4_K<T: TokenCount>(_: T.Type, token first: Int) {
            var f0 = PanelSums()
            var f1 = PanelSums()
            var f2 = PanelSums()
            var f3 = PanelSums()
            let zero = __m512i()
            let g1 = KPanel.groupVectors
            let quarters = T.value == 4
            for b in 0..<blocks {
                let blockOffset = b &* KPanel.vectorsPerBlock
                let p = panel + blockOffset
                let d0 = _mm512_castsi512_ps(p[KPanel.dSlot])
                let d1 = _mm512_castsi512_ps(p[g1 &+ KPanel.dSlot])
                @inline(__always) func finish(_ t: Int, _ total: PanelLanes, _ f: inout PanelSums) {
                    let index = (first &+ t) &* (columns / 32) &+ b
                    let da = _mm512_set1_ps(scales[index])
                    f.group0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(total.group0), _mm512_mul_ps(d0, da), f.group0)
                    f.group1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(total.group1), _mm512_mul_ps(d1, da), f.group1)
                }
                @inline(__always) func finishAll(_ t0: PanelLanes, _ t1: PanelLanes, _ t2: PanelLanes, _ t3: PanelLanes)
                {
                    finish(0, t0, &f0)
                    if T.value > 1 { finish(1, t1, &f1) }
                    if T.value > 2 { finish(2, t2, &f2) }
                    if T.value > 3 { finish(3, t3, &f3) }
                }
                var total0 = PanelLanes(group0: zero, group1: zero)
                var total1 = total0
                var total2 = total0
                var total3 = total0
                for j in 0..<8 {
                    var x0 = PanelLanes(group0: zero, group1: zero)
                    var x1 = x0
                    var x2 = x0
                    var x3 = x0
                    let codeOffset = first &* columns &+ 256 &* b &+ 32 &* j
                    let c = UnsafeRawPointer(codes + codeOffset)
                    for s in 0..<8 {
                        let w0 = p[8 &* j &+ s]
                        let w1 = p[g1 &+ 8 &* j &+ s]
                        @inline(__always) func step(_ t: Int, _ x: inout PanelLanes) {
                            x.add(w0, w1, codes: c + (t &* columns &+ 4 &* s))
                        }
                        step(0, &x0)
                        if T.value > 1 { step(1, &x1) }
                        if T.value > 2 { step(2, &x2) }
                        if T.value > 3 { step(3, &x3) }
                    }
                    let scale0 = p[KPanel.scaleSlot &+ j]
                    let scale1 = p[g1 &+ KPanel.scaleSlot &+ j]
                    @inline(__always) func scaled(_ x: PanelLanes, _ total: inout PanelLanes) {
                        total.group0 = _mm512_add_epi32(total.group0, _mm512_mullo_epi32(x.group0, scale0))
                        total.group1 = _mm512_add_epi32(total.group1, _mm512_mullo_epi32(x.group1, scale1))
                    }
                    scaled(x0, &total0)
                    if T.value > 1 { scaled(x1, &total1) }
                    if T.value > 2 { scaled(x2, &total2) }
                    if T.value > 3 { scaled(x3, &total3) }
                    if quarters && j & 1 == 1 {
                        finishAll(total0, total1, total2, total3)
                        total0 = PanelLanes(group0: zero, group1: zero)
                        total1 = total0
                        total2 = total0
                        total3 = total0
                    }
                }
                if !quarters { finishAll(total0, total1, total2, total3) }
            }
            @inline(__always) func store(_ t: Int, _ f: PanelSums) {
                let m = minimums(token: first &+ t, quarters: quarters)
                let offset = (first &+ t) &* outStride
                PanelSums(group0: _mm512_sub_ps(f.group0, m.group0), group1: _mm512_sub_ps(f.group1, m.group1))
                    .store(out + offset, rows: rows)
            }
            store(0, f0)
            if T.value > 1 { store(1, f1) }
            if T.value > 2 { store(2, f2) }
            if T.value > 3 { store(3, f3) }
        }

        /// Σ over super-blocks (or quarters) of `fma(minTerms, dmin·d_a, ·)` for token `t`, both groups.
        @inline(__always)
        func minimums(token t: Int, quarters: Bool) -> PanelSums {
            var sums = PanelSums()
            let g1 = KPanel.groupVectors
            for b in 0..<blocks {
                let blockOffset = b &* KPanel.vectorsPerBlock
                let p = panel + blockOffset
                let pairOffset = (t &* blocks &+ b) &* 4
                let tokenPairs = table + pairOffset
                let index = t &* (columns / 32) &+ b
                let da = _mm512_set1_ps(scales[index])
                let dmin0 = _mm512_mul_ps(_mm512_castsi512_ps(p[KPanel.dminSlot]), da)
                let dmin1 = _mm512_mul_ps(_mm512_castsi512_ps(p[g1 &+ KPanel.dminSlot]), da)
                var terms = PanelLanes(group0: __m512i(), group1: __m512i())
                for k in 0..<4 {
                    let a = _mm512_set1_epi32(tokenPairs[k])
                    if quarters { terms = PanelLanes(group0: __m512i(), group1: __m512i()) }
                    terms.group0 = _mm512_dpwssd_epi32(terms.group0, p[KPanel.minimumSlot &+ k], a)
                    terms.group1 = _mm512_dpwssd_epi32(terms.group1, p[g1 &+ KPanel.minimumSlot &+ k], a)
                    if quarters || k == 3 {
                        sums.group0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(terms.group0), dmin0, sums.group0)
                        sums.group1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(terms.group1), dmin1, sums.group1)
                    }
                }
            }
            return sums
        }
    }
#endif
