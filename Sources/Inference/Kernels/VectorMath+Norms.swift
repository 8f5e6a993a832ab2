#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

extension VectorMath {
    /// `rmsNorm` of `vectors` vectors of `count` floats (vector v at `x + v·stride`, its result
    /// at `out + v·outStride`), each bit-identical to `rmsNorm` of that vector alone.
    ///
    /// Why: ggml sums Σ x² in order in double, so one vector's sum is a chain of dependent adds
    /// (4 cycles each: 2,300 cycles for SmolLM2's 576 floats, 2-3% of a prompt). The chains of
    /// different vectors are independent, so up to eight run side by side, one per lane of two
    /// 4-lane double vectors, each still adding its own squares in order.
    package static func rmsNorms(
        _ x: UnsafePointer<Float>, stride: Int, vectors: Int, weight: UnsafePointer<Float>, eps: Float, count: Int,
        into out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        var v = 0
        while v < vectors {
            let lanes = min(8, vectors - v)
            guard lanes > 1 else {
                rmsNorm(x + v * stride, weight: weight, eps: eps, count: count, into: out + v * outStride)
                break
            }
            // Lanes past the last vector repeat it; their sums are not used.
            @inline(__always) func vector(_ k: Int) -> UnsafePointer<Float> { x + (v + min(k, lanes - 1)) * stride }
            let sums = sumsOfSquares(
                vector(0), vector(1), vector(2), vector(3), vector(4), vector(5), vector(6), vector(7), count)
            for k in 0..<lanes {
                scaleNormalized(
                    x + (v + k) * stride, sum: sums[k], weight: weight, eps: eps, count: count,
                    into: out + (v + k) * outStride)
            }
            v += lanes
        }
    }

    /// `out[i] = (x[i] · s) · weight[i]` with `s = 1 / √(Σx² / count + eps)`, as `rmsNorm` ends.
    @inline(__always)
    static func scaleNormalized(
        _ x: UnsafePointer<Float>, sum: Double, weight: UnsafePointer<Float>, eps: Float, count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        let mean = Float(sum / Double(count))
        let s = 1 / (mean + eps).squareRoot()
        let s8 = SIMD8<Float>(repeating: s)
        var i = 0
        while i + 8 <= count {
            store8((load8(x + i) * s8) * load8(weight + i), out + i)
            i += 8
        }
        while i < count {
            out[i] = (x[i] * s) * weight[i]
            i += 1
        }
    }

    /// Eight vectors' Σ x² (each square rounded to F32, added in order in double), one per lane.
    @inline(__always)
    private static func sumsOfSquares(
        _ p0: UnsafePointer<Float>, _ p1: UnsafePointer<Float>, _ p2: UnsafePointer<Float>,
        _ p3: UnsafePointer<Float>, _ p4: UnsafePointer<Float>, _ p5: UnsafePointer<Float>,
        _ p6: UnsafePointer<Float>, _ p7: UnsafePointer<Float>, _ count: Int
    ) -> SIMD8<Double> {
        var s0 = SIMD4<Double>()
        var s1 = SIMD4<Double>()
        for i in 0..<count {
            let a = SIMD4<Float>(p0[i], p1[i], p2[i], p3[i])
            let b = SIMD4<Float>(p4[i], p5[i], p6[i], p7[i])
            s0 += widen(a * a)
            s1 += widen(b * b)
        }
        return SIMD8(lowHalf: s0, highHalf: s1)
    }

    /// Each lane converted to double (exact).
    @inline(__always)
    private static func widen(_ x: SIMD4<Float>) -> SIMD4<Double> {
        #if arch(x86_64)
            return _mm256_cvtps_pd(x)
        #else
            return SIMD4(Double(x[0]), Double(x[1]), Double(x[2]), Double(x[3]))
        #endif
    }
}
