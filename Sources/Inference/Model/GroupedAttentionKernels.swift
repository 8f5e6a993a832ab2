#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The inner loops of grouped attention over an F32 or F16 cache: the query heads that share a
/// key/value head (a GQA group) computed from one pass over that head's rows.
///
/// `AttentionKernels` serves one query head: a group of three heads reads, and with an F16 cache
/// converts, every key and value row three times. Here each loaded row is used by up to four
/// heads at once (larger groups run in blocks of four), so a row is converted once per block.
/// Every (row, head) result is the same function of its inputs whatever the block of heads: a
/// score is eight-lane FMAs in lane order, reduced as `AttentionKernels.scores` reduces that row
/// (rows in fours from the start of a cell run, four vectors at once; the rest one by one), and
/// a weighted sum is one FMA chain per output element in row order, as in `weightedSum` there.
enum GroupedAttentionKernels {
    /// `s[h·stride + j] = (q_h · keys[j]) · scale` for the `group` heads `q_h = q + h·count` and
    /// rows `j < rows` (row `j` at `keys + j·count`).
    @inline(__always)
    static func scores<T: KVStorageElement>(
        _ q: UnsafePointer<Float>, group: Int, _ keys: UnsafePointer<T>, values: UnsafePointer<T>, rows: Int,
        count: Int, scale: Float, alignedTail: Bool = false, into s: UnsafeMutablePointer<Float>, stride: Int
    ) {
        var h = 0
        while h < group {
            let qh = q + h * count
            let sh = s + h * stride
            let prefetching = h == 0 ? UnsafeRawPointer(values) : nil
            switch group - h {
            case 1:
                scoreBlock(
                    qh, One.self, keys, prefetching, rows: rows, count: count, scale: scale,
                    alignedTail: alignedTail, into: sh, stride: stride)
            case 2:
                scoreBlock(
                    qh, Two.self, keys, prefetching, rows: rows, count: count, scale: scale,
                    alignedTail: alignedTail, into: sh, stride: stride)
            case 3:
                scoreBlock(
                    qh, Three.self, keys, prefetching, rows: rows, count: count, scale: scale,
                    alignedTail: alignedTail, into: sh, stride: stride)
            default:
                scoreBlock(
                    qh, Four.self, keys, prefetching, rows: rows, count: count, scale: scale,
                    alignedTail: alignedTail, into: sh, stride: stride)
            }
            h += 4
        }
    }

    /// `scores` for one block of `heads` (1...4, a constant once inlined) query heads, two rows
    /// at a time so eight FMA chains run side by side; a row's four heads are reduced together.
    @inline(__always)
    private static func scoreBlock<T: KVStorageElement, H: HeadCount>(
        _ q: UnsafePointer<Float>, _: H.Type, _ keys: UnsafePointer<T>, _ values: UnsafeRawPointer?, rows: Int,
        count: Int, scale: Float, alignedTail: Bool, into s: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let rowBytes = count * MemoryLayout<T>.stride
        let ahead = GroupedAttention.keysAhead(rowBytes: rowBytes)
        let heads = H.value
        let q1 = heads > 1 ? q + count : q
        let q2 = heads > 2 ? q + 2 * count : q
        let q3 = heads > 3 ? q + 3 * count : q
        let vectorCount = count & ~7
        // Rows in fours from the segment's start, the rest one by one, each reduced as
        // `AttentionKernels.scores` reduces it there: up to one chunk, the same floats as before.
        let quads = count % 8 == 0 ? rows & ~3 : 0
        var j = 0
        while j < quads {
            GroupedAttention.prefetchRows(keys: keys, values: values, row: j, rowBytes: rowBytes, ahead: ahead)
            GroupedAttention.prefetchRows(keys: keys, values: values, row: j + 1, rowBytes: rowBytes, ahead: ahead)
            let k0 = keys + j * count
            let k1 = k0 + count
            var a00 = SIMD8<Float>()
            var a01 = SIMD8<Float>()
            var a02 = SIMD8<Float>()
            var a03 = SIMD8<Float>()
            var a10 = SIMD8<Float>()
            var a11 = SIMD8<Float>()
            var a12 = SIMD8<Float>()
            var a13 = SIMD8<Float>()
            var lane = 0
            while lane < vectorCount {
                let x0 = T.load8(k0 + lane)
                let x1 = T.load8(k1 + lane)
                let v0 = AttentionKernels.load(q + lane)
                a00.addProduct(v0, x0)
                a10.addProduct(v0, x1)
                if heads > 1 {
                    let v1 = AttentionKernels.load(q1 + lane)
                    a01.addProduct(v1, x0)
                    a11.addProduct(v1, x1)
                }
                if heads > 2 {
                    let v2 = AttentionKernels.load(q2 + lane)
                    a02.addProduct(v2, x0)
                    a12.addProduct(v2, x1)
                }
                if heads > 3 {
                    let v3 = AttentionKernels.load(q3 + lane)
                    a03.addProduct(v3, x0)
                    a13.addProduct(v3, x1)
                }
                lane += 8
            }
            let r0 = AttentionKernels.reduce(a00, a01, a02, a03)
            let r1 = AttentionKernels.reduce(a10, a11, a12, a13)
            finish(r0, heads: heads, scale: scale, into: s + j, stride: stride)
            finish(r1, heads: heads, scale: scale, into: s + j + 1, stride: stride)
            j += 2
        }
        while j < rows {
            GroupedAttention.prefetchRows(keys: keys, values: values, row: j, rowBytes: rowBytes, ahead: ahead)
            let k0 = keys + j * count
            for h in 0..<heads {
                let qh = q + h * count
                var a = SIMD8<Float>()
                var lane = 0
                while lane < vectorCount {
                    a.addProduct(AttentionKernels.load(qh + lane), T.load8(k0 + lane))
                    lane += 8
                }
                // `alignedTail`: reduced as in a group of four, whatever the row's place in its run.
                var dot =
                    alignedTail && count % 8 == 0
                    ? AttentionKernels.reduce(a, SIMD8(), SIMD8(), SIMD8())[0] : AttentionKernels.reduce(a)
                while lane < count {
                    dot += qh[lane] * T.load1(k0 + lane)
                    lane += 1
                }
                s[h * stride + j] = dot * scale
            }
            j += 1
        }
    }

    /// Stores one row's scores of `heads` heads (`dots[h]`) times `scale` at `s[h·stride]`.
    @inline(__always)
    private static func finish(
        _ dots: SIMD4<Float>, heads: Int, scale: Float, into s: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let scaled = dots * scale
        for h in 0..<heads { s[h * stride] = scaled[h] }
    }

    /// The largest of `s[j]`, `j < count` (−∞ when empty), vectorized.
    @inline(__always)
    static func maximum(_ s: UnsafePointer<Float>, count: Int) -> Float {
        var maxima = SIMD8<Float>(repeating: -.infinity)
        var j = 0
        while j + 8 <= count {
            #if arch(x86_64)
                maxima = _mm256_max_ps(maxima, AttentionKernels.load(s + j))
            #else
                maxima = pointwiseMax(maxima, AttentionKernels.load(s + j))
            #endif
            j += 8
        }
        var result = maxima.max()
        while j < count {
            result = max(result, s[j])
            j += 1
        }
        return result
    }

    /// `out_h[i] = Σ_j w_h[j] · values[j·count + i]` (in order of `j`, continuing from `out_h`
    /// with `accumulate`) for the `group` heads, with `w_h = weights + h·stride` and
    /// `out_h = out + h·outStride`: each value row is converted once for up to four heads.
    @inline(__always)
    static func weightedSum<T: KVStorageElement>(
        _ weights: UnsafePointer<Float>, stride: Int, group: Int, _ values: UnsafePointer<T>, rows: Int,
        count: Int, into out: UnsafeMutablePointer<Float>, outStride: Int, accumulate: Bool
    ) {
        var h = 0
        while h < group {
            let w = weights + h * stride
            let o = out + h * outStride
            switch group - h {
            case 1: sumBlock(w, stride, One.self, values, rows, count, o, outStride, accumulate)
            case 2: sumBlock(w, stride, Two.self, values, rows, count, o, outStride, accumulate)
            case 3: sumBlock(w, stride, Three.self, values, rows, count, o, outStride, accumulate)
            default: sumBlock(w, stride, Four.self, values, rows, count, o, outStride, accumulate)
            }
            h += 4
        }
    }

    /// `weightedSum` for one block of `heads` (1...4) heads: sixteen output lanes per head in
    /// registers across all rows (eight accumulators), then the next sixteen.
    @inline(__always)
    private static func sumBlock<T: KVStorageElement, H: HeadCount>(
        _ w: UnsafePointer<Float>, _ stride: Int, _: H.Type, _ values: UnsafePointer<T>, _ rows: Int,
        _ count: Int, _ out: UnsafeMutablePointer<Float>, _ outStride: Int, _ accumulate: Bool
    ) {
        let heads = H.value
        var lane = 0
        while lane + 16 <= count {
            var sums = HeadBlockSums<H>(out + lane, outStride: outStride, accumulate: accumulate)
            var v = values + lane
            for row in 0..<rows {
                sums.add(T.load8(v), T.load8(v + 8), weights: w + row, stride: stride)
                v += count
            }
            sums.store()
            lane += 16
        }
        // The last (fewer than 16) lanes, one head at a time, with the same FMA chain per element.
        while lane < count {
            let width = lane + 8 <= count ? 8 : 1
            for h in 0..<heads {
                let o = out + h * outStride + lane
                if width == 8 {
                    var a = accumulate ? AttentionKernels.load(o) : SIMD8<Float>()
                    for row in 0..<rows {
                        a.addProduct(SIMD8(repeating: w[h * stride + row]), T.load8(values + row * count + lane))
                    }
                    AttentionKernels.store(a, o)
                } else {
                    var a: Float = accumulate ? o.pointee : 0
                    for row in 0..<rows {
                        a = a.addingProduct(w[h * stride + row], T.load1(values + row * count + lane))
                    }
                    o.pointee = a
                }
            }
            lane += width
        }
    }
}

/// A block's number of query heads (1...4) as a type, so each kernel is specialized for it and
/// the per-head branches of its loops fold away.
protocol HeadCount { static var value: Int { get } }
enum One: HeadCount { static var value: Int { 1 } }
enum Two: HeadCount { static var value: Int { 2 } }
enum Three: HeadCount { static var value: Int { 3 } }
enum Four: HeadCount { static var value: Int { 4 } }
