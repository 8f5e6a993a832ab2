#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// AVX-512 K-quant kernels, one token and four. The integers are computed 64 bytes at a time
    /// (both nibbles of a Q4_K quarter, two 32-code groups of Q6_K) and are exact, so they equal the
    /// AVX2 kernels' lane for lane; the float operations are `Inference.AVX2Dot`'s, in its order
    /// (llama.cpp's repacked Q4_K GEMV/GEMM, Q6_K `vec_dot` and tiled kernel; see
    /// `AVX2Dot+KQuants.swift`), so the results are bit-identical to the AVX2 path.
    extension AVX512Dot {
        // MARK: Q4_K

        /// A Q4_K super-block unpacked: per quarter p, its 64 codes (low nibbles, then high) and the
        /// 16-bit scales of its two sub-blocks (32 lanes each), plus the packed minimums.
        struct Q4KBlock {
            var codes: (__m512i, __m512i, __m512i, __m512i)
            var scales: (__m512i, __m512i, __m512i, __m512i)
            var mins: UInt64
            var d: Float
            var dmin: Float

            @inline(__always)
            init(_ block: UnsafeRawPointer) {
                (d, dmin) = Z.halfPair(block)
                let (packedScales, mins) = unpackScaleMin(block + 4)
                self.mins = mins
                let scaleWords = _mm512_cvtepu8_epi16(
                    _mm256_castsi128_si256(_mm_cvtsi64_si128(Int64(bitPattern: packedScales))))
                @inline(__always) func quarter(_ p: Int) -> (__m512i, __m512i) {
                    let packed = Z.twice(Z.load32(block + 16 + 32 * p))
                    let codes = _mm512_and_si512(
                        _mm512_mask_srli_epi16(packed, 0xFFFF_0000, packed, 4), _mm512_set1_epi8(0x0f))
                    let select = __m512i(
                        lowHalf: _mm256_set1_epi16(Int16(2 * p)), highHalf: _mm256_set1_epi16(Int16(2 * p + 1)))
                    return (codes, _mm512_permutexvar_epi16(select, scaleWords))
                }
                let q0 = quarter(0)
                let q1 = quarter(1)
                let q2 = quarter(2)
                let q3 = quarter(3)
                codes = (q0.0, q1.0, q2.0, q3.0)
                scales = (q0.1, q1.1, q2.1, q3.1)
            }

            /// Per quarter: Σ scale·(code·activation) over its 64 elements, as 16 Int32 lanes.
            @inline(__always)
            func products(_ a: UnsafePointer<Int8>) -> (__m512i, __m512i, __m512i, __m512i) {
                @inline(__always) func one(_ codes: __m512i, _ scales: __m512i, _ p: Int) -> __m512i {
                    _mm512_madd_epi16(_mm512_maddubs_epi16(codes, Z.load64(a + 64 * p)), scales)
                }
                return (
                    one(codes.0, scales.0, 0), one(codes.1, scales.1, 1), one(codes.2, scales.2, 2),
                    one(codes.3, scales.3, 3)
                )
            }
        }

        @inline(never)
        public static func q4_K(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            q4_KSum(w, a, blocks)
        }

        /// `q4_K` of each of `rows` rows (`rowBytes` apart) with `tokens` tokens of `a` (`eachRow`).
        @inline(never)
        public static func q4_KRows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            eachRow(w, rowBytes: rowBytes, rows: rows, tokens: tokens, out: out, outStride: outStride) {
                q4_KSum($0, Z.row(a, $1), blocks)
            }
        }

        @inline(__always)
        static func q4_KSum(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc: Float = 0
            var minimums: Float = 0
            for b in 0..<blocks {
                let unpacked = Q4KBlock(w + b * Layout.q4_K)
                let p = unpacked.products(a.codes + 256 * b)
                let total = Z.total(_mm512_add_epi32(_mm512_add_epi32(p.0, p.1), _mm512_add_epi32(p.2, p.3)))
                let minTerms = minProducts(unpacked.mins, a.blockSums + 16 * b).wrappedSum()
                let da = a.scales[b]
                acc = acc.addingProduct(Float(total), unpacked.d * da)
                minimums = minimums.addingProduct(Float(minTerms), unpacked.dmin * da)
            }
            return acc - minimums
        }

        /// Q4_K for four tokens: one FMA per 64-element quarter, as `AVX2Dot.q4_Kx4`.
        @inline(never)
        public static func q4_Kx4(
            _ w: UnsafeRawPointer, _ a: (AVX512Row, AVX512Row, AVX512Row, AVX512Row),
            _ blocks: Int
        ) -> SIMD4<Float> {
            var acc = SIMD4<Float>()
            var minimums = SIMD4<Float>()
            for b in 0..<blocks {
                let unpacked = Q4KBlock(w + b * Layout.q4_K)
                @inline(__always) func integers(_ row: AVX512Row) -> (SIMD4<Int32>, SIMD4<Int32>) {
                    let p = unpacked.products(row.codes + 256 * b)
                    return (Z.totals(p.0, p.1, p.2, p.3), minProducts(unpacked.mins, row.blockSums + 16 * b))
                }
                let (t0, m0) = integers(a.0)
                let (t1, m1) = integers(a.1)
                let (t2, m2) = integers(a.2)
                let (t3, m3) = integers(a.3)
                let da = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
                let scale = unpacked.d * da
                let minScale = unpacked.dmin * da
                for p in 0..<4 {
                    acc = acc.addingProduct(SIMD4(Float(t0[p]), Float(t1[p]), Float(t2[p]), Float(t3[p])), scale)
                    minimums = minimums.addingProduct(
                        SIMD4(Float(m0[p]), Float(m1[p]), Float(m2[p]), Float(m3[p])), minScale)
                }
            }
            return acc - minimums
        }

        /// As `AVX2Dot.unpackScaleMin`: the eight 6-bit scales and minimums, one per byte.
        @inline(__always)
        static func unpackScaleMin(_ p: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
            let w0 = p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
            let w1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            let w2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
            let low6: UInt32 = 0x3f3f_3f3f
            let low4: UInt32 = 0x0f0f_0f0f
            let low2: UInt32 = 0x0303_0303
            let scalesLow = w0 & low6
            let scalesHigh = (w2 & low4) | (((w0 >> 6) & low2) << 4)
            let minsLow = w1 & low6
            let minsHigh = ((w2 >> 4) & low4) | (((w1 >> 6) & low2) << 4)
            return (UInt64(scalesLow) | UInt64(scalesHigh) << 32, UInt64(minsLow) | UInt64(minsHigh) << 32)
        }

        /// As `AVX2.minProducts`: lane l = m[2l]·s[2l] + m[2l+1]·s[2l+1], exact.
        @inline(__always)
        static func minProducts(_ mins: UInt64, _ sums: UnsafePointer<Int16>) -> SIMD4<Int32> {
            let pairSums = _mm_hadd_epi16(Z.load16(UnsafeRawPointer(sums)), Z.load16(UnsafeRawPointer(sums + 8)))
            let minimums = _mm_cvtepu8_epi16(_mm_cvtsi64_si128(Int64(bitPattern: mins)))
            return unsafeBitCast(_mm_madd_epi16(minimums, pairSums), to: SIMD4<Int32>.self)
        }
    }
#endif
