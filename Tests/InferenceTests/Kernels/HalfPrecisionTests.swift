import TestSupport
import Testing

@testable import Inference

@Suite struct HalfPrecisionTests {
    @Test func f16ToF32IsExactForEveryPattern() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = HalfPrecision.f16ToF32(bits)
            if expected.isNaN {
                #expect(actual.isNaN)
            } else if actual.bitPattern != expected.bitPattern {
                Issue.record("f16 \(bits): \(actual) != \(expected)")
                return
            }
        }
    }

    @Test func f32ToF16RoundsToNearestEven() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<20_000 {
            let x = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng))
            guard !x.isNaN else { continue }
            let expected = Float16(x).bitPattern
            #expect(HalfPrecision.f32ToF16(x) == expected)
            #expect(HalfPrecision.softwareF32ToF16(x) == expected, "software conversion of \(x)")
        }
        for x: Float in [0, -0, 65504, 65519.99, 65520, 1e-8, 2.98e-8, 5.96e-8, 6.1e-5, -1.5, .infinity, -.infinity] {
            #expect(HalfPrecision.softwareF32ToF16(x) == Float16(x).bitPattern, "software conversion of \(x)")
        }
    }

    @Test func bf16RoundTrip() {
        #expect(HalfPrecision.bf16ToF32(0x3f80) == 1)
        #expect(HalfPrecision.f32ToBF16(1) == 0x3f80)
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1).
        #expect(HalfPrecision.f32ToBF16(Float(bitPattern: 0x3f80_8000)) == 0x3f80)
        #expect(HalfPrecision.f32ToBF16(Float(bitPattern: 0x3f81_8000)) == 0x3f82)
        #expect(HalfPrecision.bf16ToF32(HalfPrecision.f32ToBF16(.nan)).isNaN)
    }
}
