import Foundation
import TestSupport
import Testing

@testable import Inference

@Suite struct VectorMathTests {
    static let counts = [1, 7, 8, 31, 64, 576, 1537]

    func vector(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in rng.nextFloat(scale: scale) }
    }

    func close(_ a: [Float], _ b: [Float], relative: Float, absolute: Float = 1e-7) -> Bool {
        zip(a, b).allSatisfy { abs($0 - $1) <= relative * max(abs($0), abs($1)) + absolute }
    }

    @Test(arguments: counts)
    func dotAndAccumulateAndAdd(count: Int) {
        let a = vector(count, seed: 1)
        let b = vector(count, seed: 2)
        let fast = VectorMath.dot(a, b, count: count)
        let reference = VectorMath.Reference.dot(a, b, count: count)
        let magnitude = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
        #expect(abs(fast - reference) <= 1e-6 * magnitude + 1e-7)

        var out1 = vector(count, seed: 3)
        var out2 = out1
        VectorMath.accumulate(&out1, 0.37, a, count: count)
        VectorMath.Reference.accumulate(&out2, 0.37, a, count: count)
        #expect(close(out1, out2, relative: 1e-6))

        var sum1 = [Float](repeating: 0, count: count)
        var sum2 = sum1
        VectorMath.add(a, b, into: &sum1, count: count)
        VectorMath.Reference.add(a, b, into: &sum2, count: count)
        #expect(sum1 == sum2)
    }

    @Test(arguments: counts)
    func rmsNorm(count: Int) {
        let x = vector(count, seed: 4, scale: 3)
        let w = vector(count, seed: 5)
        var fast = [Float](repeating: 0, count: count)
        var reference = fast
        VectorMath.rmsNorm(x, weight: w, eps: 1e-5, count: count, into: &fast)
        VectorMath.Reference.rmsNorm(x, weight: w, eps: 1e-5, count: count, into: &reference)
        #expect(close(fast, reference, relative: 2e-6))
    }

    /// Several vectors side by side give each vector's `rmsNorm` bit for bit, at every number of
    /// vectors a lane group can leave over, with magnitudes from 1e-20 to 1e10 (where the order
    /// of the double sum matters), strided apart and in place.
    @Test(arguments: [1, 64, 576])
    func rmsNormsEqualRmsNormBitForBit(count: Int) {
        for vectors in [1, 2, 3, 4, 5, 7, 8, 9, 16, 19] {
            let stride = count + 3
            var rng = SeededRandom(seed: UInt64(vectors * 1000 + count))
            let x = (0..<(vectors * stride)).map { i -> Float in
                Float(pow(10, Double(i % 31) - 20)) * rng.nextFloat(scale: 1)
            }
            let w = vector(count, seed: 9)
            var alone = [Float](repeating: .nan, count: vectors * stride)
            for v in 0..<vectors {
                x.withUnsafeBufferPointer { xs in
                    alone.withUnsafeMutableBufferPointer { out in
                        VectorMath.rmsNorm(
                            xs.baseAddress! + v * stride, weight: w, eps: 1e-6, count: count,
                            into: out.baseAddress! + v * stride)
                    }
                }
            }
            var together = x
            together.withUnsafeMutableBufferPointer { buffer in
                VectorMath.rmsNorms(
                    buffer.baseAddress!, stride: stride, vectors: vectors, weight: w, eps: 1e-6, count: count,
                    into: buffer.baseAddress!, outStride: stride)
            }
            for v in 0..<vectors {
                for i in 0..<count {
                    #expect(together[v * stride + i].bitPattern == alone[v * stride + i].bitPattern)
                }
                // The padding between vectors is never written.
                for i in count..<stride { #expect(together[v * stride + i].bitPattern == x[v * stride + i].bitPattern) }
            }
        }
    }

    /// Gemma's GeGLU through the F16 GELU table, eight lanes at a time, equals the scalar form
    /// bit for bit: every finite F16 value, values between them (rounded to F16 to index),
    /// both bounds (±10 and their neighbours, ±inf), and negative `up` (x ≤ −10 gives +0).
    @Test func tableGegluEqualsScalarBitForBit() {
        var gate: [Float] = (0..<65_536).compactMap { bits in
            let x = HalfPrecision.f16ToF32(UInt16(bits))
            return x.isNaN ? nil : x
        }
        var rng = SeededRandom(seed: 11)
        gate += (0..<4_099).map { _ in rng.nextFloat(scale: 12) }
        gate += [-10, 10, (-10 as Float).nextUp, (-10 as Float).nextDown, (10 as Float).nextUp, (10 as Float).nextDown]
        gate += [.infinity, -.infinity, 0, -0.0]
        let up = (0..<gate.count).map { _ in rng.nextFloat(scale: 3) }
        var fast = [Float](repeating: .nan, count: gate.count)
        var scalar = fast
        GeluTable.geglu(gate: gate, up: up, into: &fast, count: gate.count)
        GeluTable.values.withUnsafeBufferPointer { table in
            VectorMath.Reference.tableGeglu(
                gate: gate, up: up, table: table.baseAddress!, into: &scalar, count: gate.count)
        }
        let differing = (0..<gate.count).filter { fast[$0].bitPattern != scalar[$0].bitPattern }
        #expect(
            differing.isEmpty,
            "first differing gate values: \(differing.prefix(5).map { (gate[$0], fast[$0], scalar[$0]) })")
    }

    @Test(arguments: counts)
    func softmax(count: Int) {
        var fast = vector(count, seed: 6, scale: 20)
        if count > 3 { fast[2] = -.infinity }
        var reference = fast
        VectorMath.softmax(&fast, count: count)
        VectorMath.Reference.softmax(&reference, count: count)
        #expect(close(fast, reference, relative: 5e-6, absolute: 1e-9))
        if count > 3 { #expect(fast[2] == 0) }
    }

    @Test(arguments: counts)
    func swiglu(count: Int) {
        let gate = vector(count, seed: 7, scale: 30)
        let up = vector(count, seed: 8)
        var fast = [Float](repeating: 0, count: count)
        var reference = fast
        VectorMath.swiglu(gate: gate, up: up, into: &fast, count: count)
        VectorMath.Reference.swiglu(gate: gate, up: up, into: &reference, count: count)
        #expect(close(fast, reference, relative: 5e-6, absolute: 1e-30))
    }

    @Test func expMatchesLibm() {
        var x: Float = -100
        while x < 89 {
            let fast = VectorMath.exp(SIMD8(repeating: x))[0]
            let reference = Float(Foundation.exp(Double(x)))
            if x < -87.33 {
                #expect(fast == 0)
            } else if x <= 88.37 {
                #expect(abs(fast - reference) <= 3 * reference.ulp, "exp(\(x)) = \(fast), want \(reference)")
            }
            x += 0.0137
        }
    }

    @Test(arguments: [RopeStyle.normal, .neox])
    func rope(style: RopeStyle) {
        let heads = 3
        let headDimension = 64
        for rotary in [64, 32] {
            for position in [0, 1, 17, 4095] {
                var cosFast = [Float](repeating: 0, count: rotary / 2)
                var sinFast = cosFast
                var cosRef = cosFast
                var sinRef = cosFast
                VectorMath.ropeTable(
                    position: position, rotaryDimensions: rotary, base: 100_000, cos: &cosFast, sin: &sinFast)
                VectorMath.Reference.ropeTable(
                    position: position, rotaryDimensions: rotary, base: 100_000, cos: &cosRef, sin: &sinRef)
                // ggml's running product drifts from the closed form by a few F32 ulps of θ.
                let thetaError = Float(position) * 1e-6 + 1e-6
                #expect(close(cosFast, cosRef, relative: 0, absolute: thetaError))
                #expect(close(sinFast, sinRef, relative: 0, absolute: thetaError))
                var fast = vector(heads * headDimension, seed: UInt64(position))
                var reference = fast
                VectorMath.rope(
                    &fast, heads: heads, headDimension: headDimension, rotaryDimensions: rotary, cos: cosRef,
                    sin: sinRef, style: style)
                VectorMath.Reference.rope(
                    &reference, heads: heads, headDimension: headDimension, rotaryDimensions: rotary, cos: cosRef,
                    sin: sinRef, style: style)
                #expect(close(fast, reference, relative: 1e-6, absolute: 1e-7))
            }
        }
    }
}
