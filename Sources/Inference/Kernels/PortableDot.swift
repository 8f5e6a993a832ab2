/// Integer dot products in portable Swift (SIMD types where it matters): the kernels on CPUs
/// without an AVX2 path (e.g. Apple silicon, where LLVM maps the SIMD types to NEON), and a
/// second formulation the AVX2 kernels are cross-checked with. Each block's integer sum is
/// exact; the scale products follow llama.cpp's generic code.
enum PortableDot {
    /// Σ_j lo_j·y_j + hi_j·y_{j+16} for 16 packed nibble pairs, in 16-bit lanes (|term| ≤ 15·127·2).
    @inline(__always)
    static func nibbleDot(_ packed: UnsafeRawPointer, _ y: UnsafePointer<Int8>, offset: Int16) -> Int32 {
        let bytes = packed.loadUnaligned(as: SIMD16<UInt8>.self)
        let low = SIMD16<Int16>(truncatingIfNeeded: bytes & 0x0f) &- offset
        let high = SIMD16<Int16>(truncatingIfNeeded: bytes &>> 4) &- offset
        let y0 = SIMD16<Int16>(truncatingIfNeeded: UnsafeRawPointer(y).loadUnaligned(as: SIMD16<Int8>.self))
        let y1 = SIMD16<Int16>(truncatingIfNeeded: UnsafeRawPointer(y + 16).loadUnaligned(as: SIMD16<Int8>.self))
        return SIMD16<Int32>(truncatingIfNeeded: low &* y0 &+ high &* y1).wrappedSum()
    }

    /// Q4_0 · Q8_0: Σ d_w·d_a·Σ (q − 8)·a.
    static func q4_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ4_0.bytes
            let codes = a.codes + 32 * b
            let isum = nibbleDot(block + BlockQ4_0.qs, codes, offset: 8)
            sum += Float(isum) * (block.f16(at: BlockQ4_0.d) * a.scales[b])
        }
        return sum
    }

    /// Q4_1 · Q8_1: Σ d_w·d_a·Σ q·a + m_w·s_a.
    static func q4_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ4_1.bytes
            let codes = a.codes + 32 * b
            let isum = nibbleDot(block + BlockQ4_1.qs, codes, offset: 0)
            sum +=
                Float(isum) * (block.f16(at: BlockQ4_1.d) * a.scales[b]) + block.f16(at: BlockQ4_1.m)
                * a.pairs[2 * b + 1]
        }
        return sum
    }

    /// Q5_0 · Q8_0.
    static func q5_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ5_0.bytes
            let codes = a.codes + 32 * b
            let qh = block.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self)
            var isum: Int32 = 0
            for j in 0..<16 {
                let byte = block.byte(at: BlockQ5_0.qs + j)
                let low = Int32(byte & 0x0f) | Int32((qh >> UInt32(j)) & 1) << 4
                let high = Int32(byte >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
                isum += (low - 16) * Int32(codes[j]) + (high - 16) * Int32(codes[j + 16])
            }
            sum += Float(isum) * (block.f16(at: BlockQ5_0.d) * a.scales[b])
        }
        return sum
    }

    /// Q5_1 · Q8_1.
    static func q5_1(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ5_1.bytes
            let codes = a.codes + 32 * b
            let qh = block.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self)
            var isum: Int32 = 0
            for j in 0..<16 {
                let byte = block.byte(at: BlockQ5_1.qs + j)
                let low = Int32(byte & 0x0f) | Int32((qh >> UInt32(j)) & 1) << 4
                let high = Int32(byte >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
                isum += low * Int32(codes[j]) + high * Int32(codes[j + 16])
            }
            sum += Float(isum) * (block.f16(at: BlockQ5_1.d) * a.scales[b]) + block.f16(at: BlockQ5_1.m) * a.sums[b]
        }
        return sum
    }

    /// Q8_0 · Q8_0.
    static func q8_0(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ8_0.bytes
            let codes = a.codes + 32 * b
            let x = SIMD32<Int16>(
                truncatingIfNeeded: block.loadUnaligned(fromByteOffset: BlockQ8_0.qs, as: SIMD32<Int8>.self))
            let y = SIMD32<Int16>(truncatingIfNeeded: UnsafeRawPointer(codes).loadUnaligned(as: SIMD32<Int8>.self))
            let isum = SIMD32<Int32>(truncatingIfNeeded: x &* y).wrappedSum()
            sum += Float(isum) * (block.f16(at: BlockQ8_0.d) * a.scales[b])
        }
        return sum
    }

    /// Q4_K · Q8_K: Σ_super d·d_a·Σ_sub sc·Σ q·a − dmin·d_a·Σ_sub min·Σ a.
    static func q4_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ4_K.bytes
            let codes = a.codes + 256 * b
            var scaled: Int32 = 0
            var mins: Int32 = 0
            for sub in 0..<8 {
                let (sc, mn) = kScaleMin(block + BlockQ4_K.scales, sub)
                let p = sub / 2
                let shift = UInt8(4 * (sub % 2))
                var isum: Int32 = 0
                for l in 0..<32 {
                    let q = (block.byte(at: BlockQ4_K.qs + 32 * p + l) >> shift) & 0x0f
                    isum += Int32(q) * Int32(codes[32 * sub + l])
                }
                scaled += Int32(sc) * isum
                mins += Int32(mn) * (Int32(a.blockSums[16 * b + 2 * sub]) + Int32(a.blockSums[16 * b + 2 * sub + 1]))
            }
            let da = a.scales[b]
            sum += block.f16(at: BlockQ4_K.d) * da * Float(scaled) - block.f16(at: BlockQ4_K.dmin) * da * Float(mins)
        }
        return sum
    }

    /// Q6_K · Q8_K: Σ_super d·d_a·Σ_16 sc·Σ (q − 32)·a.
    static func q6_K(_ w: UnsafeRawPointer, _ a: ActivationRow, _ blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + b * BlockQ6_K.bytes
            let codes = a.codes + 256 * b
            var isum: Int32 = 0
            for group in 0..<16 {
                var gsum: Int32 = 0
                for i in 0..<16 {
                    let j = 16 * group + i
                    let h = j / 128
                    let s = (j % 128) / 32
                    let l = j % 32
                    let lowByte = block.byte(at: BlockQ6_K.ql + 64 * h + 32 * (s & 1) + l)
                    let low = Int32(s >= 2 ? lowByte >> 4 : lowByte & 0x0f)
                    let high = Int32((block.byte(at: BlockQ6_K.qh + 32 * h + l) >> UInt8(2 * s)) & 3)
                    gsum += ((low | high << 4) - 32) * Int32(codes[j])
                }
                isum += Int32(block.load(fromByteOffset: BlockQ6_K.scales + group, as: Int8.self)) * gsum
            }
            sum += block.f16(at: BlockQ6_K.d) * a.scales[b] * Float(isum)
        }
        return sum
    }
}
