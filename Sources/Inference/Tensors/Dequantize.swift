import GGUF

/// Dequantization of model tensors to F32, bit-exact with PyPI `gguf`'s `gguf.quants.dequantize`.
///
/// Exactness matters because these functions are the ground truth the fast kernels are tested
/// against, and they are what embedding lookups use. The arithmetic follows the reference order
/// (`d * q + m`, `(d * sc) * q - dmin * m`, ...) in F32 without fused multiply-adds.
public enum Dequantize {
    /// Types this module can dequantize.
    public static let supportedTypes: Set<GGMLType> = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K
    ]

    /// Whether `type` can be dequantized.
    public static func supports(_ type: GGMLType) -> Bool { supportedTypes.contains(type) }

    /// Dequantizes the first `count` elements stored in `bytes` as `type`.
    ///
    /// Throws if the type is unsupported, `count` is not a whole number of blocks, or `bytes` is
    /// too short.
    package static func dequantize(type: GGMLType, bytes: UnsafeRawBufferPointer, count: Int) throws(InferenceError)
        -> [Float]
    {
        guard supports(type) else {
            throw .unsupportedTensorType(tensor: "(buffer)", type: type.description)
        }
        guard count >= 0, count % type.blockSize == 0, let needed = type.byteCount(elements: count) else {
            throw .misalignedCount(type: type.description, count: count, blockSize: type.blockSize)
        }
        guard bytes.count >= needed else {
            throw .truncatedData(type: type.description, expectedBytes: needed, actualBytes: bytes.count)
        }
        guard count > 0, let base = bytes.baseAddress else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let out = buffer.baseAddress { row(type: type, base, count: count, into: out) }
            initialized = count
        }
    }

    /// Dequantizes `count` elements (a whole number of blocks) of `type` at `source` into
    /// `destination`. The caller guarantees sizes; unsupported types are a programmer error.
    package static func row(
        type: GGMLType, _ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        precondition(count % type.blockSize == 0, "count must be a whole number of blocks")
        let blocks = count / type.blockSize
        let stride = type.bytesPerBlock
        switch type {
        case .f32:
            UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: 4 * count)
        case .f16:
            HalfPrecision.convertF16(source, into: destination, count: count)
        case .bf16:
            HalfPrecision.convertBF16(source, into: destination, count: count)
        case .q4_0: forEachBlock(blocks, source, stride, destination, 32, legacyQ4_0)
        case .q4_1: forEachBlock(blocks, source, stride, destination, 32, legacyQ4_1)
        case .q5_0: forEachBlock(blocks, source, stride, destination, 32, legacyQ5_0)
        case .q5_1: forEachBlock(blocks, source, stride, destination, 32, legacyQ5_1)
        case .q8_0: forEachBlock(blocks, source, stride, destination, 32, legacyQ8_0)
        case .q2_K: forEachBlock(blocks, source, stride, destination, 256, kQ2)
        case .q3_K: forEachBlock(blocks, source, stride, destination, 256, kQ3)
        case .q4_K: forEachBlock(blocks, source, stride, destination, 256, kQ4)
        case .q5_K: forEachBlock(blocks, source, stride, destination, 256, kQ5)
        case .q6_K: forEachBlock(blocks, source, stride, destination, 256, kQ6)
        case .q8_K: forEachBlock(blocks, source, stride, destination, 256, kQ8)
        default:
            preconditionFailure("dequantization of \(type) is not supported")
        }
    }

    @inline(__always)
    private static func forEachBlock(
        _ blocks: Int, _ source: UnsafeRawPointer, _ stride: Int, _ destination: UnsafeMutablePointer<Float>,
        _ elements: Int, _ body: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void
    ) {
        for b in 0..<blocks {
            body(source + b * stride, destination + b * elements)
        }
    }
}
