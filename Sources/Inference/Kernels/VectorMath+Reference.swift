#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension VectorMath {
    /// Plain scalar versions of the element-wise kernels, written for clarity (Double sums,
    /// libm `expf`), that the SIMD kernels are tested against.
    public enum Reference {
        package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
            var sum: Double = 0
            for i in 0..<count { sum += Double(a[i]) * Double(b[i]) }
            return Float(sum)
        }

        package static func accumulate(
            _ out: UnsafeMutablePointer<Float>, _ a: Float, _ v: UnsafePointer<Float>, count: Int
        ) {
            for i in 0..<count { out[i] += a * v[i] }
        }

        package static func add(
            _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
        ) {
            for i in 0..<count { out[i] = a[i] + b[i] }
        }

        package static func rmsNorm(
            _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float, count: Int,
            into out: UnsafeMutablePointer<Float>
        ) {
            var sum: Double = 0
            for i in 0..<count { sum += Double(x[i]) * Double(x[i]) }
            let s = 1 / sqrtf(Float(sum / Double(count)) + eps)
            for i in 0..<count { out[i] = x[i] * s * weight[i] }
        }

        package static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
            var maxValue = -Float.infinity
            for i in 0..<count { maxValue = max(maxValue, x[i]) }
            var sum: Double = 0
            for i in 0..<count {
                x[i] = expf(x[i] - maxValue)
                sum += Double(x[i])
            }
            for i in 0..<count { x[i] = Float(Double(x[i]) / sum) }
        }

        package static func swiglu(
            gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int
        ) {
            for i in 0..<count { out[i] = gate[i] / (1 + expf(-gate[i])) * up[i] }
        }

        /// `VectorMath.tableGeglu` one element at a time, with its branches written out.
        package static func tableGeglu(
            gate: UnsafePointer<Float>, up: UnsafePointer<Float>, table: UnsafePointer<Float>,
            into out: UnsafeMutablePointer<Float>, count: Int
        ) {
            for i in 0..<count {
                let x = gate[i]
                if x <= -10 {
                    out[i] = 0
                } else if x >= 10 {
                    out[i] = x * up[i]
                } else {
                    out[i] = table[Int(HalfPrecision.f32ToF16(x))] * up[i]
                }
            }
        }

        /// Angles in Double from the closed form base^(−2i/d).
        package static func ropeTable(
            position: Int, rotaryDimensions: Int, base: Float, cos: UnsafeMutablePointer<Float>,
            sin: UnsafeMutablePointer<Float>
        ) {
            for i in 0..<(rotaryDimensions / 2) {
                let theta = Double(position) * pow(Double(base), -2 * Double(i) / Double(rotaryDimensions))
                cos[i] = Float(libmCos(theta))
                sin[i] = Float(libmSin(theta))
            }
        }

        package static func rope(
            _ x: UnsafeMutablePointer<Float>, heads: Int, headDimension: Int, rotaryDimensions: Int,
            cos: UnsafePointer<Float>, sin: UnsafePointer<Float>, style: RopeStyle
        ) {
            let half = rotaryDimensions / 2
            for h in 0..<heads {
                for i in 0..<half {
                    let (a, b) = style == .normal ? (2 * i, 2 * i + 1) : (i, i + half)
                    let x0 = x[h * headDimension + a]
                    let x1 = x[h * headDimension + b]
                    x[h * headDimension + a] = x0 * cos[i] - x1 * sin[i]
                    x[h * headDimension + b] = x0 * sin[i] + x1 * cos[i]
                }
            }
        }
    }
}

private func libmCos(_ x: Double) -> Double { cos(x) }
private func libmSin(_ x: Double) -> Double { sin(x) }
