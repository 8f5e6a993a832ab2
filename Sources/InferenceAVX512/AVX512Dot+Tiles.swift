#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Four weight rows × four tokens per call (batched decode and prefill): each token pair's
    /// activation codes and scales are loaded once for four rows, and each row's block is unpacked
    /// once for four tokens. Every one of the sixteen sums receives the same integer lane sums and
    /// exactly the float operations the four-token kernel (`AVX512Dot+Batch.swift`) applies to it,
    /// in the same block order, so the results stay bit-identical to it, to the one-token kernels
    /// and to the AVX2 path.
    ///
    /// `out[t * outStride + i]` receives row i's sum for token t.
    extension AVX512Dot {
        @inline(never)
        public static func q4_1Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Rows4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            var acc = TileAccumulators()
            var minimums = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
            for b in 0..<blocks {
                let codes01 = Z.pair(a.0.codes + 32 * b, a.1.codes + 32 * b)
                let codes23 = Z.pair(a.2.codes + 32 * b, a.3.codes + 32 * b)
                let scales01 = Z.pair(a.0.scales[b], a.1.scales[b])
                let scales23 = Z.pair(a.2.scales[b], a.3.scales[b])
                let sums = SIMD4(a.0.pairs[2 * b + 1], a.1.pairs[2 * b + 1], a.2.pairs[2 * b + 1], a.3.pairs[2 * b + 1])
                /// Row `i`'s block `b`: the four-token kernel's step, with `d * scale` as a lane product.
                @inline(__always)
                func row(
                    _ block: UnsafeRawPointer, _ acc01: inout __m512, _ acc23: inout __m512,
                    _ minimum: inout SIMD4<Float>
                ) {
                    let (d, m) = Z.halfPair(block)
                    let q = Z.nibblesTwice(block + 4)
                    let dd = _mm512_set1_ps(d)
                    acc01 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(Z.dot(q, codes01)), _mm512_mul_ps(dd, scales01), acc01)
                    acc23 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(Z.dot(q, codes23)), _mm512_mul_ps(dd, scales23), acc23)
                    minimum += m * sums
                }
                let block = w + b * Layout.q4_1
                row(block, &acc.r0p01, &acc.r0p23, &minimums.0)
                row(block + rowBytes, &acc.r1p01, &acc.r1p23, &minimums.1)
                row(block + 2 * rowBytes, &acc.r2p01, &acc.r2p23, &minimums.2)
                row(block + 3 * rowBytes, &acc.r3p01, &acc.r3p23, &minimums.3)
            }
            acc.store(out, outStride, adding: minimums)
        }

        @inline(never)
        public static func q8_0Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Rows4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            // x + 128 (the sign bit flipped) is unsigned, and −128·Σa takes the 128 back off.
            offsetBlocksTile(
                w, rowBytes: rowBytes, a, blocks, blockBytes: Layout.q8_0, offset: 128, out: out, outStride: outStride
            ) { _mm512_xor_si512(Z.twice(Z.load32($0 + 2)), _mm512_set1_epi8(-128)) }
        }

        @inline(never)
        public static func q5_0Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Rows4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            offsetBlocksTile(
                w, rowBytes: rowBytes, a, blocks, blockBytes: Layout.q5_0, offset: 16, out: out, outStride: outStride
            ) { Z.unsignedQ5Twice($0 + 6, qh: $0 + 2) }
        }

        /// Blocks of an F16 scale and 32 codes x, for four rows: `codes` gives them as unsigned
        /// u = x + offset (Q5_0 stores them so, with 16; Q8_0's flip their sign bit, 128), which
        /// `dpbusd` takes as they are, and each row's lane sums start from −offset·Σa (computed
        /// once per block for all four rows). Every lane ends with the integer Σ x·a that the
        /// four-token kernel's sign trick (`abs`, a sign mask, two activation negations) gives, so
        /// the same bits follow, in fewer instructions per row and block.
        @inline(__always)
        private static func offsetBlocksTile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Rows4, _ blocks: Int, blockBytes: Int, offset: UInt8,
            out: UnsafeMutablePointer<Float>, outStride: Int,
            codes: (UnsafeRawPointer) -> __m512i
        ) {
            var acc = TileAccumulators()
            let offsets = _mm512_set1_epi8(Int8(bitPattern: offset))
            for b in 0..<blocks {
                let codes01 = Z.pair(a.0.codes + 32 * b, a.1.codes + 32 * b)
                let codes23 = Z.pair(a.2.codes + 32 * b, a.3.codes + 32 * b)
                let scales01 = Z.pair(a.0.scales[b], a.1.scales[b])
                let scales23 = Z.pair(a.2.scales[b], a.3.scales[b])
                let start01 = Z.offsetStarts(offsets, codes01)
                let start23 = Z.offsetStarts(offsets, codes23)
                @inline(__always)
                func row(_ block: UnsafeRawPointer, _ acc01: inout __m512, _ acc23: inout __m512) {
                    let d = Z.half16(block)
                    let u = codes(block)
                    let p01 = _mm512_dpbusd_epi32(start01, u, codes01)
                    let p23 = _mm512_dpbusd_epi32(start23, u, codes23)
                    acc01 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p01), _mm512_mul_ps(d, scales01), acc01)
                    acc23 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p23), _mm512_mul_ps(d, scales23), acc23)
                }
                let block = w + b * blockBytes
                row(block, &acc.r0p01, &acc.r0p23)
                row(block + rowBytes, &acc.r1p01, &acc.r1p23)
                row(block + 2 * rowBytes, &acc.r2p01, &acc.r2p23)
                row(block + 3 * rowBytes, &acc.r3p01, &acc.r3p23)
            }
            acc.store(out, outStride, adding: nil)
        }
    }

    /// The eight two-token accumulators of a 4 × 4 tile: row i, tokens (0, 1) and (2, 3).
    struct TileAccumulators {
        var r0p01 = __m512(), r0p23 = __m512(), r1p01 = __m512(), r1p23 = __m512()
        var r2p01 = __m512(), r2p23 = __m512(), r3p01 = __m512(), r3p23 = __m512()

        /// Reduces each sum as the four-token kernel does (`hsum2`, then `+ minimums` where the type
        /// has them; none is added otherwise, which would turn a -0 into +0) and writes row i's sum
        /// for token t at `out[t * stride + i]`.
        @inline(__always)
        func store(
            _ out: UnsafeMutablePointer<Float>, _ stride: Int,
            adding minimums: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)?
        ) {
            @inline(__always)
            func sums(_ p01: __m512, _ p23: __m512, _ minimum: SIMD4<Float>?) -> SIMD4<Float> {
                let (s0, s1) = Z.hsum2(p01)
                let (s2, s3) = Z.hsum2(p23)
                guard let minimum else { return SIMD4(s0, s1, s2, s3) }
                return SIMD4(s0, s1, s2, s3) + minimum
            }
            let rows = (
                sums(r0p01, r0p23, minimums?.0), sums(r1p01, r1p23, minimums?.1),
                sums(r2p01, r2p23, minimums?.2), sums(r3p01, r3p23, minimums?.3)
            )
            for t in 0..<4 {
                out[t * stride] = rows.0[t]
                out[t * stride + 1] = rows.1[t]
                out[t * stride + 2] = rows.2[t]
                out[t * stride + 3] = rows.3[t]
            }
        }
    }
#endif
