/// Softmax and SwiGLU, built on a vectorized `exp` (expf per element would dominate SiLU over
/// the 1536-wide FFN and long attention rows).
extension VectorMath {
    /// x[i] = exp(x[i] − max) / Σ exp(x[j] − max), in place. `-inf` entries (masked) become 0.
    package static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        var maxValue = -Float.infinity
        for i in 0..<count { maxValue = max(maxValue, x[i]) }
        let m8 = SIMD8<Float>(repeating: maxValue)
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let e = exp(load8(x + i) - m8)
            store8(e, x + i)
            acc += e
            i += 8
        }
        var sum = Double(acc.sum())
        while i < count {
            let e = exp(SIMD8<Float>(repeating: x[i] - maxValue))[0]
            x[i] = e
            sum += Double(e)
            i += 1
        }
        scale(x, by: Float(1 / sum), into: x, count: count)
    }

    /// out[i] = silu(gate[i]) · up[i] with silu(g) = g / (1 + exp(−g)) (the SwiGLU FFN).
    package static func swiglu(
        gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
    ) {
        let one = SIMD8<Float>(repeating: 1)
        var i = 0
        while i + 8 <= count {
            let g = load8(gate + i)
            store8(g / (one + expArmStyle(SIMD8<Float>() - g)) * load8(up + i), out + i)
            i += 8
        }
        while i < count {
            let g = gate[i]
            out[i] = g / (1 + exp(SIMD8<Float>(repeating: -g))[0]) * up[i]
            i += 1
        }
    }

    /// e^x per lane, within 2 ulp of expf for x in [−87.3, 88.3]; 0 below, +inf-free above
    /// (clamped). Cody–Waite range reduction x = n·ln2 + r, then a degree-6 polynomial in r.
    @inline(__always)
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let lowest: Float = -87.33654
        let highest: Float = 88.37626
        // `clamped(lowerBound:upperBound:)` is not inlined by the optimizer; selects are.
        let low = SIMD8<Float>(repeating: lowest)
        let high = SIMD8<Float>(repeating: highest)
        let c = x.replacing(with: low, where: .!(x .>= low)).replacing(with: high, where: x .> high)
        let magic = SIMD8<Float>(repeating: 12_582_912) // 1.5 · 2^23: adding it rounds to an integer
        let shifted = c * SIMD8(repeating: 1.442_695_04) + magic
        let n = shifted - magic
        var r = c.addingProduct(n, SIMD8(repeating: -0.693_359_375))
        r = r.addingProduct(n, SIMD8(repeating: 2.121_944_4e-4))
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + SIMD8(repeating: 1.398_199_95e-3)
        p = p * r + SIMD8(repeating: 8.333_451_9e-3)
        p = p * r + SIMD8(repeating: 4.166_579_59e-2)
        p = p * r + SIMD8(repeating: 1.666_666_55e-1)
        p = p * r + SIMD8(repeating: 5.000_000_12e-1)
        let y = (p * r * r + r) + SIMD8(repeating: 1)
        let exponent =
            (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self) &+ 127) &<< 23
        let result = y * unsafeBitCast(exponent, to: SIMD8<Float>.self)
        // Zero where x < lowest (exp underflows). `replacing(with:where:)` compiles to a lane-by-lane
        // loop here; the sign bit of x − lowest, spread to a mask, keeps it vectorized.
        let below = unsafeBitCast(x - low, to: SIMD8<Int32>.self) &>> 31
        return unsafeBitCast(unsafeBitCast(result, to: SIMD8<Int32>.self) & ~below, to: SIMD8<Float>.self)
    }
}
