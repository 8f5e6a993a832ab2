#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Conversions between the 16-bit float formats stored in model files and `Float`.
///
/// Every quantized block carries F16 scales, so `f16ToF32` sits inside the dequantizers and dot
/// products: it must be a single instruction (F16C `vcvtph2ps` on x86) and exact. F16 → F32 and
/// BF16 → F32 are exact by construction; F32 → F16/BF16 round to nearest even like ggml.
public enum HalfPrecision {
    /// The F32 value of an IEEE binary16 bit pattern (exact).
    @inlinable @inline(__always)
    public static func f16ToF32(_ bits: UInt16) -> Float {
        #if arch(x86_64)
            return _cvtsh_ss(bits)
        #else
            return Float(Float16(bitPattern: bits))
        #endif
    }

    /// The nearest binary16 bit pattern to `value` (round to nearest even; overflow gives ±inf).
    @inlinable @inline(__always)
    public static func f32ToF16(_ value: Float) -> UInt16 {
        #if arch(x86_64) && os(macOS)
            return softwareF32ToF16(value)
        #else
            return Float16(value).bitPattern
        #endif
    }

    /// Round-to-nearest-even F32 → binary16 without hardware `Float16` (unavailable on Intel macOS).
    @usableFromInline
    static func softwareF32ToF16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let magnitude = bits & 0x7fff_ffff
        if magnitude > 0x7f80_0000 { return sign | 0x7e00 } // NaN stays quiet NaN
        if magnitude >= 0x4780_0000 { return sign | 0x7c00 } // ≥ 65536 (or inf): infinity
        if magnitude < 0x3880_0000 { // below the smallest normal: a subnormal or zero
            let scaled = Float(bitPattern: magnitude) * Float(bitPattern: 0x4b80_0000) // × 2^24
            return sign | UInt16(scaled.rounded(.toNearestOrEven))
        }
        let rounded = magnitude &- 0x3800_0000 &+ 0x0fff &+ ((magnitude >> 13) & 1)
        return sign | UInt16(truncatingIfNeeded: rounded >> 13)
    }

    /// `value` rounded to binary16 precision and widened back (what storing a scale as F16 keeps).
    @inlinable @inline(__always)
    public static func roundedToF16(_ value: Float) -> Float {
        f16ToF32(f32ToF16(value))
    }

    /// The F32 value of a bfloat16 bit pattern (exact: bfloat16 is the top half of an F32).
    @inlinable @inline(__always)
    public static func bf16ToF32(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The nearest bfloat16 to `value`, rounding to nearest even and keeping NaNs quiet (as ggml).
    @inlinable @inline(__always)
    public static func f32ToBF16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7fff_ffff > 0x7f80_0000 {
            return UInt16(truncatingIfNeeded: (bits >> 16) | 64)
        }
        let rounded = (UInt64(bits) + 0x7fff + UInt64((bits >> 16) & 1)) >> 16
        return UInt16(truncatingIfNeeded: rounded)
    }

    /// Converts `count` F16 values at `source` (any alignment) into `destination`.
    package static func convertF16(
        _ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        var i = 0
        #if arch(x86_64)
            while i + 8 <= count {
                let halves = _mm_loadu_si128(source.advanced(by: 2 * i).assumingMemoryBound(to: __m128i.self))
                _mm256_storeu_ps(destination + i, _mm256_cvtph_ps(halves))
                i += 8
            }
        #endif
        while i < count {
            destination[i] = f16ToF32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            i += 1
        }
    }

    /// Converts `count` BF16 values at `source` (any alignment) into `destination`.
    package static func convertBF16(
        _ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        for i in 0..<count {
            destination[i] = bf16ToF32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }
}
