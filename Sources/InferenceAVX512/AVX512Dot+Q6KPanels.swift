#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Prompt batches against Q6_K rows, with one weight row per 32-bit lane (as the panels of
    /// `AVX512Dot+Panels.swift`).
    ///
    /// Per super-block and group of 16 rows the panel holds the 6-bit codes as 64 slots (32-code
    /// group G's at 8G...8G+7; each 16-code sub-block is four slots), the 16 signed scales as Int32
    /// lanes and d. A sub-block's lanes start at −32 · Σ a (the codes' offset), take four `dpbusd`,
    /// and are multiplied by the sub-block's scale into the super-block's integer total.
    ///
    /// That total is llama.cpp's tiled kernel's (`q6_KTiled`: Σ_k scale_k · Σ (q − 32)·a, exact),
    /// and the float operations are its own, `fma(d · total, d_a, acc)` per super-block, so the
    /// panels equal the kernel batches took before them, on both paths, bit for bit.
    /// A panel of 32 Q6_K rows unpacked: per super-block and group of 16 rows, 64 code slots,
    /// 16 scales (Int32 lanes) and d (F32 lanes).
    enum Q6KPanel {
        static let groupVectors = 81
        static let vectorsPerBlock = 2 * groupVectors
        static let scaleSlot = 64, dSlot = 80

        @inline(__always)
        static func pack(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, blocks: Int, into panel: UnsafeMutablePointer<__m512i>
        ) {
            let last = rows &- 1
            let low4 = _mm512_set1_epi8(0x0f)
            let bits45 = _mm512_set1_epi8(0x30)
            for group in 0..<2 {
                let base = group &* 16
                for b in 0..<blocks {
                    @inline(__always) func block(_ i: Int) -> UnsafeRawPointer {
                        let index = min(base &+ i, last)
                        return w + (index &* rowBytes &+ b &* Layout.q6_K)
                    }
                    let target: UnsafeMutablePointer<__m512i> = panel + (b &* vectorsPerBlock &+ group &* groupVectors)
                    for h in 0..<2 {
                        /// Rows 2m and 2m+1's bytes at `offset` (32 each), side by side.
                        @inline(__always) func pair(_ m: Int, _ offset: Int) -> __m512i {
                            let x = block(2 &* m) + offset
                            let y = block(2 &* m &+ 1) + offset
                            return __m512i(lowHalf: Z.load32(x), highHalf: Z.load32(y))
                        }
                        // Group 4h + g of each row pair: low or high nibbles of ql's first or
                        // second 32 bytes, with qh's bits (2g, 2g + 1) as bits 4 and 5.
                        @inline(__always) func codes(_ m: Int, _ g: Int) -> __m512i {
                            let ql = pair(m, Layout.q6_Kql &+ 64 &* h &+ 32 &* (g & 1))
                            let qh = pair(m, Layout.q6_Kqh &+ 32 &* h)
                            let nibbles = g < 2 ? ql : _mm512_srli_epi16(ql, 4)
                            let high: __m512i
                            switch g {
                            case 0: high = _mm512_slli_epi16(qh, 4)
                            case 1: high = _mm512_slli_epi16(qh, 2)
                            case 2: high = qh
                            default: high = _mm512_srli_epi16(qh, 2)
                            }
                            return _mm512_or_si512(_mm512_and_si512(nibbles, low4), _mm512_and_si512(high, bits45))
                        }
                        for g in 0..<4 {
                            Panel.transpose(
                                codes(0, g), codes(1, g), codes(2, g), codes(3, g), codes(4, g), codes(5, g),
                                codes(6, g), codes(7, g), into: target + 8 &* (4 &* h &+ g))
                        }
                    }
                    let lanes = UnsafeMutableRawPointer(target)
                    for i in 0..<16 {
                        let scales = block(i) + Layout.q6_Kscales
                        for k in 0..<16 {
                            let scale = Int32(scales.load(fromByteOffset: k, as: Int8.self))
                            lanes.storeBytes(of: scale, toByteOffset: 64 &* (scaleSlot &+ k) &+ 4 &* i, as: Int32.self)
                        }
                        lanes.storeBytes(
                            of: Z.f16(block(i) + Layout.q6_Kd), toByteOffset: 64 &* dSlot &+ 4 &* i, as: Float.self)
                    }
                }
            }
        }
    }

    /// Q6_K's compute step of a `KPanelRun`.
    extension KPanelRun {
        @inline(__always)
        func computeQ6_K<T: TokenCount>(_: T.Type, token first: Int) {
            var f0 = PanelSums()
            var f1 = PanelSums()
            var f2 = PanelSums()
            var f3 = PanelSums()
            let zero = __m512i()
            let g1 = Q6KPanel.groupVectors
            let sumStride = columns / 16
            for b in 0..<blocks {
                let blockOffset = b &* Q6KPanel.vectorsPerBlock
                let p = panel + blockOffset
                var total0 = PanelLanes(group0: zero, group1: zero)
                var total1 = total0
                var total2 = total0
                var total3 = total0
                for k in 0..<16 {
                    @inline(__always) func start(_ t: Int) -> PanelLanes {
                        let index = (first &+ t) &* sumStride &+ 16 &* b &+ k
                        let s = _mm512_set1_epi32(table[index])
                        return PanelLanes(group0: s, group1: s)
                    }
                    var x0 = start(0)
                    var x1 = T.value > 1 ? start(1) : x0
                    var x2 = T.value > 2 ? start(2) : x0
                    var x3 = T.value > 3 ? start(3) : x0
                    let codeOffset = first &* columns &+ 256 &* b &+ 16 &* k
                    let c = UnsafeRawPointer(codes + codeOffset)
                    // Sub-block k is slots 0-3 (k even) or 4-7 (k odd) of group k / 2.
                    let slot = 4 &* k
                    for s in 0..<4 {
                        let w0 = p[slot &+ s]
                        let w1 = p[g1 &+ slot &+ s]
                        @inline(__always) func step(_ t: Int, _ x: inout PanelLanes) {
                            x.add(w0, w1, codes: c + (t &* columns &+ 4 &* s))
                        }
                        step(0, &x0)
                        if T.value > 1 { step(1, &x1) }
                        if T.value > 2 { step(2, &x2) }
                        if T.value > 3 { step(3, &x3) }
                    }
                    let scale0 = p[Q6KPanel.scaleSlot &+ k]
                    let scale1 = p[g1 &+ Q6KPanel.scaleSlot &+ k]
                    @inline(__always) func scaled(_ x: PanelLanes, _ total: inout PanelLanes) {
                        total.group0 = _mm512_add_epi32(total.group0, _mm512_mullo_epi32(x.group0, scale0))
                        total.group1 = _mm512_add_epi32(total.group1, _mm512_mullo_epi32(x.group1, scale1))
                    }
                    scaled(x0, &total0)
                    if T.value > 1 { scaled(x1, &total1) }
                    if T.value > 2 { scaled(x2, &total2) }
                    if T.value > 3 { scaled(x3, &total3) }
                }
                let d0 = _mm512_castsi512_ps(p[Q6KPanel.dSlot])
                let d1 = _mm512_castsi512_ps(p[g1 &+ Q6KPanel.dSlot])
                @inline(__always) func finish(_ t: Int, _ total: PanelLanes, _ f: inout PanelSums) {
                    let index = (first &+ t) &* (columns / 32) &+ b
                    let da = _mm512_set1_ps(scales[index])
                    f.group0 = _mm512_fmadd_ps(_mm512_mul_ps(d0, _mm512_cvtepi32_ps(total.group0)), da, f.group0)
                    f.group1 = _mm512_fmadd_ps(_mm512_mul_ps(d1, _mm512_cvtepi32_ps(total.group1)), da, f.group1)
                }
                finish(0, total0, &f0)
                if T.value > 1 { finish(1, total1, &f1) }
                if T.value > 2 { finish(2, total2, &f2) }
                if T.value > 3 { finish(3, total3, &f3) }
            }
            @inline(__always) func store(_ t: Int, _ f: PanelSums) {
                let offset = (first &+ t) &* outStride
                f.store(out + offset, rows: rows)
            }
            store(0, f0)
            if T.value > 1 { store(1, f1) }
            if T.value > 2 { store(2, f2) }
            if T.value > 3 { store(3, f3) }
        }
    }
#endif
