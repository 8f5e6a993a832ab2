#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Attention of one query row over an F16 cache, rounded the way llama.cpp's CPU flash attention
/// rounds it (`ggml_compute_forward_flash_attn_ext_f16_one_chunk`).
///
/// With an F16 cache llama.cpp does not compute attention in F32: the query is rounded to F16
/// before the q·k products, and the softmax-weighted sum of values is kept in an F16
/// accumulator rounded after every cached row (online softmax, rescaled when a new maximum
/// appears). SmolLM2's logits move by tenths under that rounding, so the default F16 cache
/// follows it exactly; the F32 cache keeps the exact path (`AttentionKernels`).
enum HalfAttentionKernels {
    /// `out = Σ_j softmax_j(q·K[j]·scale) · V[j]` over the first `rows` cached rows of `spans`
    /// (cell ranges in position order, rows of `count` elements at `keys + cell·count`), with
    /// `half` as scratch for `2 · count` halves (the rounded query and the accumulator). The
    /// online softmax simply carries on from one span to the next, so a sequence split over
    /// several spans rounds exactly as if its rows were contiguous.
    static func attend(
        _ q: UnsafePointer<Float>, keys: UnsafePointer<KVHalf>, values: UnsafePointer<KVHalf>,
        spans: UnsafeBufferPointer<Range<Int>>, rows: Int, count: Int, scale: Float,
        half: UnsafeMutablePointer<KVHalf>, into out: UnsafeMutablePointer<Float>
    ) {
        let query = half
        let accumulator = half + count
        KVHalf.store(q, into: query, count: count)
        for i in 0..<count { accumulator[i] = KVHalf(bits: 0) }
        var maximum = -Float.infinity
        var total: Float = 0
        var remaining = rows
        for span in spans where remaining > 0 {
            let end = span.lowerBound + min(span.count, remaining)
            remaining -= end - span.lowerBound
            for j in span.lowerBound..<end {
                let s = dot(query, keys + j * count, count: count) * scale
                var rescale: Float = 1
                var weight: Float = 1
                if s > maximum {
                    // A new maximum: earlier terms shrink by exp(old − new); this row's weight is 1.
                    rescale = expf(maximum - s)
                    maximum = s
                    Self.scale(accumulator, by: rescale, count: count)
                } else {
                    weight = expf(s - maximum)
                }
                multiplyAdd(accumulator, values + j * count, weight, count: count)
                total = weight.addingProduct(total, rescale)
            }
        }
        let inverse = total == 0 ? 0 : 1 / total
        for i in 0..<count { out[i] = KVHalf.load1(accumulator + i) * inverse }
    }

    /// ggml's F16 dot product as its AVX2 build (x86-64-v3, the references' baseline) computes
    /// it: four 8-lane F32 accumulators over 32-element steps, reduced pairwise (0+2, 1+3, then
    /// 0+1, halves, then lanes (0+1) + (2+3)); a tail is added in double. llama.cpp built with
    /// AVX-512F sums in 16-lane accumulators over 64-element steps instead, and the F16
    /// accumulator turns those last-bit differences into whole F16 steps: Gemma 3 270M's
    /// first-step logits differ by up to 0.41 between the two builds (see DECISIONS.md).
    @inline(__always)
    static func dot(_ x: UnsafePointer<KVHalf>, _ y: UnsafePointer<KVHalf>, count: Int) -> Float {
        var s0 = SIMD8<Float>()
        var s1 = SIMD8<Float>()
        var s2 = SIMD8<Float>()
        var s3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= count {
            s0.addProduct(KVHalf.load8(x + i), KVHalf.load8(y + i))
            s1.addProduct(KVHalf.load8(x + i + 8), KVHalf.load8(y + i + 8))
            s2.addProduct(KVHalf.load8(x + i + 16), KVHalf.load8(y + i + 16))
            s3.addProduct(KVHalf.load8(x + i + 24), KVHalf.load8(y + i + 24))
            i += 32
        }
        let s = (s0 + s2) + (s1 + s3)
        let t = s.lowHalf + s.highHalf
        var sum = Double((t[0] + t[1]) + (t[2] + t[3]))
        while i < count {
            sum += Double(KVHalf.load1(x + i) * KVHalf.load1(y + i))
            i += 1
        }
        return Float(sum)
    }

    /// `y[i] = half(y[i] · v)`.
    @inline(__always)
    static func scale(_ y: UnsafeMutablePointer<KVHalf>, by v: Float, count: Int) {
        var i = 0
        while i + 8 <= count {
            KVHalf.store8(KVHalf.load8(y + i) * v, into: y + i)
            i += 8
        }
        while i < count {
            y[i] = KVHalf(bits: HalfPrecision.f32ToF16(KVHalf.load1(y + i) * v))
            i += 1
        }
    }

    /// `y[i] = half(y[i] + x[i] · v)`, the multiply-add fused.
    @inline(__always)
    static func multiplyAdd(_ y: UnsafeMutablePointer<KVHalf>, _ x: UnsafePointer<KVHalf>, _ v: Float, count: Int) {
        let v8 = SIMD8<Float>(repeating: v)
        var i = 0
        while i + 8 <= count {
            var a = KVHalf.load8(y + i)
            a.addProduct(KVHalf.load8(x + i), v8)
            KVHalf.store8(a, into: y + i)
            i += 8
        }
        while i < count {
            y[i] = KVHalf(bits: HalfPrecision.f32ToF16(KVHalf.load1(y + i).addingProduct(KVHalf.load1(x + i), v)))
            i += 1
        }
    }
}
