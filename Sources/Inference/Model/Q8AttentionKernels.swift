#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
#if arch(x86_64)
    import InferenceAVX512
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
        var maximum = -Float.infinity
        for j in 0..<rows {
            var score = s[j] * scale
            if let cap = softcap { score = cap * tanhf(score / cap) }
            s[j] = score
            maximum = max(maximum, score)
        }
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

    /// `s[j] = K[j] · query` (unscaled) for `rows` Q8_0 rows at `keys`, with the kernel of `path`
    /// (llama.cpp's `vec_dot_q8_0_q8_0`: per block an integer dot times d_k·d_q, summed in F32).
    @inline(__always)
    static func keyScores(
        _ query: ActivationRow, _ keys: UnsafeRawPointer, rows: Int, blocks: Int, path: KernelPath,
        into s: UnsafeMutablePointer<Float>
    ) {
        let rowBytes = blocks * BlockQ8_0.bytes
        #if arch(x86_64)
            switch path {
            case .avx2:
                for j in 0..<rows { s[j] = AVX2Dot.q8_0(keys + j * rowBytes, query, blocks) }
                return
            case .avx512:
                let row = query.avx512
                for j in 0..<rows { s[j] = AVX512Dot.q8_0(keys + j * rowBytes, row, blocks) }
                return
            case .portable: break
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
                a0 = load(o)
                a1 = load(o + 8)
                a2 = load(o + 16)
                a3 = load(o + 24)
            }
            var block = values + b * BlockQ8_0.bytes
            for row in 0..<rows {
                let w = SIMD8<Float>(repeating: weights[row] * block.f16(at: BlockQ8_0.d))
                let codes = block + BlockQ8_0.qs
                a0.addProduct(widen(codes), w)
                a1.addProduct(widen(codes + 8), w)
                a2.addProduct(widen(codes + 16), w)
                a3.addProduct(widen(codes + 24), w)
                block += rowBytes
            }
            store(a0, o)
            store(a1, o + 8)
            store(a2, o + 16)
            store(a3, o + 24)
        }
    }

    /// Eight signed bytes as floats (`vpmovsxbd` + `vcvtdq2ps` on x86).
    @inline(__always)
    static func widen(_ p: UnsafeRawPointer) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: p.loadUnaligned(as: SIMD8<Int8>.self)))
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
