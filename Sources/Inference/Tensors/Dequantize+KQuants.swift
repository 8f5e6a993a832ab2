/// Dequantizers for the 256-element K-quant super-blocks (layouts in `BlockLayouts.swift`).
extension Dequantize {
    static func kQ2(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ2_K.d)
        let dmin = block.f16(at: BlockQ2_K.dmin)
        for h in 0..<2 {
            for s in 0..<4 {
                for half in 0..<2 {
                    let sub = 8 * h + 2 * s + half
                    let packed = block.byte(at: BlockQ2_K.scales + sub)
                    let dl = d * Float(packed & 0x0f)
                    let ml = dmin * Float(packed >> 4)
                    for i in 0..<16 {
                        let l = 16 * half + i
                        let q = (block.byte(at: BlockQ2_K.qs + 32 * h + l) >> UInt8(2 * s)) & 3
                        out[128 * h + 32 * s + l] = dl * Float(q) - ml
                    }
                }
            }
        }
    }

    static func kQ3(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ3_K.d)
        for h in 0..<2 {
            for s in 0..<4 {
                for half in 0..<2 {
                    let sub = 8 * h + 2 * s + half
                    let dl = d * Float(q3Scale(block + BlockQ3_K.scales, sub))
                    for i in 0..<16 {
                        let l = 16 * half + i
                        let low = Int((block.byte(at: BlockQ3_K.qs + 32 * h + l) >> UInt8(2 * s)) & 3)
                        let high = Int((block.byte(at: BlockQ3_K.hmask + l) >> UInt8(4 * h + s)) & 1)
                        out[128 * h + 32 * s + l] = dl * Float(low - (high == 0 ? 4 : 0))
                    }
                }
            }
        }
    }

    /// The signed 6-bit scale of Q3_K sub-block `i` (0..<16), already minus 32.
    @inline(__always)
    static func q3Scale(_ scales: UnsafeRawPointer, _ i: Int) -> Int {
        let low = Int(scales.byte(at: i % 8) >> UInt8(4 * (i / 8))) & 0x0f
        let high = Int(scales.byte(at: 8 + i % 4) >> UInt8(2 * (i / 4))) & 3
        return (low | high << 4) - 32
    }

    static func kQ4(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ4_K.d)
        let dmin = block.f16(at: BlockQ4_K.dmin)
        for p in 0..<4 {
            for h in 0..<2 {
                let (sc, mn) = kScaleMin(block + BlockQ4_K.scales, 2 * p + h)
                let dl = d * Float(sc)
                let ml = dmin * Float(mn)
                for l in 0..<32 {
                    let q = (block.byte(at: BlockQ4_K.qs + 32 * p + l) >> UInt8(4 * h)) & 0x0f
                    out[64 * p + 32 * h + l] = dl * Float(q) - ml
                }
            }
        }
    }

    static func kQ5(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ5_K.d)
        let dmin = block.f16(at: BlockQ5_K.dmin)
        for p in 0..<4 {
            for h in 0..<2 {
                let sub = 2 * p + h
                let (sc, mn) = kScaleMin(block + BlockQ5_K.scales, sub)
                let dl = d * Float(sc)
                let ml = dmin * Float(mn)
                for l in 0..<32 {
                    let low = (block.byte(at: BlockQ5_K.qs + 32 * p + l) >> UInt8(4 * h)) & 0x0f
                    let high = (block.byte(at: BlockQ5_K.qh + l) >> UInt8(sub)) & 1
                    out[32 * sub + l] = dl * Float(low | high << 4) - ml
                }
            }
        }
    }

    static func kQ6(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.f16(at: BlockQ6_K.d)
        for h in 0..<2 {
            for s in 0..<4 {
                for half in 0..<2 {
                    let sub = 8 * h + 2 * s + half
                    let dl = d * Float(block.load(fromByteOffset: BlockQ6_K.scales + sub, as: Int8.self))
                    for i in 0..<16 {
                        let l = 16 * half + i
                        let lowByte = block.byte(at: BlockQ6_K.ql + 64 * h + 32 * (s & 1) + l)
                        let low = Int(s >= 2 ? lowByte >> 4 : lowByte & 0x0f)
                        let high = Int((block.byte(at: BlockQ6_K.qh + 32 * h + l) >> UInt8(2 * s)) & 3)
                        out[128 * h + 32 * s + l] = dl * Float((low | high << 4) - 32)
                    }
                }
            }
        }
    }

    static func kQ8(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
        let d = block.loadUnaligned(fromByteOffset: BlockQ8_K.d, as: Float.self)
        for j in 0..<256 {
            out[j] = d * Float(block.load(fromByteOffset: BlockQ8_K.qs + j, as: Int8.self))
        }
    }
}
