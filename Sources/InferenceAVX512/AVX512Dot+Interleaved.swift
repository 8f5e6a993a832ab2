#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import CPrefetch

    /// The row runs (`AVX512Dot+Rows.swift`) over weights rewritten at load time with four
    /// rows' blocks side by side (`Inference.InterleavedRows` writes them), for decode.
    ///
    /// The runs over the file's layout read four rows at once, so their loads walk four streams
    /// 0.4-0.7 KB apart. This VM's hardware prefetcher follows one stream at 28-31 GB/s but
    /// four interleaved ones at 8-17, and software prefetch only brings them to 15-25 (the
    /// `prefetchnta` then stalls the loop: 14% of a Q4_K_M decode's samples sat on it). Here
    /// the four rows' block b is one run of bytes, so the weights are read in memory order, and
    /// the block is laid out as the kernel wants it, which drops the per-row scalar loads and
    /// byte shuffles:
    ///
    /// - Q8_0 (136 bytes): d of rows 0-3 (F16), then the codes of rows 0, 1, 2, 3 (32 bytes each)
    ///   as unsigned u = x + 128, so a 64-byte load is two rows' lanes.
    /// - Q5_0 (88 bytes): d of rows 0-3, the fifth bits of rows 0-1 (64 bits: row 0's element k
    ///   at bit k, row 1's at bit 32 + k), those of rows 2-3, then 64 bytes whose low nibbles
    ///   are rows 0-1's low four bits in lane order (byte k: row 0's element k, byte 32 + k: row
    ///   1's) and whose high nibbles are rows 2-3's.
    /// - Q4_1 (80 bytes): (d, m) of rows 0-3 (F16 pairs), then 64 nibble bytes as Q5_0's.
    ///
    /// A C model of the Q5_0 run, SmolLM2's 576-column rows, 55 MB streamed from DRAM on Zen 4:
    /// file layout 14-15 GB/s, interleaved 19-22 without a software prefetch and 27-29 with.
    /// The integers and float operations per (row, token) are the runs' own, in the same order,
    /// so the sums are bit-identical to theirs (and to the one-token kernels').
    extension AVX512Dot {

        /// Q8_0 rows (a multiple of four) in the interleaved layout, as `q8_0Rows`.
        @inline(never)
        public static func q8_0Interleaved(
            _ w: UnsafeRawPointer, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            offsetRuns(
                .q8_0, .interleaved, w, rowBytes: 0, rows: rows, a, tokens: tokens, blocks, out: out,
                outStride: outStride)
        }

        /// Q5_0 rows (a multiple of four) in the interleaved layout, as `q5_0Rows`.
        @inline(never)
        public static func q5_0Interleaved(
            _ w: UnsafeRawPointer, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            offsetRuns(
                .q5_0, .interleaved, w, rowBytes: 0, rows: rows, a, tokens: tokens, blocks, out: out,
                outStride: outStride)
        }

        /// Q4_1 rows (a multiple of four) in the interleaved layout, as `q4_1Rows`.
        @inline(never)
        public static func q4_1Interleaved(
            _ w: UnsafeRawPointer, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            switch tokens {
            case 1: q4_1Interleaved(OneToken.self, w, rows: rows, a, blocks, out: out, outStride: outStride)
            case 2: q4_1Interleaved(TwoTokens.self, w, rows: rows, a, blocks, out: out, outStride: outStride)
            case 3: q4_1Interleaved(ThreeTokens.self, w, rows: rows, a, blocks, out: out, outStride: outStride)
            default: q4_1Interleaved(FourTokens.self, w, rows: rows, a, blocks, out: out, outStride: outStride)
            }
        }

        @inline(__always)
        private static func q4_1Interleaved<T: TokenCount>(
            _: T.Type, _ w: UnsafeRawPointer, rows: Int, _ a: Rows4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            let low = _mm512_set1_epi8(0x0f)
            let lanes01 = RowQuad.spread(0, 2)
            let lanes23 = RowQuad.spread(4, 6)
            var block = w
            var r = 0
            while r < rows {
                var acc = RunAccumulators()
                for b in 0..<blocks {
                    Interleaved.prefetch(after: block, blockBytes: Interleaved.q4_1)
                    let halves = _mm256_cvtph_ps(Z.load16(block))
                    let (q01, q23) = Z.nibbleHalves(Z.load64(block + 16), low)
                    Q4_1Sums.add(T.self, halves, q01, q23, a, block: b, lanes01, lanes23, into: &acc)
                    block += Interleaved.q4_1
                }
                acc.store(T.self, withMinimums: true, into: out + r, outStride: outStride, put: RunAccumulators.put)
                r &+= 4
            }
        }
    }

    /// Where a run's four rows of block b are: the file's rows, `rowBytes` apart, or one block of
    /// the interleaved layout.
    enum RunLayout {
        case file, interleaved
    }

    extension Z {
        /// A 64-byte vector's low nibbles and high nibbles as two vectors of bytes.
        @inline(__always)
        static func nibbleHalves(_ v: __m512i, _ low: __m512i) -> (__m512i, __m512i) {
            (_mm512_and_si512(v, low), _mm512_and_si512(_mm512_srli_epi16(v, 4), low))
        }
    }

    extension OffsetBlocks {
        /// Bytes of a block of four rows in the interleaved layout.
        var interleavedBytes: Int {
            @inline(__always) get { self == .q8_0 ? AVX512Dot.Interleaved.q8_0 : AVX512Dot.Interleaved.q5_0 }
        }

        /// Rows 0-1's unsigned codes and rows 2-3's from an interleaved block of four rows.
        @inline(__always)
        func interleavedCodes(_ p: UnsafeRawPointer) -> (__m512i, __m512i) {
            switch self {
            case .q8_0:
                return (Z.load64(p + 8), Z.load64(p + 72))
            case .q5_0:
                let (u01, u23) = Z.nibbleHalves(Z.load64(p + 24), _mm512_set1_epi8(0x0f))
                let sixteen = _mm512_set1_epi8(16)
                return (
                    _mm512_mask_add_epi8(u01, p.loadUnaligned(fromByteOffset: 8, as: UInt64.self), u01, sixteen),
                    _mm512_mask_add_epi8(u23, p.loadUnaligned(fromByteOffset: 16, as: UInt64.self), u23, sixteen)
                )
            }
        }
    }
#endif
