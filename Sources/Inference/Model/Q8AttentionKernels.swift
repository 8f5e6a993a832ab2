#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Attention of one query row over a Q8_0 cache (llama.cpp's `-ctk q8_0 -ctv q8_0`).
///
/// As llama.cpp's CPU flash attention does for quantized caches, the query is quantized to
/// Q8_0 (the K type's dot-product partner) and each score is an integer block dot product (the
/// Q8_0 kernels of `MatMul`, per `KernelPath`); values are dequantized and accumulated in F32.
/// Unlike llama.cpp's one-row kernel (online softmax, one `expf` and one rescale per row) the
/// softmax is two-pass, as in the F32 path (`Attention.attend`): all scores, one maximum,
/// vectorized exponentials, then the weighted sum with each block's scale folded into its
/// row's weight. At 2,048 cached positions the per-row `expf` alone would cost more than
/// reading the cache. A row's result depends only on its inputs, never on its batch.
/// The model's forward pass now runs `GroupedAttention` (a GQA group per pass, in chunks),
/// which reuses these pieces and, up to one chunk, gives each head exactly `attend`'s floats.
enum Q8AttentionKernels {
    /// Quantizes `count` floats (a multiple of 32) into Q8_0 blocks at `dst`, rounding as
    /// llama.cpp's `quantize_row_q8_0` (the same quantizer as the activations').
    static func store(_ src: UnsafePointer<Float>, into dst: UnsafeMutableRawPointer, count: Int) {
        var scale: Float = 0
        for b in 0..<(count / 32) {
            let block = dst + b * BlockQ8_0.bytes
            ActivationQuantizer.quantizeQ8_0(
                src + 32 * b, columns: 32, codes: (block + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self),
                scales: &scale, sums: nil)
            block.storeBytes(of: HalfPrecision.f32ToF16(scale), toByteOffset: BlockQ8_0.d, as: UInt16.self)
        }
    }

    /// Scratch bytes `attend` needs for a head of `count` elements (the quantized query).
    static func scratchBytes(count: Int) -> Int { count + 4 * (count / 32) + 2 * (count / 16) + 64 }

    /// `out = Σ_j softmax_j(score_j) · V[j]` over the first `rows` cached rows of `spans` (cell
    /// ranges in position order; rows of `count` elements as Q8_0 blocks), with
    /// `score_j = q8(q) · K[j] · scale`, squashed to `c·tanh(s/c)` with a `softcap` c. `scores`
    /// holds `rows` floats, `scratch` `scratchBytes(count:)` bytes (64-byte aligned); `path`
    /// picks the Q·K kernel (on x86 all paths give the same sums: the kernels are bit-identical).
    static func attend(
        _ q: UnsafePointer<Float>, keys: UnsafeRawPointer, values: UnsafeRawPointer,
        spans: UnsafeBufferPointer<Range<Int>>, rows: Int, count: Int, scale: Float, softcap: Float?,
        path: KernelPath, scores s: UnsafeMutablePointer<Float>, scratch: UnsafeMutableRawPointer,
        into out: UnsafeMutablePointer<Float>
    ) {
        let blocks = count / 32
        let rowBytes = blocks * BlockQ8_0.bytes
        let query = quantizedQuery(q, count: count, scratch: scratch)
        var offset = 0
        for span in spans where offset < rows {
            let take = min(span.count, rows - offset)
            keyScores(
                query, keys + span.lowerBound * rowBytes, rows: take, blocks: blocks, path: path, into: s + offset)
            offset += take
        }
        let maximum = scaleScores(s, count: rows, by: scale, softcap: softcap)
        let total = AttentionKernels.exponentiate(s, count: rows, subtracting: maximum)
        offset = 0
        for span in spans where offset < rows {
            let take = min(span.count, rows - offset)
            weightedSum(
                s + offset, values + span.lowerBound * rowBytes, rows: take, blocks: blocks, into: out,
                accumulate: offset > 0)
            offset += take
        }
        VectorMath.scale(out, by: total > 0 ? 1 / total : 0, into: out, count: count)
    }

    /// `s[j] = s[j] · scale` (then `c·tanh(s/c)` with a `softcap` c, as the F32 path squashes)
    /// for `j < count`; returns the largest. Vectorized: a scalar `max` chain (NaN-aware blends,
    /// one dependent on the next) cost a fifth of attention at 2,048 positions.
    @inline(__always)
    static func scaleScores(_ s: UnsafeMutablePointer<Float>, count: Int, by scale: Float, softcap: Float?) -> Float {
        let maximum = multiply(s, count: count, by: scale)
        guard let cap = softcap else { return maximum }
        return AttentionKernels.softcap(s, count: count, cap: cap)
    }

    /// `s[j] = s[j] · scale` for `j < count`; returns the largest.
    @inline(__always)
    private static func multiply(_ s: UnsafeMutablePointer<Float>, count: Int, by scale: Float) -> Float {
        let scale8 = SIMD8<Float>(repeating: scale)
        var maxima = SIMD8<Float>(repeating: -.infinity)
        var j = 0
        while j + 8 <= count {
            let v = AttentionKernels.load(s + j) * scale8
            AttentionKernels.store(v, s + j)
            #if arch(x86_64)
                maxima = _mm256_max_ps(maxima, v)
            #else
                maxima = pointwiseMax(maxima, v)
            #endif
            j += 8
        }
        var maximum = maxima.max()
        while j < count {
            s[j] *= scale
            maximum = max(maximum, s[j])
            j += 1
        }
        return maximum
    }

    /// The query quantized to Q8_0 in `scratch`, as the activation layout the dot kernels read.
    @inline(__always)
    static func quantizedQuery(_ q: UnsafePointer<Float>, count: Int, scratch: UnsafeMutableRawPointer)
        -> ActivationRow
    {
        let codes = scratch.assumingMemoryBound(to: Int8.self)
        let scales = (scratch + count).assumingMemoryBound(to: Float.self)
        let blockSums = (scratch + count + 4 * (count / 32)).assumingMemoryBound(to: Int16.self)
        ActivationQuantizer.quantizeQ8_0(q, columns: count, codes: codes, scales: scales, sums: nil)
        return ActivationRow(codes: codes, scales: scales, sums: scales, pairs: scales, blockSums: blockSums)
    }

    /// `s[j] = K[j] · query` (unscaled) for `rows` Q8_0 rows at `keys`: llama.cpp's
    /// `vec_dot_q8_0_q8_0` (per block an integer dot times d_k·d_q, summed in F32). On x86 both
    /// SIMD paths take `keyScoresAVX2`, which sums exactly as `AVX2Dot.q8_0` and
    /// `AVX512Dot.q8_0` do (the same value), four rows per query load and inlined: at two
    /// blocks a row (head size 64) a call per row into the AVX-512 module cost more than the
    /// products. `portable` takes `PortableDot.q8_0`.
    @inline(__always)
    static func keyScores(
        _ query: ActivationRow, _ keys: UnsafeRawPointer, rows: Int, blocks: Int, path: KernelPath,
        into s: UnsafeMutablePointer<Float>
    ) {
        let rowBytes = blocks * BlockQ8_0.bytes
        #if arch(x86_64)
            if path != .portable {
                keyScoresAVX2(query, keys, rows: rows, blocks: blocks, into: s)
                return
            }
        #endif
        for j in 0..<rows { s[j] = PortableDot.q8_0(keys + j * rowBytes, query, blocks) }
    }

    /// `out[i] = Σ_j weights[j] · V[j][i]` over `rows` Q8_0 rows at `values` (continuing from
    /// `out` with `accumulate`): one block of 32 lanes at a time in four registers across all
    /// rows, each row's block scale folded into its weight (`w·d` once, then `q · (w·d)`).
    @inline(__always)
    static func weightedSum(
        _ weights: UnsafePointer<Float>, _ values: UnsafeRawPointer, rows: Int, blocks: Int,
        into out: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        let rowBytes = blocks * BlockQ8_0.bytes
        for b in 0..<blocks {
            let o = out + 32 * b
            var a0 = SIMD8<Float>()
            var a1 = SIMD8<Float>()
            var a2 = SIMD8<Float>()
            var a3 = SIMD8<Float>()
            if accumulate {
                a0 = AttentionKernels.load(o)
                a1 = AttentionKernels.load(o + 8)
                a2 = AttentionKernels.load(o + 16)
                a3 = AttentionKernels.load(o + 24)
            }
            var block = values + b * BlockQ8_0.bytes
            for row in 0..<rows {
                let w = halfBroadcast8(block) * SIMD8<Float>(repeating: weights[row])
                let codes = block + BlockQ8_0.qs
                a0.addProduct(widen(codes), w)
                a1.addProduct(widen(codes + 8), w)
                a2.addProduct(widen(codes + 16), w)
                a3.addProduct(widen(codes + 24), w)
                block += rowBytes
            }
            AttentionKernels.store(a0, o)
            AttentionKernels.store(a1, o + 8)
            AttentionKernels.store(a2, o + 16)
            AttentionKernels.store(a3, o + 24)
        }
    }

    /// A block's F16 scale in all eight lanes (`AVX2.halfBroadcast8`: a scalar conversion
    /// would merge into an accumulator's register and chain the rows).
    @inline(__always)
    static func halfBroadcast8(_ block: UnsafeRawPointer) -> SIMD8<Float> {
        #if arch(x86_64)
            return AVX2.halfBroadcast8(block + BlockQ8_0.d)
        #else
            return SIMD8<Float>(repeating: block.f16(at: BlockQ8_0.d))
        #endif
    }

    /// Eight signed bytes as floats (`vpmovsxbd` + `vcvtdq2ps` on x86).
    @inline(__always)
    static func widen(_ p: UnsafeRawPointer) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD8<Int8>.self)))
    }
}

#if arch(x86_64)
    extension Q8AttentionKernels {
        /// `keyScores` on x86: four rows at a time share each query block's load; each row's sum
        /// is `AVX2Dot.q8_0`'s (one accumulator, blocks in order, FMA with d_k·d_q, `hsum`).
        @inline(__always)
        static func keyScoresAVX2(
            _ query: ActivationRow, _ keys: UnsafeRawPointer, rows: Int, blocks: Int,
            into s: UnsafeMutablePointer<Float>
        ) {
            let rowBytes = blocks * BlockQ8_0.bytes
            @inline(__always) func product(_ block: UnsafeRawPointer, _ q: __m256i, _ dq: __m256) -> (__m256i, __m256) {
                let products = AVX2.dotSignedSigned(AVX2.load32(block + BlockQ8_0.qs), q)
                return (products, _mm256_mul_ps(AVX2.halfBroadcast8(block + BlockQ8_0.d), dq))
            }
            var j = 0
            while j + 4 <= rows {
                var a0 = __m256()
                var a1 = __m256()
                var a2 = __m256()
                var a3 = __m256()
                let k = keys + j * rowBytes
                for b in 0..<blocks {
                    let q = AVX2.load32(query.codes + 32 * b)
                    let dq = _mm256_set1_ps(query.scales[b])
                    let offset = b * BlockQ8_0.bytes
                    let (p0, d0) = product(k + offset, q, dq)
                    a0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p0), d0, a0)
                    let (p1, d1) = product(k + rowBytes + offset, q, dq)
                    a1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), d1, a1)
                    let (p2, d2) = product(k + 2 * rowBytes + offset, q, dq)
                    a2 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p2), d2, a2)
                    let (p3, d3) = product(k + 3 * rowBytes + offset, q, dq)
                    a3 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p3), d3, a3)
                }
                s[j] = AVX2.hsum(a0)
                s[j + 1] = AVX2.hsum(a1)
                s[j + 2] = AVX2.hsum(a2)
                s[j + 3] = AVX2.hsum(a3)
                j += 4
            }
            while j < rows {
                s[j] = AVX2Dot.q8_0(keys + j * rowBytes, query, blocks)
                j += 1
            }
        }
    }
#endif
