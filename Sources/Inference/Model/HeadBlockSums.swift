/// Sixteen output lanes of a block of up to four query heads (`H`), held in registers over a
/// run of value rows: the weighted-sum accumulators of both grouped kernels (F32/F16 rows in
/// `GroupedAttentionKernels`, Q8_0 codes in `GroupedQ8AttentionKernels`), which differ only in
/// how a row's sixteen values are loaded. Each lane is one FMA chain in row order.
struct HeadBlockSums<H: HeadCount> {
    private var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a10 = SIMD8<Float>(), a11 = SIMD8<Float>()
    private var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a30 = SIMD8<Float>(), a31 = SIMD8<Float>()
    /// Head h's sixteen outputs start at `out + h·outStride`.
    private let out: UnsafeMutablePointer<Float>
    private let outStride: Int

    /// Starts from zero, or from the outputs already there (`accumulate`: a later span).
    @inline(__always)
    init(_ out: UnsafeMutablePointer<Float>, outStride: Int, accumulate: Bool) {
        self.out = out
        self.outStride = outStride
        guard accumulate else { return }
        let heads = H.value
        (a00, a01) = (AttentionKernels.load(out), AttentionKernels.load(out + 8))
        if heads > 1 {
            (a10, a11) = (AttentionKernels.load(out + outStride), AttentionKernels.load(out + outStride + 8))
        }
        if heads > 2 {
            (a20, a21) = (AttentionKernels.load(out + 2 * outStride), AttentionKernels.load(out + 2 * outStride + 8))
        }
        if heads > 3 {
            (a30, a31) = (AttentionKernels.load(out + 3 * outStride), AttentionKernels.load(out + 3 * outStride + 8))
        }
    }

    /// Adds `w_h · (x0, x1)` to head h's lanes, `w_h = weights[h·stride]` (one row's weight per head).
    @inline(__always)
    mutating func add(_ x0: SIMD8<Float>, _ x1: SIMD8<Float>, weights w: UnsafePointer<Float>, stride: Int) {
        let heads = H.value
        let w0 = SIMD8<Float>(repeating: w[0])
        a00.addProduct(w0, x0)
        a01.addProduct(w0, x1)
        if heads > 1 {
            let w1 = SIMD8<Float>(repeating: w[stride])
            a10.addProduct(w1, x0)
            a11.addProduct(w1, x1)
        }
        if heads > 2 {
            let w2 = SIMD8<Float>(repeating: w[2 * stride])
            a20.addProduct(w2, x0)
            a21.addProduct(w2, x1)
        }
        if heads > 3 {
            let w3 = SIMD8<Float>(repeating: w[3 * stride])
            a30.addProduct(w3, x0)
            a31.addProduct(w3, x1)
        }
    }

    /// Writes every head's sixteen sums back.
    @inline(__always)
    func store() {
        let heads = H.value
        AttentionKernels.store(a00, out)
        AttentionKernels.store(a01, out + 8)
        if heads > 1 {
            AttentionKernels.store(a10, out + outStride)
            AttentionKernels.store(a11, out + outStride + 8)
        }
        if heads > 2 {
            AttentionKernels.store(a20, out + 2 * outStride)
            AttentionKernels.store(a21, out + 2 * outStride + 8)
        }
        if heads > 3 {
            AttentionKernels.store(a30, out + 3 * outStride)
            AttentionKernels.store(a31, out + 3 * outStride + 8)
        }
    }
}
