/// The element-wise kernels of the forward pass, vectorized with `SIMD8<Float>` (one AVX
/// register); each has a scalar twin in `VectorMath.Reference` that tests hold it to.
///
/// All take raw pointers and never allocate. Unless noted, `out` may alias an input.
public enum VectorMath {
    /// Σ a[i]·b[i].
    @inlinable
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>()
        var acc1 = SIMD8<Float>()
        var acc2 = SIMD8<Float>()
        var acc3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= count {
            acc0.addProduct(load8(a + i), load8(b + i))
            acc1.addProduct(load8(a + i + 8), load8(b + i + 8))
            acc2.addProduct(load8(a + i + 16), load8(b + i + 16))
            acc3.addProduct(load8(a + i + 24), load8(b + i + 24))
            i += 32
        }
        while i + 8 <= count {
            acc0.addProduct(load8(a + i), load8(b + i))
            i += 8
        }
        var sum = ((acc0 + acc1) + (acc2 + acc3)).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// out[i] += a · v[i] (the weighted sum of attention values).
    @inlinable
    package static func accumulate(
        _ out: UnsafeMutablePointer<Float>, _ a: Float, _ v: UnsafePointer<Float>, count: Int
    ) {
        let a8 = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= count {
            store8(load8(out + i).addingProduct(a8, load8(v + i)), out + i)
            i += 8
        }
        while i < count {
            out[i] += a * v[i]
            i += 1
        }
    }

    /// out[i] = a[i] + b[i] (residual connections).
    @inlinable
    package static func add(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        while i + 8 <= count {
            store8(load8(a + i) + load8(b + i), out + i)
            i += 8
        }
        while i < count {
            out[i] = a[i] + b[i]
            i += 1
        }
    }

    /// out[i] = v[i] · s.
    @inlinable
    package static func scale(_ v: UnsafePointer<Float>, by s: Float, into out: UnsafeMutablePointer<Float>, count: Int)
    {
        let s8 = SIMD8<Float>(repeating: s)
        var i = 0
        while i + 8 <= count {
            store8(load8(v + i) * s8, out + i)
            i += 8
        }
        while i < count {
            out[i] = v[i] * s
            i += 1
        }
    }

    /// out[i] = x[i] / √(mean(x²) + eps) · weight[i] (RMSNorm, as ggml: `(x · scale) · w`).
    package static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float, count: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        // Σ x² as ggml sums it: each square rounded to F32, added in order in double.
        var sum: Double = 0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        scaleNormalized(x, sum: sum, weight: weight, eps: eps, count: count, into: out)
    }

    @inlinable @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    static func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inlinable @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
