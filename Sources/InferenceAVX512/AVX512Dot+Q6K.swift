#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// AVX-512 Q6_K kernels: `AVX2Dot.q6_KLanes` computed two 32-code groups per instruction. Each
    /// of the eight result lanes is the same exact integer as the AVX2 kernel's (the 16 lanes of a
    /// 512-bit product are the two groups' eight lanes, added at the end), so the float part, done
    /// as in `AVX2Dot+KQuants.swift`, rounds identically.
    extension AVX512Dot {
        /// A Q6_K super-block unpacked for any number of tokens: per half h, the 6-bit codes of
        /// groups (0, 1) and (2, 3) as 64 bytes each, with the 16-bit scale of every 16 codes.
        struct Q6KBlock {
            var codes: (__m512i, __m512i, __m512i, __m512i)
            var scales: (__m512i, __m512i, __m512i, __m512i)
            let scaleBytes: __m128i

            @inline(__always)
            init(_ block: UnsafeRawPointer) {
                let low4 = _mm512_set1_epi8(0x0f)
                let bits45 = _mm512_set1_epi8(0x30)
                scaleBytes = Z.load16(block + Layout.q6_Kscales)
                let scalePairs = _mm256_broadcastsi128_si256(scaleBytes)
                // Shifts of qh for groups 0 | 1 (left 4 | 2) and 2 | 3 (right 0 | 2), per 16-bit word.
                let shiftLow = __m512i(lowHalf: _mm256_set1_epi16(4), highHalf: _mm256_set1_epi16(2))
                let shiftHigh = __m512i(lowHalf: _mm256_set1_epi16(0), highHalf: _mm256_set1_epi16(2))
                @inline(__always) func half(_ h: Int) -> (__m512i, __m512i, __m512i, __m512i) {
                    let ql = Z.load64(block + Layout.q6_Kql + 64 * h)
                    let qh = Z.twice(Z.load32(block + Layout.q6_Kqh + 32 * h))
                    let codes01 = _mm512_or_si512(
                        _mm512_and_si512(ql, low4), _mm512_and_si512(_mm512_sllv_epi16(qh, shiftLow), bits45))
                    let codes23 = _mm512_or_si512(
                        _mm512_and_si512(_mm512_srli_epi16(ql, 4), low4),
                        _mm512_and_si512(_mm512_srlv_epi16(qh, shiftHigh), bits45))
                    // Scale bytes 8h + 0...3 (groups 0, 1) and 8h + 4...7 (groups 2, 3), each 8 times.
                    @inline(__always) func scales(_ first: Int8) -> __m512i {
                        let select = _mm256_add_epi8(
                            _mm256_set_epi64x(0x0303_0303_0303_0303, 0x0202_0202_0202_0202, 0x0101_0101_0101_0101, 0),
                            _mm256_set1_epi8(first))
                        return _mm512_cvtepi8_epi16(_mm256_shuffle_epi8(scalePairs, select))
                    }
                    return (codes01, codes23, scales(Int8(8 * h)), scales(Int8(8 * h + 4)))
                }
                let h0 = half(0)
                let h1 = half(1)
                codes = (h0.0, h0.1, h1.0, h1.1)
                scales = (h0.2, h0.3, h1.2, h1.3)
            }

            /// The eight lanes of `AVX2Dot.q6_KLanes` for activation codes `a` and 16-sums `sums`.
            @inline(__always)
            func lanes(_ a: UnsafePointer<Int8>, _ sums: UnsafePointer<Int16>) -> __m256i {
                @inline(__always) func one(_ codes: __m512i, _ scales: __m512i, _ offset: Int) -> __m512i {
                    _mm512_madd_epi16(_mm512_maddubs_epi16(codes, Z.load64(a + offset)), scales)
                }
                let total = _mm512_add_epi32(
                    _mm512_add_epi32(one(codes.0, scales.0, 0), one(codes.1, scales.1, 64)),
                    _mm512_add_epi32(one(codes.2, scales.2, 128), one(codes.3, scales.3, 192)))
                let eight = _mm256_add_epi32(total.lowHalf, total.highHalf)
                // The −32 offset per lane, as `AVX2.q6Offsets`.
                let products = _mm256_madd_epi16(Z.load32(UnsafeRawPointer(sums)), _mm256_cvtepi8_epi16(scaleBytes))
                return _mm256_sub_epi32(eight, _mm256_slli_epi32(products, 5))
            }
        }

        /// Q6_K for one token (llama.cpp's `vec_dot`).
        @inline(never)
        public static func q6_K(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            q6_KSum(w, a, blocks)
        }

        /// `q6_K` of each of `rows` rows (`rowBytes` apart) with `tokens` tokens of `a` (`eachRow`).
        @inline(never)
        public static func q6_KRows(
            _ w: UnsafeRawPointer, rowBytes: Int, rows: Int, _ a: Rows4, tokens: Int, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            eachRow(w, rowBytes: rowBytes, rows: rows, tokens: tokens, out: out, outStride: outStride) {
                q6_KSum($0, Z.row(a, $1), blocks)
            }
        }

        @inline(__always)
        static func q6_KSum(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var acc = __m256()
            for b in 0..<blocks {
                let block = w + b * Layout.q6_K
                let lanes = Q6KBlock(block).lanes(a.codes + 256 * b, a.blockSums + 16 * b)
                let d = _mm256_mul_ps(Z.half8(block + Layout.q6_Kd), _mm256_set1_ps(a.scales[b]))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(lanes), d, acc)
            }
            return Z.hsum(acc)
        }

        /// Q6_K for a token of a batch of 8 or more (llama.cpp's tiled kernel).
        @inline(never)
        public static func q6_KTiled(_ w: UnsafeRawPointer, _ a: AVX512Row, _ blocks: Int) -> Float {
            var out: Float = 0
            for b in 0..<blocks {
                let block = w + b * Layout.q6_K
                let total = unsafeBitCast(
                    Q6KBlock(block).lanes(a.codes + 256 * b, a.blockSums + 16 * b), to: SIMD8<Int32>.self
                ).wrappedSum()
                out = out.addingProduct(Z.f16(block + Layout.q6_Kd) * Float(total), a.scales[b])
            }
            return out
        }

        /// Q6_K for four tokens, rounded like `q6_K` (`tiled` false) or `q6_KTiled` (true).
        @inline(__always)
        static func q6_Kx4(
            _ w: UnsafeRawPointer, _ a: (AVX512Row, AVX512Row, AVX512Row, AVX512Row), _ blocks: Int,
            tiled: Bool
        ) -> SIMD4<Float> {
            var acc0 = __m256()
            var acc1 = __m256()
            var acc2 = __m256()
            var acc3 = __m256()
            var out = SIMD4<Float>()
            for b in 0..<blocks {
                let block = w + b * Layout.q6_K
                let unpacked = Q6KBlock(block)
                let l0 = unpacked.lanes(a.0.codes + 256 * b, a.0.blockSums + 16 * b)
                let l1 = unpacked.lanes(a.1.codes + 256 * b, a.1.blockSums + 16 * b)
                let l2 = unpacked.lanes(a.2.codes + 256 * b, a.2.blockSums + 16 * b)
                let l3 = unpacked.lanes(a.3.codes + 256 * b, a.3.blockSums + 16 * b)
                let da = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
                if tiled {
                    @inline(__always) func total(_ lanes: __m256i) -> Float {
                        Float(unsafeBitCast(lanes, to: SIMD8<Int32>.self).wrappedSum())
                    }
                    let d = Z.f16(block + Layout.q6_Kd)
                    out = out.addingProduct(d * SIMD4(total(l0), total(l1), total(l2), total(l3)), da)
                } else {
                    let dd =
                        _mm_cvtph_ps(
                            _mm_set1_epi16(Int16(bitPattern: (block + Layout.q6_Kd).loadUnaligned(as: UInt16.self))))
                        * da
                    acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l0), _mm256_set1_ps(dd[0]), acc0)
                    acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l1), _mm256_set1_ps(dd[1]), acc1)
                    acc2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l2), _mm256_set1_ps(dd[2]), acc2)
                    acc3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l3), _mm256_set1_ps(dd[3]), acc3)
                }
            }
            return tiled ? out : SIMD4(Z.hsum(acc0), Z.hsum(acc1), Z.hsum(acc2), Z.hsum(acc3))
        }

        @inline(never)
        public static func q6_Kx4(
            _ w: UnsafeRawPointer, _ a: (AVX512Row, AVX512Row, AVX512Row, AVX512Row),
            _ blocks: Int
        ) -> SIMD4<Float> {
            q6_Kx4(w, a, blocks, tiled: false)
        }

        @inline(never)
        public static func q6_KTiledx4(
            _ w: UnsafeRawPointer, _ a: (AVX512Row, AVX512Row, AVX512Row, AVX512Row),
            _ blocks: Int
        ) -> SIMD4<Float> {
            q6_Kx4(w, a, blocks, tiled: true)
        }
    }
#endif
