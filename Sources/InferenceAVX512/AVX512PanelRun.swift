#if arch(x86_64)
    import _Builtin_intrinsics.intel

    // The panels' compute step (`AVX512Dot+Panels.swift` unpacks the panel): one group of 16
    // rows against one or two tokens, with its lane, slot and sum types.

    /// Two groups of 16 rows × one token: Int32 lanes.
    struct PanelLanes {
        var group0: __m512i
        var group1: __m512i

        /// `dpbusd` of both groups' slot (`w0`, `w1`) with the four activation codes at `codes`.
        @inline(__always)
        mutating func add(_ w0: __m512i, _ w1: __m512i, codes: UnsafeRawPointer) {
            let a = _mm512_set1_epi32(codes.loadUnaligned(as: Int32.self))
            group0 = _mm512_dpbusd_epi32(group0, w0, a)
            group1 = _mm512_dpbusd_epi32(group1, w1, a)
        }
    }

    /// Two groups of 16 rows × one token: F32 lanes.
    struct PanelSums {
        var group0 = __m512()
        var group1 = __m512()

        /// Stores the first `rows` (up to 32) lanes at `out`.
        @inline(__always)
        func store(_ out: UnsafeMutablePointer<Float>, rows: Int) {
            _mm512_mask_storeu_ps(out, UInt16(truncatingIfNeeded: (1 << min(rows, 16)) &- 1), group0)
            _mm512_mask_storeu_ps(out + 16, UInt16(truncatingIfNeeded: (1 << max(0, rows &- 16)) &- 1), group1)
        }
    }

    /// One token's eight slot sums over a group of 16 rows (lane s of the one-token kernel),
    /// and Q4_1's Σ m·s_a.
    struct SlotSums {
        var s0 = __m512(), s1 = __m512(), s2 = __m512(), s3 = __m512()
        var s4 = __m512(), s5 = __m512(), s6 = __m512(), s7 = __m512()
        var minimums = __m512()

        /// `fma(x, scale, slot s)`.
        @inline(__always)
        mutating func add(_ s: Int, _ x: __m512, _ scale: __m512) {
            switch s {
            case 0: s0 = _mm512_fmadd_ps(x, scale, s0)
            case 1: s1 = _mm512_fmadd_ps(x, scale, s1)
            case 2: s2 = _mm512_fmadd_ps(x, scale, s2)
            case 3: s3 = _mm512_fmadd_ps(x, scale, s3)
            case 4: s4 = _mm512_fmadd_ps(x, scale, s4)
            case 5: s5 = _mm512_fmadd_ps(x, scale, s5)
            case 6: s6 = _mm512_fmadd_ps(x, scale, s6)
            default: s7 = _mm512_fmadd_ps(x, scale, s7)
            }
        }

        /// The slots added in `Z.hsum`'s order: (0 + 4) + (2 + 6), (1 + 5) + (3 + 7), then those.
        @inline(__always)
        func total() -> __m512 {
            let h0 = _mm512_add_ps(s0, s4)
            let h1 = _mm512_add_ps(s1, s5)
            let h2 = _mm512_add_ps(s2, s6)
            let h3 = _mm512_add_ps(s3, s7)
            return _mm512_add_ps(_mm512_add_ps(h0, h2), _mm512_add_ps(h1, h3))
        }
    }

    /// One K-quant panel (`KPanel`, `Q6KPanel`) of up to 32 rows against a batch's Q8_K tokens,
    /// up to four at a time; row i's sum for token t goes to `out[t * outStride + i]`. The two
    /// kinds' compute steps are in `AVX512Dot+KPanels.swift` and `AVX512Dot+Q6KPanels.swift`.
    /// (A flag, not a protocol: a protocol's generic step left the intrinsics out of line, as
    /// EVEX code outside this module's functions, which `Scripts/check-evex.sh` forbids.)
    struct KPanelRun {
        let q6_K: Bool
        let panel: UnsafePointer<__m512i>
        let codes: UnsafePointer<Int8>
        let scales: UnsafePointer<Float>
        /// Per-token integers: Q4_K's sub-block pair sums (two Int16 per Int32), Q6_K's 16-code
        /// starts −32 · Σ a.
        let table: UnsafePointer<Int32>
        let columns: Int
        let blocks: Int
        let out: UnsafeMutablePointer<Float>
        let outStride: Int
        let rows: Int

        /// The batch's tokens: groups of four, then the last one to three, each group with the
        /// float steps of the kernel the AVX2 path takes for that many tokens.
        @inline(__always)
        func computeAll(tokens: Int) {
            var t = 0
            while t &+ 4 <= tokens {
                compute(FourTokens.self, token: t)
                t &+= 4
            }
            switch tokens &- t {
            case 1: compute(OneToken.self, token: t)
            case 2: compute(TwoTokens.self, token: t)
            case 3: compute(ThreeTokens.self, token: t)
            default: break
            }
        }

        @inline(__always)
        func compute<T: TokenCount>(_: T.Type, token first: Int) {
            if q6_K { computeQ6_K(T.self, token: first) } else { computeQ4_K(T.self, token: first) }
        }
    }

    /// Whether a panel's blocks carry minimums (Q4_1), as a type: with a flag read at run time
    /// the step kept Q4_1's two extra sums and branches in every kind's loop, and spilled its
    /// accumulators to the stack.
    protocol PanelMinimums { static var present: Bool { get } }
    enum WithMinimums: PanelMinimums { static var present: Bool { true } }
    enum WithoutMinimums: PanelMinimums { static var present: Bool { false } }

    /// One group of a panel against one or two tokens.
    struct PanelRun {
        let panel: UnsafePointer<__m512i>
        let codes: UnsafePointer<Int8>
        /// Per-block scales d_a, or for Q4_1 the (d_a, s_a) pairs.
        let scales: UnsafePointer<Float>
        let starts: UnsafePointer<Int32>
        let columns: Int
        let blocks: Int
        let out: UnsafeMutablePointer<Float>
        let outStride: Int
        let rows: Int

        /// Every token of the batch against one group: two at a time, then the odd one.
        @inline(__always)
        func computeAll<M: PanelMinimums>(_: M.Type, group: Int, tokens: Int) {
            var t = 0
            while t &+ 2 <= tokens {
                compute(TwoTokens.self, M.self, group: group, token: t)
                t &+= 2
            }
            if t < tokens { compute(OneToken.self, M.self, group: group, token: t) }
        }

        /// Tokens `first` (and `first + 1`) against one group. The second token's codes and
        /// starts are one row of the batch after the first's, so every load in the block loop
        /// is a base pointer, that row's stride and a constant.
        @inline(__always)
        func compute<T: TokenCount, M: PanelMinimums>(_: T.Type, _: M.Type, group: Int, token first: Int) {
            var f0 = SlotSums()
            var f1 = SlotSums()
            let pairWidth = M.present ? 2 : 1
            let codeRow = columns
            let startRow = columns / 4
            let scaleRow = pairWidth &* blocks
            var p = panel + group &* Panel.groupVectors
            var c = UnsafeRawPointer(codes + first &* codeRow)
            var start = starts + first &* startRow
            var scale = scales + first &* scaleRow
            let magic = _mm512_set1_ps(Panel.magicValue)
            for _ in 0..<blocks {
                let d = _mm512_castsi512_ps(p[Panel.dSlot])
                // d·d_a per token, as the one-token kernel's scale.
                let scale0 = _mm512_mul_ps(d, _mm512_set1_ps(scale[0]))
                let scale1 = T.value > 1 ? _mm512_mul_ps(d, _mm512_set1_ps(scale[scaleRow])) : scale0
                for s in 0..<8 {
                    let w = p[s]
                    @inline(__always) func slot(_ t: Int, _ scale: __m512, _ f: inout SlotSums) {
                        let a = _mm512_set1_epi32(
                            c.loadUnaligned(fromByteOffset: t &* codeRow &+ 4 &* s, as: Int32.self))
                        let x = _mm512_dpbusd_epi32(_mm512_set1_epi32(start[t &* startRow &+ s]), w, a)
                        f.add(s, _mm512_sub_ps(_mm512_castsi512_ps(x), magic), scale)
                    }
                    slot(0, scale0, &f0)
                    if T.value > 1 { slot(1, scale1, &f1) }
                }
                if M.present {
                    // m·s_a rounded, then added in block order, as the one-token kernel's minimums.
                    let m = _mm512_castsi512_ps(p[Panel.mSlot])
                    f0.minimums = _mm512_add_ps(f0.minimums, _mm512_mul_ps(m, _mm512_set1_ps(scale[1])))
                    if T.value > 1 {
                        f1.minimums = _mm512_add_ps(
                            f1.minimums, _mm512_mul_ps(m, _mm512_set1_ps(scale[scaleRow &+ 1])))
                    }
                }
                p += Panel.vectorsPerBlock
                c += 32
                start += 8
                scale += pairWidth
            }
            let count = min(16, rows &- group &* 16)
            let mask = UInt16(truncatingIfNeeded: (1 << count) &- 1)
            @inline(__always) func store(_ t: Int, _ f: SlotSums) {
                let offset = (first &+ t) &* outStride &+ group &* 16
                let sum = M.present ? _mm512_add_ps(f.total(), f.minimums) : f.total()
                _mm512_mask_storeu_ps(out + offset, mask, sum)
            }
            store(0, f0)
            if T.value > 1 { store(1, f1) }
        }
    }
#endif
