#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// One token against a run of weight rows (decode): four rows per step, two per 512-bit
    /// register, row r in lanes 0-7 and row r+1 in lanes 8-15.
    ///
    /// The one-token kernels (`AVX512Dot+Legacy.swift`) sum a row in one accumulator, so each
    /// block waits for the previous block's FMA (4 cycles on Zen 4) and a row of 18 blocks is
    /// bound by that chain. Here four rows' chains run side by side, the activation codes are
    /// loaded once for the four, and each 512-bit instruction does two rows' work. Every row
    /// still gets its own eight lanes, the same integer lane sums, the same float operations in
    /// block order, and the same `hsum`, so the results are bit-identical to the one-token kernels
    /// (hence to the AVX2 path and llama.cpp's AVX2 build). One call covers a thread's share of a
    /// matrix, which also saves a call and a prefetch loop per row in `MatMulPlan`.
    extension AVX512Dot {
        /// `out[i] = row i · a` for the `rows` Q4_1 rows at `w` (`rowBytes` apart).
        @inline(never)
        public static func q4_1Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: AVX512Row, _ blocks: Int,
            out: UnsafeMutablePointer<Float>
        ) {
            let low = _mm512_set1_epi8(0x0f)
            let lanes01 = RowQuad.spread(0, 2)
            let lanes23 = RowQuad.spread(4, 6)
            var r = 0
            while r < rows {
                let first = RowQuad(w, rowBytes: rowBytes, r: r, rows: rows)
                var acc01 = __m512()
                var acc23 = __m512()
                var minimums = __m256()
                for b in 0..<blocks {
                    let o = b &* Layout.q4_1
                    let codes = Z.twice(Z.load32(a.codes + 32 &* b))
                    // (d·d_a, m·s_a) of rows r...r+3, as the one-token kernel's `scales` pairs.
                    let pair = _mm256_castpd_ps(
                        _mm256_set1_pd(UnsafeRawPointer(a.pairs + 2 &* b).loadUnaligned(as: Double.self)))
                    let scales = _mm256_mul_ps(
                        _mm256_cvtph_ps(
                            _mm_setr_epi32(
                                first.load32(0, o), first.load32(1, o), first.load32(2, o), first.load32(3, o))),
                        pair)
                    let wide = _mm512_castps256_ps512(scales)
                    let q01 = nibblePair(first.row(0) + o + 4, first.row(1) + o + 4, low)
                    let q23 = nibblePair(first.row(2) + o + 4, first.row(3) + o + 4, low)
                    acc01 = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(Z.dot(q01, codes)), _mm512_permutexvar_ps(lanes01, wide), acc01)
                    acc23 = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(Z.dot(q23, codes)), _mm512_permutexvar_ps(lanes23, wide), acc23)
                    minimums = _mm256_add_ps(minimums, scales)
                }
                let (s0, s1) = Z.hsum2(acc01)
                let (s2, s3) = Z.hsum2(acc23)
                first.store(s0 + minimums[1], s1 + minimums[3], s2 + minimums[5], s3 + minimums[7], into: out)
                r &+= 4
            }
        }

        /// `out[i] = row i · a` for Q8_0 rows.
        @inline(never)
        public static func q8_0Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: AVX512Row, _ blocks: Int,
            out: UnsafeMutablePointer<Float>
        ) {
            let flip = _mm512_set1_epi8(-128)
            offsetRows(w, rowBytes: rowBytes, rows: rows, a, blocks, blockBytes: Layout.q8_0, offset: 128, out: out) {
                _mm512_xor_si512(__m512i(lowHalf: Z.load32($0 + 2), highHalf: Z.load32($1 + 2)), flip)
            }
        }

        /// `out[i] = row i · a` for Q5_0 rows.
        @inline(never)
        public static func q5_0Rows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: AVX512Row, _ blocks: Int,
            out: UnsafeMutablePointer<Float>
        ) {
            let low = _mm512_set1_epi8(0x0f)
            let sixteen = _mm512_set1_epi8(16)
            offsetRows(w, rowBytes: rowBytes, rows: rows, a, blocks, blockBytes: Layout.q5_0, offset: 16, out: out) {
                let nibbles = nibblePair($0 + 6, $1 + 6, low)
                let high =
                    UInt64($0.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
                    | UInt64($1.loadUnaligned(fromByteOffset: 2, as: UInt32.self)) << 32
                return _mm512_mask_add_epi8(nibbles, high, nibbles, sixteen)
            }
        }

        /// Blocks of an F16 scale d and 32 codes x, stored (or read) as unsigned u = x + offset:
        /// `codes` gives two rows' u side by side. Each lane starts from −offset · (its four
        /// activation codes), computed once per block, so `dpbusd` leaves Σ x·a per lane, the
        /// integers the one-token kernel's sign trick gives; then `fma(Σ, d·scale, acc)` as there.
        @inline(__always)
        private static func offsetRows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: AVX512Row, _ blocks: Int, blockBytes: Int,
            offset: UInt8, out: UnsafeMutablePointer<Float>,
            codes: (UnsafeRawPointer, UnsafeRawPointer) -> __m512i
        ) {
            withUnsafeTemporaryAllocation(of: __m512i.self, capacity: blocks) { buffer in
                guard let starts = buffer.baseAddress else { return }
                let offsets = _mm512_set1_epi8(Int8(bitPattern: offset))
                let lanes01 = RowQuad.spread(0, 1)
                let lanes23 = RowQuad.spread(2, 3)
                for b in 0..<blocks {
                    starts[b] = Z.offsetStarts(offsets, Z.twice(Z.load32(a.codes + 32 &* b)))
                }
                var r = 0
                while r < rows {
                    let first = RowQuad(w, rowBytes: rowBytes, r: r, rows: rows)
                    var acc01 = __m512()
                    var acc23 = __m512()
                    for b in 0..<blocks {
                        let o = b &* blockBytes
                        let activation = Z.twice(Z.load32(a.codes + 32 &* b))
                        let d = _mm_cvtph_ps(
                            _mm_setr_epi16(
                                first.load16(0, o), first.load16(1, o), first.load16(2, o), first.load16(3, o), 0, 0,
                                0, 0))
                        let scales = _mm512_castps128_ps512(_mm_mul_ps(d, _mm_set1_ps(a.scales[b])))
                        let p01 = _mm512_dpbusd_epi32(starts[b], codes(first.row(0) + o, first.row(1) + o), activation)
                        let p23 = _mm512_dpbusd_epi32(starts[b], codes(first.row(2) + o, first.row(3) + o), activation)
                        acc01 = _mm512_fmadd_ps(
                            _mm512_cvtepi32_ps(p01), _mm512_permutexvar_ps(lanes01, scales), acc01)
                        acc23 = _mm512_fmadd_ps(
                            _mm512_cvtepi32_ps(p23), _mm512_permutexvar_ps(lanes23, scales), acc23)
                    }
                    let (s0, s1) = Z.hsum2(acc01)
                    let (s2, s3) = Z.hsum2(acc23)
                    first.store(s0, s1, s2, s3, into: out)
                    r &+= 4
                }
            }
        }

        /// `out[i] = sum(row i)` row by row, with every line of the row `KQ.ahead` ahead prefetched (for
        /// the K-quants, whose one-row kernels are not bound by one FMA chain).
        @inline(__always)
        static func eachRow(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, out: UnsafeMutablePointer<Float>,
            sum: (UnsafeRawPointer) -> Float
        ) {
            var row = w
            let ahead = KQ.ahead
            for i in 0..<rows {
                if i &+ ahead < rows { Z.prefetchLines(row + ahead &* rowBytes, row + (ahead &+ 1) &* rowBytes) }
                out[i] = sum(row)
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

        @inline(__always)
        init(_ w: UnsafeRawPointer, rowBytes: Int, r: Int, rows: Int) {
            base = w
            self.rowBytes = rowBytes
            let last = rows &- 1
            indices = SIMD4(r, min(r &+ 1, last), min(r &+ 2, last), min(r &+ 3, last))
            // Within the run only: past its end are another thread's rows or another matrix.
            let ahead = min(r &+ Self.prefetchRows, rows)
            Z.prefetchLines(w + ahead &* rowBytes, w + min(ahead &+ 4, rows) &* rowBytes)
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
    /// How many rows ahead `eachRow` prefetches (a K-quant row of SmolLM2 or Gemma is 0.8-1.2 KB;
    /// 2, 4 and 6 measured within noise of each other, 4 marginally best).
    enum KQ { static let ahead = 4 }
#endif
