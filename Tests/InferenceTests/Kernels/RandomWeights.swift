import GGUF
import TestSupport

@testable import Inference

/// Seeded random weight matrices of any supported type: random bytes (every code pattern is
/// valid) with the F16 scale fields replaced by sane finite values, as in real files.
final class RandomMatrix: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    let matrix: WeightMatrix

    init(type: GGMLType, rows: Int, columns: Int, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let rowBytes = columns / type.blockSize * type.bytesPerBlock
        bytes = .allocate(byteCount: rows * rowBytes, alignment: 64)
        for i in 0..<bytes.count { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let blocks = rows * columns / type.blockSize
        for b in 0..<blocks {
            let block = b * type.bytesPerBlock
            switch type {
            case .f32:
                bytes.storeBytes(of: rng.nextFloat(scale: 1), toByteOffset: block, as: Float.self)
            case .f16:
                bytes.storeBytes(
                    of: HalfPrecision.f32ToF16(rng.nextFloat(scale: 1)), toByteOffset: block, as: UInt16.self)
            case .bf16:
                bytes.storeBytes(
                    of: HalfPrecision.f32ToBF16(rng.nextFloat(scale: 1)), toByteOffset: block, as: UInt16.self)
            default:
                for offset in Self.f16Fields(type) {
                    let magnitude = Float.random(in: 0.001...0.05, using: &rng)
                    let value = Bool.random(using: &rng) ? magnitude : -magnitude
                    let bits = HalfPrecision.f32ToF16(value)
                    bytes[block + offset] = UInt8(bits & 0xff)
                    bytes[block + offset + 1] = UInt8(bits >> 8)
                }
            }
        }
        matrix = WeightMatrix(type: type, rows: rows, columns: columns, base: UnsafeRawPointer(bytes.baseAddress!))
    }

    deinit { bytes.deallocate() }

    static func f16Fields(_ type: GGMLType) -> [Int] {
        switch type {
        case .q4_0, .q5_0, .q8_0: return [0]
        case .q4_1, .q5_1: return [0, 2]
        case .q2_K: return [80, 82]
        case .q3_K: return [108]
        case .q4_K, .q5_K: return [0, 2]
        case .q6_K: return [208]
        default: return []
        }
    }
}

/// Seeded activations with a realistic spread (a few large entries, as in transformer states).
func randomActivations(count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { i in
        let v = rng.nextFloat(scale: 1)
        return i % 97 == 5 ? v * 20 : v
    }
}
