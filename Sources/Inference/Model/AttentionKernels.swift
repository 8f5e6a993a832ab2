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

/// The inner loops of attention over cached rows of `headDim` elements (`KVStorageElement`).
///
/// A head's scores are dot products of 64 or 128 elements: short enough that reducing each
/// product to a scalar would cost as much as computing it. `scores` therefore computes four
/// rows at a time and reduces them together (`hadd`), and `weightedSum` keeps its output in
/// registers across all rows. Every result depends only on the row count and the inputs, so a
/// token gives bit-identical attention whether it is evaluated alone or in a batch.
enum AttentionKernels {
    /// `s[j] = (q · keys[j]) · scale` for `j < rows` (row `j` at `keys + j·count`); returns the
    /// largest score.
    @inline(__always)
    static func scores<T: KVStorageElement>(
        _ q: UnsafePointer<Float>, _ keys: UnsafePointer<T>, rows: Int, count: Int,
        scale: Float, into s: UnsafeMutablePointer<Float>
    ) -> Float {
        var row = 0
        var maxScore = -Float.infinity
        if count % 8 == 0 {
            while row + 4 <= rows {
                var a0 = SIMD8<Float>()
                var a1 = SIMD8<Float>()
                var a2 = SIMD8<Float>()
                var a3 = SIMD8<Float>()
                let k = keys + row * count
                var lane = 0
                while lane < count {
                    let qv = UnsafeRawPointer(q + lane).loadUnaligned(as: SIMD8<Float>.self)
                    a0.addProduct(qv, T.load8(k + lane))
                    a1.addProduct(qv, T.load8(k + count + lane))
                    a2.addProduct(qv, T.load8(k + 2 * count + lane))
                    a3.addProduct(qv, T.load8(k + 3 * count + lane))
                    lane += 8
                }
                let dots = reduce(a0, a1, a2, a3) * scale
                UnsafeMutableRawPointer(s + row).storeBytes(of: dots, as: SIMD4<Float>.self)
                maxScore = max(maxScore, max(max(dots[0], dots[1]), max(dots[2], dots[3])))
                row += 4
            }
        }
        while row < rows {
            let k = keys + row * count
            var a = SIMD8<Float>()
            var lane = 0
            while lane + 8 <= count {
                a.addProduct(UnsafeRawPointer(q + lane).loadUnaligned(as: SIMD8<Float>.self), T.load8(k + lane))
                lane += 8
            }
            var dot = reduce(a)
            while lane < count {
                dot += q[lane] * T.load1(k + lane)
                lane += 1
            }
            s[row] = dot * scale
            maxScore = max(maxScore, s[row])
            row += 1
        }
        return maxScore
    }

    /// `s[j] = cap · tanh(s[j] / cap)` in place for `j < count` (Gemma 2's soft-capping of
    /// scores into (−cap, cap) before the softmax); returns the largest.
    @inline(__always)
    static func softcap(_ s: UnsafeMutablePointer<Float>, count: Int, cap: Float) -> Float {
        var maximum = -Float.infinity
        for j in 0..<count {
            s[j] = cap * tanhf(s[j] / cap)
            maximum = max(maximum, s[j])
        }
        return maximum
    }

    /// `s[j] = exp(s[j] − shift)` in place for `j < count`; returns `Σ s[j]` (the softmax
    /// denominator; `shift` is the maximum, so each term is at most 1). The first `start`
    /// terms, when given, are already done and summed in `sums`, eight lanes as here.
    @inline(__always)
    static func exponentiate(
        _ s: UnsafeMutablePointer<Float>, count: Int, subtracting shift: Float, from start: Int = 0,
        sums: SIMD8<Float> = SIMD8()
    ) -> Float {
        let shift8 = SIMD8<Float>(repeating: shift)
        var acc = sums
        var j = start
        while j + 8 <= count {
            let e = VectorMath.exp(UnsafeRawPointer(s + j).loadUnaligned(as: SIMD8<Float>.self) - shift8)
            UnsafeMutableRawPointer(s + j).storeBytes(of: e, as: SIMD8<Float>.self)
            acc += e
            j += 8
        }
        var total = reduce(acc)
        while j < count {
            let e = VectorMath.exp(SIMD8<Float>(repeating: s[j] - shift))[0]
            s[j] = e
            total += e
            j += 1
        }
        return total
    }

    /// `out[i] = Σ_j weights[j] · values[j·count + i]` for `i < count`, `j < rows` (in order of
    /// `j`): the attention-weighted sum of value rows, accumulated in registers 32 lanes at a time.
    /// With `accumulate` the sum continues from `out` (the next span of the same sequence).
    @inline(__always)
    static func weightedSum<T: KVStorageElement>(
        _ weights: UnsafePointer<Float>, _ values: UnsafePointer<T>, rows: Int,
        count: Int, into out: UnsafeMutablePointer<Float>,
        accumulate: Bool = false
    ) {
        var lane = 0
        while lane + 32 <= count {
            var a0 = SIMD8<Float>()
            var a1 = SIMD8<Float>()
            var a2 = SIMD8<Float>()
            var a3 = SIMD8<Float>()
            if accumulate {
                a0 = load(out + lane)
                a1 = load(out + lane + 8)
                a2 = load(out + lane + 16)
                a3 = load(out + lane + 24)
            }
            for row in 0..<rows {
                let w = SIMD8<Float>(repeating: weights[row])
                let v = values + row * count + lane
                a0.addProduct(w, T.load8(v))
                a1.addProduct(w, T.load8(v + 8))
                a2.addProduct(w, T.load8(v + 16))
                a3.addProduct(w, T.load8(v + 24))
            }
            store(a0, out + lane)
            store(a1, out + lane + 8)
            store(a2, out + lane + 16)
            store(a3, out + lane + 24)
            lane += 32
        }
        while lane + 8 <= count {
            var a = accumulate ? load(out + lane) : SIMD8<Float>()
            for row in 0..<rows { a.addProduct(SIMD8(repeating: weights[row]), T.load8(values + row * count + lane)) }
            store(a, out + lane)
            lane += 8
        }
        while lane < count {
            var a: Float = accumulate ? out[lane] : 0
            for row in 0..<rows { a = a.addingProduct(weights[row], T.load1(values + row * count + lane)) }
            out[lane] = a
            lane += 1
        }
    }

    /// The lane sums of four vectors, as one vector (two `hadd` levels, then the two halves).
    @inline(__always)
    static func reduce(_ a0: SIMD8<Float>, _ a1: SIMD8<Float>, _ a2: SIMD8<Float>, _ a3: SIMD8<Float>) -> SIMD4<Float> {
        #if arch(x86_64)
            let h = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3))
            return h.lowHalf + h.highHalf
        #else
            return SIMD4(reduce(a0), reduce(a1), reduce(a2), reduce(a3))
        #endif
    }

    /// The sum of the lanes, as a tree (three dependent adds instead of seven).
    @inline(__always)
    static func reduce(_ a: SIMD8<Float>) -> Float {
        let h = a.lowHalf + a.highHalf
        let q = h.lowHalf + h.highHalf
        return q[0] + q[1]
    }

    /// Eight floats at `p` (the Q8_0 cache's kernels use them too).
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
