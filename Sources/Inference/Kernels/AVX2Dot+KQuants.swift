#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// AVX2 dot products of K-quant super-blocks with Q8_K activations.
    ///
    /// The sub-block scales are small integers, so they are applied in the integer domain: the
    /// `madd` that widens `maddubs`' pair sums to Int32 multiplies by the scale instead of by one.
    /// The float part follows what llama.cpp's CPU backend runs for each type on AVX2, so results
    /// round exactly like its own (checked tensor by tensor against a llama.cpp build):
    /// - Q4_K is repacked by llama.cpp into 8-row interleaved blocks. Its GEMV (one token) reduces
    ///   each super-block to two exact integers, the scaled products T and the minimum terms M, and
    ///   keeps two float accumulators: `acc += T·(d·d_a)`, `min += M·(dmin·d_a)`, result
    ///   `acc − min`. Its GEMM (groups of four tokens) does the same per 64-element quarter.
    /// - Q6_K one token at a time uses `ggml_vec_dot_q6_K_q8_K` (eight lanes, FMA per lane, the −32
    ///   offset subtracted per lane, `hsum`); batches of 8 or more use ggml's tiled kernel, which
    ///   reduces a super-block to one exact integer T and accumulates `out += (d·T)·d_a`.
    extension AVX2Dot {
        static func q4_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var acc: Float = 0
            var minimums: Float = 0
            for b in 0..<blocks {
                let block = w + b * BlockQ4_K.bytes
                let (d, dmin) = AVX2.halfPair(block)
                let (totals, minTerms) = q4_KIntegers(block, a, b)
                let da = a.scales[b]
                acc = acc.addingProduct(Float(totals.wrappedSum()), d * da)
                minimums = minimums.addingProduct(Float(minTerms.wrappedSum()), dmin * da)
            }
            return acc - minimums
        }

        /// A Q4_K super-block's exact integers against token `a`'s block `b`, per 64-element
        /// quarter p (sub-blocks 2p and 2p+1): Σ scale_j Σ q·a, and Σ min_j · (code sum of sub-block j).
        @inline(__always)
        static func q4_KIntegers(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> (
            SIMD4<Int32>, SIMD4<Int32>
        ) {
            let low4 = _mm256_set1_epi8(0x0f)
            let codes = a.codes + 256 * b
            let (scales, mins) = unpackScaleMin(block + BlockQ4_K.scales)
            var totals = SIMD4<Int32>()
            for p in 0..<4 {
                let packed = AVX2.load32(block + BlockQ4_K.qs + 32 * p)
                let low = _mm256_and_si256(packed, low4)
                let high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low4)
                let scaleLow = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p)) & 0xff))
                let scaleHigh = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * p + 8)) & 0xff))
                let p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(low, AVX2.load32(codes + 64 * p)), scaleLow)
                let p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(high, AVX2.load32(codes + 64 * p + 32)), scaleHigh)
                totals[p] = unsafeBitCast(_mm256_add_epi32(p0, p1), to: SIMD8<Int32>.self).wrappedSum()
            }
            return (totals, AVX2.minProducts(mins, a.blockSums + 16 * b))
        }

        /// Q4_K/Q5_K's eight 6-bit scales and eight 6-bit minimums, one per byte of each result
        /// (sub-block j in byte j), unpacked with 32-bit word operations.
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

        /// Q6_K for one token (llama.cpp's `vec_dot`, used for decoding).
        static func q6_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var acc = __m256()
            for b in 0..<blocks {
                let block = w + b * BlockQ6_K.bytes
                let lanes = q6_KLanes(block, a, b)
                let d = _mm256_mul_ps(AVX2.halfBroadcast8(block + BlockQ6_K.d), _mm256_set1_ps(a.scales[b]))
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(lanes), d, acc)
            }
            return AVX2.hsum(acc)
        }

        /// Q6_K for a token of a batch of 8 or more (llama.cpp's tiled kernel).
        static func q6_KTiled(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
            var out: Float = 0
            for b in 0..<blocks {
                let block = w + b * BlockQ6_K.bytes
                let total = unsafeBitCast(q6_KLanes(block, a, b), to: SIMD8<Int32>.self).wrappedSum()
                out = out.addingProduct(block.f16(at: BlockQ6_K.d) * Float(total), a.scales[b])
            }
            return out
        }

        /// A Q6_K super-block against token `a`'s block `b` as eight Int32 lanes, split as
        /// `ggml_vec_dot_q6_K_q8_K` splits them: unsigned codes times scaled activations, minus
        /// the lane's share of the −32 offset (`AVX2.q6Offsets`). Their sum is the exact dot product.
        @inline(__always)
        static func q6_KLanes(_ block: UnsafeRawPointer, _ a: ActivationRow, _ b: Int) -> __m256i {
            let low4 = _mm256_set1_epi8(0x0f)
            let bits45 = _mm256_set1_epi8(0x30)
            // Byte shuffle that repeats scale bytes (2k, 2k+1) eight times each.
            let pairBase = _mm_set_epi64x(0x0101_0101_0101_0101, 0)
            let codes = a.codes + 256 * b
            let scaleBytes = AVX2.load16(block + BlockQ6_K.scales)
            var total = __m256i()
            for h in 0..<2 {
                let ql0 = AVX2.load32(block + BlockQ6_K.ql + 64 * h)
                let ql1 = AVX2.load32(block + BlockQ6_K.ql + 64 * h + 32)
                let qh = AVX2.load32(block + BlockQ6_K.qh + 32 * h)
                @inline(__always) func add(_ q: __m256i, _ s: Int) {
                    let select = _mm_add_epi8(pairBase, _mm_set1_epi8(Int8(2 * (4 * h + s))))
                    let scales = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scaleBytes, select))
                    let products = _mm256_maddubs_epi16(q, AVX2.load32(codes + 128 * h + 32 * s))
                    total = _mm256_add_epi32(total, _mm256_madd_epi16(products, scales))
                }
                add(_mm256_or_si256(_mm256_and_si256(ql0, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45)), 0)
                add(_mm256_or_si256(_mm256_and_si256(ql1, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45)), 1)
                add(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4), _mm256_and_si256(qh, bits45)), 2)
                add(
                    _mm256_or_si256(
                        _mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                        _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45)), 3)
            }
            return _mm256_sub_epi32(total, AVX2.q6Offsets(scaleBytes, a.blockSums + 16 * b))
        }
    }
#endif
