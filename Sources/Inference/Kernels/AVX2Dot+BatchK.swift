#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Four-token K-quant kernels for batched prefill (see `AVX2Dot+KQuants.swift` for the
    /// one-token versions and the arithmetic): the codes and scales of each super-block are
    /// unpacked once and used for four tokens.
    extension AVX2Dot {
        /// Q4_K for four tokens, as llama.cpp's repacked GEMM rounds it: one FMA per 64-element
        /// quarter of a super-block (the one-token kernel does one per super-block).
        static func q4_Kx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            var acc = SIMD4<Float>()
            var minimums = SIMD4<Float>()
            for b in 0..<blocks {
                let block = w + b * BlockQ4_K.bytes
                let (d, dmin) = AVX2.halfPair(block)
                let (t0, m0) = q4_KIntegers(block, a.0, b)
                let (t1, m1) = q4_KIntegers(block, a.1, b)
                let (t2, m2) = q4_KIntegers(block, a.2, b)
                let (t3, m3) = q4_KIntegers(block, a.3, b)
                let da = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
                let scale = d * da
                let minScale = dmin * da
                for p in 0..<4 {
                    acc = acc.addingProduct(SIMD4(Float(t0[p]), Float(t1[p]), Float(t2[p]), Float(t3[p])), scale)
                    minimums = minimums.addingProduct(
                        SIMD4(Float(m0[p]), Float(m1[p]), Float(m2[p]), Float(m3[p])), minScale)
                }
            }
            return acc - minimums
        }

        /// Q6_K for four tokens, rounded like `q6_K` (`tiled` false) or `q6_KTiled` (true).
        @inline(__always)
        static func q6_Kx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int, tiled: Bool) -> SIMD4<Float> {
            var acc0 = __m256()
            var acc1 = __m256()
            var acc2 = __m256()
            var acc3 = __m256()
            var out = SIMD4<Float>()
            for b in 0..<blocks {
                let block = w + b * BlockQ6_K.bytes
                let l0 = q6_KLanes(block, a.0, b)
                let l1 = q6_KLanes(block, a.1, b)
                let l2 = q6_KLanes(block, a.2, b)
                let l3 = q6_KLanes(block, a.3, b)
                let da = SIMD4(a.0.scales[b], a.1.scales[b], a.2.scales[b], a.3.scales[b])
                if tiled {
                    @inline(__always) func total(_ lanes: __m256i) -> Float {
                        Float(unsafeBitCast(lanes, to: SIMD8<Int32>.self).wrappedSum())
                    }
                    let d = block.f16(at: BlockQ6_K.d)
                    out = out.addingProduct(d * SIMD4(total(l0), total(l1), total(l2), total(l3)), da)
                } else {
                    let dd = AVX2.halfBroadcast4(block + BlockQ6_K.d) * da
                    acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l0), _mm256_set1_ps(dd[0]), acc0)
                    acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l1), _mm256_set1_ps(dd[1]), acc1)
                    acc2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l2), _mm256_set1_ps(dd[2]), acc2)
                    acc3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(l3), _mm256_set1_ps(dd[3]), acc3)
                }
            }
            return tiled ? out : SIMD4(AVX2.hsum(acc0), AVX2.hsum(acc1), AVX2.hsum(acc2), AVX2.hsum(acc3))
        }

        static func q6_Kx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            q6_Kx4(w, a, blocks, tiled: false)
        }

        static func q6_KTiledx4(_ w: UnsafeRawPointer, _ a: Tokens4, _ blocks: Int) -> SIMD4<Float> {
            q6_Kx4(w, a, blocks, tiled: true)
        }
    }
#endif
