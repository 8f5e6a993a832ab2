#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Four weight rows × four tokens per call on AVX2, as two passes of two rows (eight 8-lane
    /// accumulators and the four tokens' codes fill the sixteen vector registers; four rows would
    /// not fit). Each token's codes, scales and Q8_1 sums are loaded once per two rows and each
    /// row's block unpacked once per four tokens. Every sum receives exactly the operations of the
    /// four-token kernel (`AVX2Dot+Batch.swift`) in its block order: bit-identical results.
    ///
    /// `out[t * outStride + i]` receives row i's sum for token t.
    extension AVX2Dot {
        static func q4_1Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Tokens4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            q4_1RowPair(w, rowBytes: rowBytes, a, blocks, out: out, outStride: outStride)
            q4_1RowPair(w + 2 * rowBytes, rowBytes: rowBytes, a, blocks, out: out + 2, outStride: outStride)
        }

        static func q8_0Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Tokens4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            for pair in 0..<2 {
                signedBlocksRowPair(
                    w + 2 * pair * rowBytes, rowBytes: rowBytes, a, blocks, blockBytes: BlockQ8_0.bytes,
                    out: out + 2 * pair, outStride: outStride
                ) { AVX2.load32($0 + BlockQ8_0.qs) }
            }
        }

        static func q5_0Tile(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Tokens4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            for pair in 0..<2 {
                signedBlocksRowPair(
                    w + 2 * pair * rowBytes, rowBytes: rowBytes, a, blocks, blockBytes: BlockQ5_0.bytes,
                    out: out + 2 * pair, outStride: outStride
                ) {
                    AVX2.signedQ5($0 + BlockQ5_0.qs, qh: $0 + BlockQ5_0.qh)
                }
            }
        }

        /// Two rows of `q4_1x4`.
        @inline(__always)
        private static func q4_1RowPair(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Tokens4, _ blocks: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int
        ) {
            var acc = RowPairAccumulators()
            var minimums = (SIMD4<Float>(), SIMD4<Float>())
            for b in 0..<blocks {
                let codes = (
                    AVX2.load32(a.0.codes + 32 * b), AVX2.load32(a.1.codes + 32 * b),
                    AVX2.load32(a.2.codes + 32 * b), AVX2.load32(a.3.codes + 32 * b)
                )
                let scales = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
                let sums = SIMD4(a.0.pairs[2 * b + 1], a.1.pairs[2 * b + 1], a.2.pairs[2 * b + 1], a.3.pairs[2 * b + 1])
                @inline(__always)
                func row(
                    _ block: UnsafeRawPointer, _ acc: inout (__m256, __m256, __m256, __m256),
                    _ minimum: inout SIMD4<Float>
                ) {
                    let (d, m) = AVX2.halfPair(block)
                    let q = AVX2.nibbles(block + BlockQ4_1.qs)
                    let ds = d * scales
                    fold(AVX2.dotUnsignedSigned(q, codes.0), _mm256_set1_ps(ds[0]), &acc.0)
                    fold(AVX2.dotUnsignedSigned(q, codes.1), _mm256_set1_ps(ds[1]), &acc.1)
                    fold(AVX2.dotUnsignedSigned(q, codes.2), _mm256_set1_ps(ds[2]), &acc.2)
                    fold(AVX2.dotUnsignedSigned(q, codes.3), _mm256_set1_ps(ds[3]), &acc.3)
                    minimum += m * sums
                }
                let block = w + b * BlockQ4_1.bytes
                row(block, &acc.first, &minimums.0)
                row(block + rowBytes, &acc.second, &minimums.1)
            }
            acc.store(out, outStride, adding: minimums)
        }

        /// Two rows of `signedBlocksx4`.
        @inline(__always)
        private static func signedBlocksRowPair(
            _ w: UnsafeRawPointer, rowBytes: Int, _ a: Tokens4, _ blocks: Int, blockBytes: Int,
            out: UnsafeMutablePointer<Float>, outStride: Int,
            codes: (UnsafeRawPointer) -> __m256i
        ) {
            var acc = RowPairAccumulators()
            for b in 0..<blocks {
                let activations = (
                    AVX2.load32(a.0.codes + 32 * b), AVX2.load32(a.1.codes + 32 * b),
                    AVX2.load32(a.2.codes + 32 * b), AVX2.load32(a.3.codes + 32 * b)
                )
                let scales = (
                    _mm256_set1_ps(a.0.scales[b]), _mm256_set1_ps(a.1.scales[b]),
                    _mm256_set1_ps(a.2.scales[b]), _mm256_set1_ps(a.3.scales[b])
                )
                @inline(__always)
                func row(_ block: UnsafeRawPointer, _ acc: inout (__m256, __m256, __m256, __m256)) {
                    let d = AVX2.halfBroadcast8(block)
                    let x = codes(block)
                    let magnitude = _mm256_sign_epi8(x, x)
                    @inline(__always) func signed(_ activation: __m256i) -> __m256i {
                        AVX2.dotUnsignedSigned(magnitude, _mm256_sign_epi8(activation, x))
                    }
                    fold(signed(activations.0), _mm256_mul_ps(d, scales.0), &acc.0)
                    fold(signed(activations.1), _mm256_mul_ps(d, scales.1), &acc.1)
                    fold(signed(activations.2), _mm256_mul_ps(d, scales.2), &acc.2)
                    fold(signed(activations.3), _mm256_mul_ps(d, scales.3), &acc.3)
                }
                let block = w + b * blockBytes
                row(block, &acc.first)
                row(block + rowBytes, &acc.second)
            }
            acc.store(out, outStride, adding: nil)
        }
    }

    /// The eight accumulators of two rows × four tokens.
    private struct RowPairAccumulators {
        var first = (__m256(), __m256(), __m256(), __m256())
        var second = (__m256(), __m256(), __m256(), __m256())

        /// `hsum` of each (then `+ minimums`, where the type has them, as the four-token kernel
        /// adds them); row i's sum for token t goes to `out[t * stride + i]`.
        @inline(__always)
        func store(_ out: UnsafeMutablePointer<Float>, _ stride: Int, adding minimums: (SIMD4<Float>, SIMD4<Float>)?) {
            var rows = (
                SIMD4(AVX2.hsum(first.0), AVX2.hsum(first.1), AVX2.hsum(first.2), AVX2.hsum(first.3)),
                SIMD4(AVX2.hsum(second.0), AVX2.hsum(second.1), AVX2.hsum(second.2), AVX2.hsum(second.3))
            )
            if let minimums {
                rows.0 += minimums.0
                rows.1 += minimums.1
            }
            for t in 0..<4 {
                out[t * stride] = rows.0[t]
                out[t * stride + 1] = rows.1[t]
            }
        }
    }
#endif
