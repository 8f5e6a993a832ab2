#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    /// One to four tokens against a run of weight rows (decode, a speculative verification pass,
    /// a step of a few sequences): four rows per step, two per 512-bit register, row r in lanes
    /// 0-7 and row r+1 in lanes 8-15.
    ///
    /// The one-token kernels (`AVX512Dot+Legacy.swift`) sum a row in one accumulator, so each
    /// block waits for the previous block's FMA (4 cycles on Zen 4) and a row of 18 blocks is
    /// bound by that chain. Here four rows' chains run side by side, the activation codes are
    /// loaded once for the four, and each 512-bit instruction does two rows' work. With several
    /// tokens, each block of four rows is unpacked once for all of them. Every (row, token) sum
    /// still gets its own eight lanes, the same integer lane sums, the same float operations in
    /// block order, and the same `hsum`, so the results are bit-identical to the one-token kernels
    /// (hence to the AVX2 path and llama.cpp's AVX2 build). One call covers a thread's share of a
    /// matrix, which also saves a call and a prefetch loop per row in `MatMulPlan`.
    ///
    /// Row i's sum for token t goes to `out[t * outStride + i]`; tokens past `tokens` in `a` are
    /// not read.
    extension AVX512Dot {
        public typealias Rows4 = (AVX512Row, AVX512Row, AVX512Row, AVX512Row)

        /// Q4_1 rows.
        @inline(never)
        public static func q4_1Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            switch tokens {
            case 1:
                q4_1Rows(OneToken.self, w, rowBytes: rowBytes, rows: rows, a, blocks, out: out, outStride: outStride)
            case 2:
                q4_1Rows(TwoTokens.self, w, rowBytes: rowBytes, rows: rows, a, blocks, out: out, outStride: outStride)
            case 3:
                q4_1Rows(ThreeTokens.self, w, rowBytes: rowBytes, rows: rows, a, blocks, out: out, outStride: outStride)
            default:
                q4_1Rows(FourTokens.self, w, rowBytes: rowBytes, rows: rows, a, blocks, out: out, outStride: outStride)
            }
        }

        @inline(__always)
        private static func q4_1Rows<T: TokenCount>(
            _: T.Type, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            let low = _mm512_set1_epi8(0x0f)
            let lanes01 = RowQuad.spread(0, 2)
            let lanes23 = RowQuad.spread(4, 6)
            var r = 0
            while r < rows {
                let first = RowQuad(w, rowBytes: rowBytes, r: r, rows: rows)
                var acc = RunAccumulators()
                for b in 0..<blocks {
                    let o = b &* Layout.q4_1
                    // (d, m) of rows r...r+3, and their codes, once for every token.
                    let halves = _mm256_cvtph_ps(
                        _mm_setr_epi32(first.load32(0, o), first.load32(1, o), first.load32(2, o), first.load32(3, o)))
                    let q01 = nibblePair(first.row(0) + o + 4, first.row(1) + o + 4, low)
                    let q23 = nibblePair(first.row(2) + o + 4, first.row(3) + o + 4, low)
                    Q4_1Sums.add(T.self, halves, q01, q23, a, block: b, lanes01, lanes23, into: &acc)
                }
                acc.store(T.self, withMinimums: true, into: out, outStride: outStride) {
                    first.store($0, $1, $2, $3, into: $4)
                }
                r &+= 4
            }
        }

        /// Q8_0 rows.
        @inline(never)
        public static func q8_0Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            offsetRuns(
                .q8_0, .file, w, rowBytes: rowBytes, rows: rows, a, tokens: tokens, blocks, out: out,
                outStride: outStride)
        }

        /// Q5_0 rows.
        @inline(never)
        public static func q5_0Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            offsetRuns(
                .q5_0, .file, w, rowBytes: rowBytes, rows: rows, a, tokens: tokens, blocks, out: out,
                outStride: outStride)
        }

        /// `offsetRows` with its lane starts on the stack. The allocation sits here, inlined into
        /// the non-generic entry points: a closure specialized for a generic parameter did not get
        /// the intrinsics inlined. The closure is one function for all four entry points, so it
        /// tests the kind in every block; one closure per (kind, layout) measured the same (the
        /// runs wait on memory, not on that branch).
        @inline(__always)
        static func offsetRuns(
            _ kind: OffsetBlocks, _ layout: RunLayout, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4,
            tokens: Int, _ blocks: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            withUnsafeTemporaryAllocation(of: __m512i.self, capacity: tokens * blocks) { buffer in
                guard let starts = buffer.baseAddress else { return }
                offsetRows(
                    kind, layout, w, rowBytes: rowBytes, rows: rows, a, tokens: tokens, blocks, starts: starts,
                    out: out, outStride: outStride)
            }
        }

        /// The lane starts of `tokens` tokens (−offset · four codes, per token and block) into
        /// `starts`, then the run for the token count known at run time.
        @inline(__always)
        static func offsetRows(
            _ kind: OffsetBlocks, _ layout: RunLayout, _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4,
            tokens: Int,
            _ blocks: Int,
            starts: UnsafeMutablePointer<__m512i>, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            let offsets = _mm512_set1_epi8(Int8(bitPattern: kind.offset))
            for t in 0..<tokens {
                let x = Z.row(a, t)
                for b in 0..<blocks {
                    starts[t &* blocks &+ b] = Z.offsetStarts(offsets, Z.twice(Z.load32(x.codes + 32 &* b)))
                }
            }
            let run = OffsetRun(
                kind: kind, layout: layout, w: w, rowBytes: rowBytes, rows: rows, a: a, blocks: blocks,
                starts: UnsafePointer(starts),
                out: out,
                outStride: outStride)
            switch tokens {
            case 1: run.compute(OneToken.self)
            case 2: run.compute(TwoTokens.self)
            case 3: run.compute(ThreeTokens.self)
            default: run.compute(FourTokens.self)
            }
        }

        /// `out[t * outStride + i] = sum(row i, token t)` row by row, each row once for every
        /// token, with every line of the row `KQ.ahead` ahead prefetched (for the K-quants,
        /// whose one-row kernels are not bound by one FMA chain).
        @inline(__always)
        static func eachRow(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, tokens: Int, out: UnsafeMutablePointer<Float>,
            outStride: Int, sum: (UnsafeRawPointer, Int) -> Float
        ) {
            var row = w
            let ahead = KQ.ahead
            for i in 0..<rows {
                if i &+ ahead < rows { Z.prefetchLines(row + ahead &* rowBytes, row + (ahead &+ 1) &* rowBytes) }
                if i &+ KQ.stream < rows {
                    Z.prefetchLines(
                        row + KQ.stream &* rowBytes, row + (KQ.stream &+ 1) &* rowBytes, stream: true)
                }
                for t in 0..<tokens { out[t &* outStride &+ i] = sum(row, t) }
                row += rowBytes
            }
        }

        /// 16 packed bytes of two rows as 32 nibble codes each, in `Z.nibbles`' order (low
        /// nibbles, then high), row x in the lower half: [x, x >> 4, y, y >> 4] per 128 bits.
        @inline(__always)
        static func nibblePair(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer, _ low: __m512i) -> __m512i {
            let packed = __m512i(
                lowHalf: _mm256_broadcastsi128_si256(Z.load16(x)), highHalf: _mm256_broadcastsi128_si256(Z.load16(y)))
            let four: Int64 = 0x0004_0004_0004_0004 // four 16-bit shift counts of 4
            let shifts = _mm512_set_epi64(four, four, 0, 0, four, four, 0, 0)
            return _mm512_and_si512(_mm512_srlv_epi16(packed, shifts), low)
        }
    }

    /// Four consecutive rows from row r (the last ones repeated past the end, their sums stored
    /// twice to the same place), with a prefetch of the four rows `prefetchRows` ahead.
    struct RowQuad {
        let base: UnsafeRawPointer
        let rowBytes: Int
        let indices: SIMD4<Int>

        /// Permutation indices spreading scale lane i over lanes 0-7 and lane j over lanes 8-15
        /// (a two-row accumulator's per-row scales).
        @inline(__always)
        static func spread(_ i: Int32, _ j: Int32) -> __m512i {
            _mm512_set_epi32(j, j, j, j, j, j, j, j, i, i, i, i, i, i, i, i)
        }

        /// Rows are prefetched this many rows ahead of the four being read (SmolLM2 Q4_1 tg64, 1/2
        /// threads: 8 rows 270/400 t/s, 12 rows 290/403, 16 rows 320/401, 24 rows 320/380).
        static let prefetchRows = 16

        /// Rows `streamRows` ahead are also asked for, with the stream's hint (`prefetchnta` on
        /// AMD, `prefetcht0` on Intel: `Inference.StreamPrefetch`). On Zen 4, non-temporally:
        /// more of the stream in flight than L1's fill buffers allow with `prefetcht0` alone. Decode (tg64)
        /// t/s at 1/2 threads without → with it at 24 rows (32 rows): Gemma 3 270M 138/198 →
        /// 157/231 (158/232), SmolLM2 Q4_1 309/385 → 343/390 (335/408), Q4_K_M 289/348 →
        /// 318/384 (307/353). An L2 prefetch (`prefetcht1`) at 48 or 96 rows gained nothing.
        static let streamRows = 24

        @inline(__always)
        init(_ w: UnsafeRawPointer, rowBytes: Int, r: Int, rows: Int) {
            base = w
            self.rowBytes = rowBytes
            let last = rows &- 1
            indices = SIMD4(r, min(r &+ 1, last), min(r &+ 2, last), min(r &+ 3, last))
            // Within the run only: past its end are another thread's rows or another matrix.
            let ahead = min(r &+ Self.prefetchRows, rows)
            Z.prefetchLines(w + ahead &* rowBytes, w + min(ahead &+ 4, rows) &* rowBytes)
            let stream = min(r &+ Self.streamRows, rows)
            Z.prefetchLines(w + stream &* rowBytes, w + min(stream &+ 4, rows) &* rowBytes, stream: true)
        }

        @inline(__always) func row(_ i: Int) -> UnsafeRawPointer { base + indices[i] &* rowBytes }

        @inline(__always)
        func load32(_ i: Int, _ offset: Int) -> Int32 { row(i).loadUnaligned(fromByteOffset: offset, as: Int32.self) }

        @inline(__always)
        func load16(_ i: Int, _ offset: Int) -> Int16 { row(i).loadUnaligned(fromByteOffset: offset, as: Int16.self) }

        @inline(__always)
        func store(_ s0: Float, _ s1: Float, _ s2: Float, _ s3: Float, into out: UnsafeMutablePointer<Float>) {
            out[indices[0]] = s0
            out[indices[1]] = s1
            out[indices[2]] = s2
            out[indices[3]] = s3
        }
    }
    /// How a block type with an F16 scale d and 32 codes x gives them as unsigned u = x + offset
    /// (Q5_0 stores them so, with 16; Q8_0's flip their sign bit, 128), two rows side by side.
    /// An enum, not a protocol: no witness table keeps out-of-line copies of the intrinsics.
    enum OffsetBlocks {
        case q8_0, q5_0

        var blockBytes: Int {
            @inline(__always) get { self == .q8_0 ? Layout.q8_0 : Layout.q5_0 }
        }

        var offset: UInt8 {
            @inline(__always) get { self == .q8_0 ? 128 : 16 }
        }

        /// Row x's block in lanes 0-7, row y's in lanes 8-15.
        @inline(__always)
        func codes(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer) -> __m512i {
            switch self {
            case .q8_0:
                return _mm512_xor_si512(
                    __m512i(lowHalf: Z.load32(x + 2), highHalf: Z.load32(y + 2)), _mm512_set1_epi8(-128))
            case .q5_0:
                let nibbles = AVX512Dot.nibblePair(x + 6, y + 6, _mm512_set1_epi8(0x0f))
                let high =
                    UInt64(x.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
                    | UInt64(y.loadUnaligned(fromByteOffset: 2, as: UInt32.self)) << 32
                return _mm512_mask_add_epi8(nibbles, high, nibbles, _mm512_set1_epi8(16))
            }
        }
    }

    /// Blocks of type `kind` over a run of rows: each lane starts from −offset · (its four
    /// activation codes) (`starts`, per token and block), so `dpbusd` leaves Σ x·a per lane, the
    /// integers the one-token kernel's sign trick gives; then `fma(Σ, d·scale, acc)` as there.
    struct OffsetRun {
        let kind: OffsetBlocks
        let layout: RunLayout
        let w: UnsafeRawPointer
        let rowBytes: Int
        let rows: Int
        let a: AVX512Dot.Rows4
        let blocks: Int
        let starts: UnsafePointer<__m512i>
        let out: UnsafeMutablePointer<Float>
        let outStride: Int

        @inline(__always)
        func compute<T: TokenCount>(_: T.Type) {
            let lanes01 = RowQuad.spread(0, 1)
            let lanes23 = RowQuad.spread(2, 3)
            var block = w
            var r = 0
            while r < rows {
                var acc = RunAccumulators()
                @inline(__always)
                func add(_ d: __m128, _ u01: __m512i, _ u23: __m512i, _ b: Int) {
                    @inline(__always)
                    func token(_ x: AVX512Row, _ t: Int, _ sums: inout RunSums) {
                        let activation = Z.twice(Z.load32(x.codes + 32 &* b))
                        let start = starts[t &* blocks &+ b]
                        let scales = _mm512_castps128_ps512(_mm_mul_ps(d, _mm_set1_ps(x.scales[b])))
                        let p01 = _mm512_dpbusd_epi32(start, u01, activation)
                        let p23 = _mm512_dpbusd_epi32(start, u23, activation)
                        sums.acc01 = _mm512_fmadd_ps(
                            _mm512_cvtepi32_ps(p01), _mm512_permutexvar_ps(lanes01, scales), sums.acc01)
                        sums.acc23 = _mm512_fmadd_ps(
                            _mm512_cvtepi32_ps(p23), _mm512_permutexvar_ps(lanes23, scales), sums.acc23)
                    }
                    token(a.0, 0, &acc.t0)
                    if T.value > 1 { token(a.1, 1, &acc.t1) }
                    if T.value > 2 { token(a.2, 2, &acc.t2) }
                    if T.value > 3 { token(a.3, 3, &acc.t3) }
                }
                switch layout {
                case .file:
                    let first = RowQuad(w, rowBytes: rowBytes, r: r, rows: rows)
                    for b in 0..<blocks {
                        let o = b &* kind.blockBytes
                        let d = _mm_cvtph_ps(
                            _mm_setr_epi16(
                                first.load16(0, o), first.load16(1, o), first.load16(2, o), first.load16(3, o), 0, 0,
                                0, 0))
                        add(
                            d, kind.codes(first.row(0) + o, first.row(1) + o),
                            kind.codes(first.row(2) + o, first.row(3) + o), b)
                    }
                    acc.store(T.self, withMinimums: false, into: out, outStride: outStride) {
                        first.store($0, $1, $2, $3, into: $4)
                    }
                case .interleaved:
                    for b in 0..<blocks {
                        AVX512Dot.Interleaved.prefetch(after: block, blockBytes: kind.interleavedBytes)
                        let (u01, u23) = kind.interleavedCodes(block)
                        add(_mm_cvtph_ps(_mm_loadl_epi64(block.assumingMemoryBound(to: __m128i_u.self))), u01, u23, b)
                        block += kind.interleavedBytes
                    }
                    acc.store(
                        T.self, withMinimums: false, into: out + r, outStride: outStride, put: RunAccumulators.put)
                }
                r &+= 4
            }
        }
    }

    /// How many rows ahead `eachRow` prefetches (a K-quant row of SmolLM2 or Gemma is 0.8-1.2 KB;
    /// 2, 4 and 6 measured within noise of each other, 4 marginally best), and how far ahead it
    /// asks with the stream's hint.
    enum KQ {
        static let ahead = 4
        static let stream = 8
    }
#endif
