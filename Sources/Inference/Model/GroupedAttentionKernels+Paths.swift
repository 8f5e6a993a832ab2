#if arch(x86_64)
    import InferenceAVX512
#endif

/// The grouped kernels on the chosen `KernelPath`: on AVX-512 the F16 scores of rows in fours,
/// the exponentials and the F16 and Q8_0 weighted sums run on 512-bit registers (`AVX512Attention+*.swift`),
/// bit for bit as the AVX2 kernels here compute them; everything else, and every other path,
/// takes those kernels.
extension GroupedAttentionKernels {
    /// `scores` over F16 rows.
    @inline(__always)
    static func scores(
        _ q: UnsafePointer<Float>, group: Int, _ keys: UnsafePointer<KVHalf>, values: UnsafePointer<KVHalf>,
        rows: Int, count: Int, scale: Float, alignedTail: Bool, into s: UnsafeMutablePointer<Float>, stride: Int,
        path: KernelPath
    ) {
        var done = 0
        #if arch(x86_64)
            if path == .avx512 && count % 8 == 0 {
                done = rows & ~3
                var h = 0
                while h < group && done > 0 {
                    AVX512Dot.halfScores(
                        queries: q + h * count, heads: min(4, group - h), keys: UnsafeRawPointer(keys),
                        prefetching: h == 0 ? UnsafeRawPointer(values) : nil, rows: done, count: count, scale: scale,
                        into: s + h * stride, stride: stride,
                        keysAhead: GroupedAttention.keysAhead(rowBytes: 2 * count))
                    h += 4
                }
            }
        #endif
        guard done < rows else { return }
        // The rows left (all, or the last one to three, which the AVX2 kernel takes one by one).
        scores(
            q, group: group, keys + done * count, values: values + done * count, rows: rows - done, count: count,
            scale: scale, alignedTail: alignedTail, into: s + done, stride: stride)
    }

    /// `weightedSum` of F16 rows.
    @inline(__always)
    static func weightedSum(
        _ weights: UnsafePointer<Float>, stride: Int, group: Int, _ values: UnsafePointer<KVHalf>, rows: Int,
        count: Int, into out: UnsafeMutablePointer<Float>, outStride: Int, accumulate: Bool, path: KernelPath
    ) {
        #if arch(x86_64)
            if path == .avx512 && count % 16 == 0 {
                AVX512Dot.halfWeightedSum(
                    AVX512Dot.WeightedRows(
                        weights: weights, headStride: stride, blockStride: 0, values: UnsafeRawPointer(values),
                        rowBytes: 2 * count, rows: rows, count: count, out: out, outStride: outStride,
                        accumulate: accumulate),
                    group: group)
                return
            }
        #endif
        weightedSum(
            weights, stride: stride, group: group, values, rows: rows, count: count, into: out, outStride: outStride,
            accumulate: accumulate)
    }

    /// `AttentionKernels.exponentiate`, its first multiple of 16 terms on 512-bit registers.
    @inline(__always)
    static func exponentiate(
        _ s: UnsafeMutablePointer<Float>, count: Int, subtracting shift: Float, path: KernelPath
    ) -> Float {
        #if arch(x86_64)
            if path == .avx512 && count >= 16 {
                let done = count & ~15
                let sums = AVX512Dot.exponentiate(s, count: done, subtracting: shift)
                return AttentionKernels.exponentiate(s, count: count, subtracting: shift, from: done, sums: sums)
            }
        #endif
        return AttentionKernels.exponentiate(s, count: count, subtracting: shift)
    }
}
