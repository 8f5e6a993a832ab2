/// Dequantizers for the 32-element block types (layouts in `BlockLayouts.swift`).
extension Dequantize {
    static func legacyQ4_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ4_0.d)
        for j in 0..<16 {
            let byte = block.byte(at: BlockQ4_0.qs + j)
            out[j] = d * Float(Int(byte & 0x0f) - 8)
            out[j + 16] = d * Float(Int(byte >> 4) - 8)
        }
    }

    static func legacyQ4_1(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ4_1.d)
        let m = block.f16(at: BlockQ4_1.m)
        for j in 0..<16 {
            let byte = block.byte(at: BlockQ4_1.qs + j)
            out[j] = d * Float(byte & 0x0f) + m
            out[j + 16] = d * Float(byte >> 4) + m
        }
    }

    static func legacyQ5_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ5_0.d)
        let qh = block.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self)
        for j in 0..<16 {
            let byte = block.byte(at: BlockQ5_0.qs + j)
            let low = Int(byte & 0x0f) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low - 16)
            out[j + 16] = d * Float(high - 16)
        }
    }

    static func legacyQ5_1(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ5_1.d)
        let m = block.f16(at: BlockQ5_1.m)
        let qh = block.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self)
        for j in 0..<16 {
            let byte = block.byte(at: BlockQ5_1.qs + j)
            let low = Int(byte & 0x0f) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(byte >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            out[j] = d * Float(low) + m
            out[j + 16] = d * Float(high) + m
        }
    }

    static func legacyQ8_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ8_0.d)
        for j in 0..<32 {
            out[j] = Float(block.load(fromByteOffset: BlockQ8_0.qs + j, as: Int8.self)) * d
        }
    }
}
