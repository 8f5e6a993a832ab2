import GGUF

/// A 1-D model parameter (norm weight or bias) as F32 values.
///
/// F32 vectors (the usual case) are viewed in place in the mapped file; any other type is
/// dequantized once into an owned copy, which costs a few KB at most since vectors are short.
public struct ParameterVector: @unchecked Sendable {
    // @unchecked: `values` points into read-only memory that `owner` keeps alive.
    /// The values; valid as long as this vector (which keeps its storage alive) exists.
    package let values: UnsafeBufferPointer<Float>
    private let owner: AnyObject

    public var count: Int { values.count }

    /// Views (or converts) `tensor` of `file`; the caller has checked its shape.
    init(tensor: GGUFTensorInfo, file: GGUFFile) throws(InferenceError) {
        let bytes = file.data(for: tensor)
        if tensor.type == .f32, let base = bytes.baseAddress, Int(bitPattern: base) % 4 == 0 {
            values = UnsafeBufferPointer(
                start: base.assumingMemoryBound(to: Float.self),
                count: tensor.elementCount)
            owner = file.bytesOwner
            return
        }
        guard Dequantize.supports(tensor.type) else {
            throw .unsupportedTensorType(tensor: tensor.name, type: tensor.type.description)
        }
        // Short or misaligned data is reported as such (naming the tensor), not as a bad type.
        let converted: [Float]
        do throws(InferenceError) {
            converted = try Dequantize.dequantize(type: tensor.type, bytes: bytes, count: tensor.elementCount)
        } catch .truncatedData(let type, let expected, let actual) {
            throw .truncatedData(type: "\(tensor.name) (\(type))", expectedBytes: expected, actualBytes: actual)
        } catch {
            throw error
        }
        let storage = OwnedFloats(converted)
        values = storage.values
        owner = storage
    }

    /// Wraps values computed in memory (for tests and tools).
    public init(_ array: [Float]) {
        let storage = OwnedFloats(array)
        values = storage.values
        owner = storage
    }
}

/// A heap buffer of floats freed with its owner.
final class OwnedFloats: @unchecked Sendable {
    // @unchecked: the buffer is written once in init and only read after.
    private let buffer: UnsafeMutableBufferPointer<Float>
    let values: UnsafeBufferPointer<Float>

    init(_ array: [Float]) {
        buffer = .allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        values = UnsafeBufferPointer(rebasing: buffer[0..<array.count])
    }

    deinit { buffer.deallocate() }
}
