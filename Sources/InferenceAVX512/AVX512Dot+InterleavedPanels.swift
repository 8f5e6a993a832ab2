#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// The prompt panels (`AVX512Dot+Panels.swift`) over the interleaved layout
    /// (`AVX512Dot+Interleaved.swift`), so that a matrix with an interleaved copy never reads
    /// the file's rows again and they can leave memory (`Inference.InterleavedRows`). The panel
    /// holds the same codes and scales whichever layout it was unpacked from, so the sums are the
    /// same bit for bit.
    extension AVX512Dot {
        /// Q5_0 rows (a multiple of four) from the interleaved group at `w`, as `q5_0Panels`.
        @inline(never)
        public static func q5_0InterleavedPanels(
            _ w: UnsafeRawPointer, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>, tokens: Int,
            columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q5_0, .interleaved, w, rowBytes: 0, rows: rows, codes: codes, scales: scales, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }

        /// Q8_0 rows, as `q5_0InterleavedPanels`.
        @inline(never)
        public static func q8_0InterleavedPanels(
            _ w: UnsafeRawPointer, rows: Int, codes: UnsafePointer<Int8>, scales: UnsafePointer<Float>, tokens: Int,
            columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q8_0, .interleaved, w, rowBytes: 0, rows: rows, codes: codes, scales: scales, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }

        /// Q4_1 rows against Q8_1 activations, as `q4_1Panels`.
        @inline(never)
        public static func q4_1InterleavedPanels(
            _ w: UnsafeRawPointer, rows: Int, codes: UnsafePointer<Int8>, pairs: UnsafePointer<Float>, tokens: Int,
            columns: Int, out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            panels(
                .q4_1, .interleaved, w, rowBytes: 0, rows: rows, codes: codes, scales: pairs, tokens: tokens,
                columns: columns, out: out, outStride: outStride)
        }
    }

    extension PanelBlocks {
        /// Bytes of a block of four rows in the interleaved layout.
        var interleavedBytes: Int {
            @inline(__always) get {
                switch self {
                case .q8_0: AVX512Dot.Interleaved.q8_0
                case .q5_0: AVX512Dot.Interleaved.q5_0
                case .q4_1: AVX512Dot.Interleaved.q4_1
                }
            }
        }

        /// Rows 0-1's unsigned codes and rows 2-3's from an interleaved block of four rows.
        @inline(__always)
        func interleavedCodes(_ p: UnsafeRawPointer) -> (__m512i, __m512i) {
            switch self {
            case .q8_0: OffsetBlocks.q8_0.interleavedCodes(p)
            case .q5_0: OffsetBlocks.q5_0.interleavedCodes(p)
            case .q4_1: Z.nibbleHalves(Z.load64(p + 16), _mm512_set1_epi8(0x0f))
            }
        }
    }

    extension Panel {
        /// `pack` from the interleaved groups at `w` (`rows` a multiple of four; groups past
        /// `rows` repeat the last one, their sums not stored).
        @inline(__always)
        static func packInterleaved(
            _ kind: PanelBlocks, _ w: UnsafeRawPointer, rows: Int, blocks: Int,
            into panel: UnsafeMutablePointer<__m512i>
        ) {
            let lastGroup = (rows &- 1) / 4
            let groupBytes = blocks &* kind.interleavedBytes
            for half in 0..<2 where half &* 16 < rows {
                for b in 0..<blocks {
                    @inline(__always) func block(_ q: Int) -> UnsafeRawPointer {
                        w + (min(half &* 4 &+ q, lastGroup) &* groupBytes &+ b &* kind.interleavedBytes)
                    }
                    let (u0, u1) = kind.interleavedCodes(block(0))
                    let (u2, u3) = kind.interleavedCodes(block(1))
                    let (u4, u5) = kind.interleavedCodes(block(2))
                    let (u6, u7) = kind.interleavedCodes(block(3))
                    let target: UnsafeMutablePointer<__m512i> = panel + (b &* vectorsPerBlock &+ half &* groupVectors)
                    transpose(u0, u1, u2, u3, u4, u5, u6, u7, into: target)
                    if kind == .q4_1 {
                        // Four groups' (d, m) pairs: d in each 32-bit lane's low half, m in its high.
                        let pairs = _mm512_set_epi64(
                            block(3).loadUnaligned(fromByteOffset: 8, as: Int64.self),
                            block(3).loadUnaligned(as: Int64.self),
                            block(2).loadUnaligned(fromByteOffset: 8, as: Int64.self),
                            block(2).loadUnaligned(as: Int64.self),
                            block(1).loadUnaligned(fromByteOffset: 8, as: Int64.self),
                            block(1).loadUnaligned(as: Int64.self),
                            block(0).loadUnaligned(fromByteOffset: 8, as: Int64.self),
                            block(0).loadUnaligned(as: Int64.self))
                        target[dSlot] = _mm512_castps_si512(_mm512_cvtph_ps(_mm512_cvtepi32_epi16(pairs)))
                        target[mSlot] = _mm512_castps_si512(
                            _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(pairs, 16))))
                    } else {
                        let d = _mm256_set_epi64x(
                            block(3).loadUnaligned(as: Int64.self), block(2).loadUnaligned(as: Int64.self),
                            block(1).loadUnaligned(as: Int64.self), block(0).loadUnaligned(as: Int64.self))
                        target[dSlot] = _mm512_castps_si512(_mm512_cvtph_ps(d))
                    }
                }
            }
        }
    }
#endif
