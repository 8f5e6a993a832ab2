#if arch(x86_64)
    import _Builtin_intrinsics.intel
    import InferenceAVX512
#endif

/// The inner loops of grouped attention over a Q8_0 cache: a GQA group's query heads served
/// from one pass over the shared key and value rows.
///
/// Each (row, head) result is bit-identical to `Q8AttentionKernels`' for that head: a score is
/// `vec_dot_q8_0_q8_0`'s sum (on x86 `AVX2Dot.q8_0`'s: per block the integer dot, times
/// d_k·d_q, FMA-accumulated in block order, `hsum`), and a value row adds `codes · (d·w)` in
/// row order. What is shared is the work: a key block's codes, absolute values and scale are
/// loaded once for up to four heads, and a value block's codes are widened to floats once.
enum GroupedQ8AttentionKernels {
    /// Bytes of one head's quantized query in `quantize`'s scratch (64-byte slots).
    static func querySlotBytes(count: Int) -> Int { (Q8AttentionKernels.scratchBytes(count: count) + 63) & ~63 }

    /// Quantizes the `group` query heads at `q` (`count` floats apart) into `scratch`
    /// (`group · querySlotBytes(count:)` bytes, 64-byte aligned), one slot per head.
    static func quantize(_ q: UnsafePointer<Float>, group: Int, count: Int, scratch: UnsafeMutableRawPointer) {
        let slot = querySlotBytes(count: count)
        for h in 0..<group {
            _ = Q8AttentionKernels.quantizedQuery(q + h * count, count: count, scratch: scratch + h * slot)
        }
    }

    /// Head `h`'s quantized query, as `quantize` left it.
    @inline(__always)
    static func query(_ h: Int, count: Int, scratch: UnsafeRawPointer) -> ActivationRow {
        let base = UnsafeMutableRawPointer(mutating: scratch + h * querySlotBytes(count: count))
        let codes = base.assumingMemoryBound(to: Int8.self)
        let scales = (base + count).assumingMemoryBound(to: Float.self)
        let blockSums = (base + count + 4 * (count / 32)).assumingMemoryBound(to: Int16.self)
        return ActivationRow(codes: codes, scales: scales, sums: scales, pairs: scales, blockSums: blockSums)
    }

    /// `s[h·stride + j] = K[j] · query_h` (unscaled) for the `group` quantized heads in
    /// `queries` and the `rows` Q8_0 rows at `keys`.
    @inline(__always)
    static func scores(
        queries: UnsafeRawPointer, group: Int, _ keys: UnsafeRawPointer, values: UnsafeRawPointer, rows: Int,
        blocks: Int, path: KernelPath, into s: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let count = 32 * blocks
        let rowBytes = blocks * BlockQ8_0.bytes
        #if arch(x86_64)
            if path != .portable {
                var h = 0
                while h < group {
                    let q0 = query(h, count: count, scratch: queries)
                    let q1 = query(min(h + 1, group - 1), count: count, scratch: queries)
                    let q2 = query(min(h + 2, group - 1), count: count, scratch: queries)
                    let q3 = query(min(h + 3, group - 1), count: count, scratch: queries)
                    let sh = s + h * stride
                    let prefetching = h == 0 ? values : nil
                    if path == .avx512 {
                        AVX512Dot.q8_0Scores(
                            (q0.avx512, q1.avx512, q2.avx512, q3.avx512), heads: min(4, group - h), keys: keys,
                            rows: rows, blocks: blocks, prefetching: prefetching, into: sh, stride: stride)
                        h += 4
                        continue
                    }
                    switch group - h {
                    case 1: scoreBlock(q0, q1, q2, q3, One.self, keys, prefetching, rows, blocks, sh, stride)
                    case 2: scoreBlock(q0, q1, q2, q3, Two.self, keys, prefetching, rows, blocks, sh, stride)
                    case 3: scoreBlock(q0, q1, q2, q3, Three.self, keys, prefetching, rows, blocks, sh, stride)
                    default: scoreBlock(q0, q1, q2, q3, Four.self, keys, prefetching, rows, blocks, sh, stride)
                    }
                    h += 4
                }
                return
            }
        #endif
        for h in 0..<group {
            let q = query(h, count: count, scratch: queries)
            for j in 0..<rows { s[h * stride + j] = PortableDot.q8_0(keys + j * rowBytes, q, blocks) }
        }
    }

    #if arch(x86_64)
        /// `scores` on x86 for `H` (1...4) heads: per key block, its codes' absolute values and
        /// its scale are computed once and multiplied with each head's block. Prefetches keys
        /// ahead and, when given, the `values` rows the weighted sum reads next.
        @inline(__always)
        private static func scoreBlock<H: HeadCount>(
            _ q0: ActivationRow, _ q1: ActivationRow, _ q2: ActivationRow, _ q3: ActivationRow, _: H.Type,
            _ keys: UnsafeRawPointer, _ values: UnsafeRawPointer?, _ rows: Int, _ blocks: Int,
            _ s: UnsafeMutablePointer<Float>, _ stride: Int
        ) {
            let heads = H.value
            let rowBytes = blocks * BlockQ8_0.bytes
            @inline(__always) func add(
                _ q: ActivationRow, _ b: Int, _ k: __m256i, _ u: __m256i, _ dk: __m256, _ a: __m256
            )
                -> __m256
            {
                let products = AVX2.dotUnsignedSigned(u, _mm256_sign_epi8(AVX2.load32(q.codes + 32 * b), k))
                return _mm256_fmadd_ps(_mm256_cvtepi32_ps(products), _mm256_mul_ps(dk, _mm256_set1_ps(q.scales[b])), a)
            }
            for j in 0..<rows {
                GroupedAttention.prefetchRows(keys: keys, values: values, row: j, rowBytes: rowBytes)
                var a0 = __m256()
                var a1 = __m256()
                var a2 = __m256()
                var a3 = __m256()
                var block = keys + j * rowBytes
                for b in 0..<blocks {
                    let k = AVX2.load32(block + BlockQ8_0.qs)
                    let u = _mm256_sign_epi8(k, k)
                    let dk = AVX2.halfBroadcast8(block + BlockQ8_0.d)
                    a0 = add(q0, b, k, u, dk, a0)
                    if heads > 1 { a1 = add(q1, b, k, u, dk, a1) }
                    if heads > 2 { a2 = add(q2, b, k, u, dk, a2) }
                    if heads > 3 { a3 = add(q3, b, k, u, dk, a3) }
                    block += BlockQ8_0.bytes
                }
                s[j] = AVX2.hsum(a0)
                if heads > 1 { s[stride + j] = AVX2.hsum(a1) }
                if heads > 2 { s[2 * stride + j] = AVX2.hsum(a2) }
                if heads > 3 { s[3 * stride + j] = AVX2.hsum(a3) }
            }
        }
    #endif

    /// `scaled[(h·blocks + b)·stride + j] = d(V[j], b) · w_h[j]` (`w_h = weights + h·stride`):
    /// each value block's F16 scale folded into each head's weight once, as
    /// `Q8AttentionKernels.weightedSum` folds it (`w·d`, one rounding). The scales are first
    /// gathered block by block into `scales` (`blocks · stride` halves' room), so the
    /// conversions and products run eight rows at a time.
    @inline(__always)
    static func scaleWeights(
        _ weights: UnsafePointer<Float>, stride: Int, group: Int, _ values: UnsafeRawPointer, rows: Int,
        blocks: Int, scales: UnsafeMutablePointer<Float>, into scaled: UnsafeMutablePointer<Float>
    ) {
        let rowBytes = blocks &* BlockQ8_0.bytes
        // The F16 bits only (integer moves): a scalar F16 conversion here merged into one
        // register from row to row (`vpinsrw`), chaining the loop; eight convert at once below.
        // Block by block, so each inner loop is one strided copy: row by row, the block loop
        // inside it re-checked its bounds and reloaded its operands from the stack per row, and
        // this gather took 11% of a token at depth 2,048 (SmolLM2, Q8_0 cache; 4% now).
        let halves = UnsafeMutableRawPointer(scales).assumingMemoryBound(to: UInt16.self)
        for b in 0..<blocks {
            let column = halves + b &* stride
            var scale = values + (b &* BlockQ8_0.bytes &+ BlockQ8_0.d)
            for j in 0..<rows {
                column[j] = scale.loadUnaligned(as: UInt16.self)
                scale += rowBytes
            }
        }
        for h in 0..<group {
            let w = weights + h &* stride
            for b in 0..<blocks {
                let d = halves + b &* stride
                let out = scaled + (h &* blocks &+ b) &* stride
                var j = 0
                while j &+ 8 <= rows {
                    AttentionKernels.store(
                        KVHalf.load8(UnsafeRawPointer(d + j).assumingMemoryBound(to: KVHalf.self))
                            * AttentionKernels.load(w + j), out + j)
                    j &+= 8
                }
                while j < rows {
                    out[j] = HalfPrecision.f16ToF32(d[j]) * w[j]
                    j &+= 1
                }
            }
        }
    }

    /// `out_h[i] = Σ_j codes(V[j])[i] · scaled_h(j, block of i)` in order of `j` (continuing
    /// from `out_h = out + h·outStride` with `accumulate`), `scaled` as `scaleWeights` wrote it:
    /// sixteen lanes of up to four heads in registers across all rows, each row's codes widened
    /// once for the block of heads (on AVX-512, `AVX512Dot.q8_0WeightedSum`: 64 lanes, bit for bit).
    @inline(__always)
    static func weightedSum(
        _ scaled: UnsafePointer<Float>, stride: Int, group: Int, _ values: UnsafeRawPointer, rows: Int,
        blocks: Int, into out: UnsafeMutablePointer<Float>, outStride: Int, accumulate: Bool, path: KernelPath
    ) {
        #if arch(x86_64)
            if path == .avx512 {
                AVX512Dot.q8_0WeightedSum(
                    AVX512Dot.WeightedRows(
                        weights: scaled, headStride: blocks * stride, blockStride: stride, values: values,
                        rowBytes: blocks * BlockQ8_0.bytes, rows: rows, count: 32 * blocks, out: out,
                        outStride: outStride, accumulate: accumulate),
                    group: group)
                return
            }
        #endif
        var h = 0
        while h < group {
            let o = out + h * outStride
            for b in 0..<blocks {
                let w = scaled + (h * blocks + b) * stride
                for half in 0..<2 {
                    let lane = 32 * b + 16 * half
                    let codes = values + b * BlockQ8_0.bytes + BlockQ8_0.qs + 16 * half
                    let args = SumArguments(
                        w: w, wStride: blocks * stride, codes: codes, rowBytes: blocks * BlockQ8_0.bytes, rows: rows,
                        out: o + lane, outStride: outStride, accumulate: accumulate)
                    switch group - h {
                    case 1: sumBlock(args, One.self)
                    case 2: sumBlock(args, Two.self)
                    case 3: sumBlock(args, Three.self)
                    default: sumBlock(args, Four.self)
                    }
                }
            }
            h += 4
        }
    }

    /// Where `sumBlock` reads and writes: head h's weights at `w + h·wStride`, sixteen codes at
    /// `codes + j·rowBytes` for row j, and its sixteen outputs at `out + h·outStride`.
    private struct SumArguments {
        var w: UnsafePointer<Float>
        var wStride: Int
        var codes: UnsafeRawPointer
        var rowBytes: Int
        var rows: Int
        var out: UnsafeMutablePointer<Float>
        var outStride: Int
        var accumulate: Bool
    }

    @inline(__always)
    private static func sumBlock<H: HeadCount>(_ x: SumArguments, _: H.Type) {
        var sums = HeadBlockSums<H>(x.out, outStride: x.outStride, accumulate: x.accumulate)
        var codes = x.codes
        for j in 0..<x.rows {
            sums.add(widen(codes), widen(codes + 8), weights: x.w + j, stride: x.wStride)
            codes += x.rowBytes
        }
        sums.store()
    }

    /// Eight signed bytes as floats: `vpmovsxbd` + `vcvtdq2ps` written out on x86 (the generic
    /// SIMD conversions were left as calls in this loop).
    @inline(__always)
    private static func widen(_ p: UnsafeRawPointer) -> SIMD8<Float> {
        #if arch(x86_64)
            return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(p.assumingMemoryBound(to: __m128i.self))))
        #else
            return Q8AttentionKernels.widen(p)
        #endif
    }
}
