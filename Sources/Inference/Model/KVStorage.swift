#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// How the KV cache stores keys and values: F16 (half the memory and bandwidth, llama.cpp's
/// default), F32 (exact), or Q8_0 (llama.cpp's `-ctk q8_0 -ctv q8_0`: blocks of 32 values as
/// one F16 scale and 32 signed bytes, 34 bytes where F16 takes 64; needs a head size that is a
/// multiple of 32).
public enum KVCachePrecision: String, Sendable, Equatable, CaseIterable {
    case f16
    case f32
    case q8_0

    /// Bytes of one cached row (one head's keys or values at one position) of `headDimension`
    /// elements; Q8_0 rows are whole blocks (`headDimension` a multiple of 32).
    func rowBytes(headDimension: Int) -> Int {
        switch self {
        case .f16: 2 * headDimension
        case .f32: 4 * headDimension
        case .q8_0: headDimension / 32 * BlockQ8_0.bytes
        }
    }
}

/// An element type of the KV cache: how values are written to it and read back as floats.
///
/// The attention kernels (`AttentionKernels`) are generic over this, so one loop serves both
/// precisions; each conformance is the only place that knows its storage format.
protocol KVStorageElement {
    /// `dst[i] = src[i]` converted to storage.
    static func store(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Self>, count: Int)
    /// Eight consecutive elements as floats.
    static func load8(_ p: UnsafePointer<Self>) -> SIMD8<Float>
    /// One element as a float.
    static func load1(_ p: UnsafePointer<Self>) -> Float
}

extension Float: KVStorageElement {
    @inline(__always)
    static func store(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        dst.update(from: src, count: count)
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load1(_ p: UnsafePointer<Float>) -> Float { p.pointee }
}

/// An IEEE binary16 value stored as its bit pattern (the KV cache's F16 element).
struct KVHalf: KVStorageElement {
    var bits: UInt16

    /// Rounds to nearest even (one scalar F16C conversion each: only `2 × kvDim` values per
    /// token and layer are stored, against `position × 2 × kvDim` read back).
    static func store(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<KVHalf>, count: Int) {
        for i in 0..<count {
            dst[i] = KVHalf(bits: HalfPrecision.f32ToF16(src[i]))
        }
    }

    /// Eight halves widened to floats (F16C `vcvtph2ps` on x86).
    @inline(__always)
    static func load8(_ p: UnsafePointer<KVHalf>) -> SIMD8<Float> {
        #if arch(x86_64)
            return _mm256_cvtph_ps(UnsafeRawPointer(p).loadUnaligned(as: __m128i.self))
        #else
            var result = SIMD8<Float>()
            for i in 0..<8 { result[i] = HalfPrecision.f16ToF32(p[i].bits) }
            return result
        #endif
    }

    @inline(__always)
    static func load1(_ p: UnsafePointer<KVHalf>) -> Float { HalfPrecision.f16ToF32(p.pointee.bits) }

    /// Eight floats rounded to nearest-even halves (one `vcvtps2ph` on x86 Linux).
    @inline(__always)
    static func store8(_ v: SIMD8<Float>, into p: UnsafeMutablePointer<KVHalf>) {
        #if arch(x86_64) && !os(macOS)
            UnsafeMutableRawPointer(p).storeBytes(of: SIMD8<Float16>(v), as: SIMD8<Float16>.self)
        #else
            for i in 0..<8 { p[i] = KVHalf(bits: HalfPrecision.f32ToF16(v[i])) }
        #endif
    }
}
