/// Everything that can be wrong with a GGUF file, each with the byte offset where it was found.
///
/// The GGUF module is the only code that reads untrusted model bytes, so every malformed input
/// must end here as a typed error a person can act on, never as a crash or a huge allocation.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case io(path: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: [UInt8])
    /// A version this reader does not understand (only 2 and 3 are supported).
    case unsupportedVersion(UInt32)
    /// The file ends before a field that should be there.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// A count (tensors, keys, array elements, dimensions) too large for the file to hold.
    case countTooLarge(what: String, count: UInt64, offset: Int)
    /// A metadata value type id that GGUF does not define.
    case unknownValueType(UInt32, offset: Int)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(limit: Int, offset: Int)
    /// The same metadata key appears twice.
    case duplicateKey(String, offset: Int)
    /// A metadata value has the wrong type for what the key means (e.g. `general.alignment`).
    case invalidMetadata(key: String, reason: String)
    /// Two tensors share one name.
    case duplicateTensorName(String, offset: Int)
    /// A tensor type id that ggml does not define.
    case unknownTensorType(UInt32, tensor: String, offset: Int)
    /// A tensor's shape is invalid: zero or negative dimension, too many dimensions, a product
    /// that overflows, or a row length that is not a whole number of quantization blocks.
    case invalidShape(tensor: String, reason: String, offset: Int)
    /// A tensor's data offset is not a multiple of the file's alignment.
    case misalignedTensorOffset(tensor: String, tensorOffset: UInt64, alignment: Int)
    /// A tensor's data reaches past the end of the file.
    case tensorOutOfBounds(tensor: String, start: UInt64, byteCount: UInt64, dataSize: Int)

    public var description: String {
        switch self {
        case let .io(path, reason):
            return "cannot read \(path): \(reason)"
        case let .badMagic(found):
            let text = found.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "not a GGUF file: expected magic 'GGUF' at byte 0, found bytes [\(text)]"
        case let .unsupportedVersion(version):
            return "unsupported GGUF version \(version) at byte 4 (supported: 2, 3)"
        case let .truncated(what, offset, needed, available):
            return "file truncated: \(what) at byte \(offset) needs \(needed) bytes, only \(available) remain"
        case let .countTooLarge(what, count, offset):
            return "implausible \(what) \(count) at byte \(offset): larger than the file can hold"
        case let .unknownValueType(raw, offset):
            return "unknown metadata value type \(raw) at byte \(offset)"
        case let .nestingTooDeep(limit, offset):
            return "metadata arrays nested deeper than \(limit) levels at byte \(offset)"
        case let .duplicateKey(key, offset):
            return "duplicate metadata key '\(key)' at byte \(offset)"
        case let .invalidMetadata(key, reason):
            return "invalid metadata '\(key)': \(reason)"
        case let .duplicateTensorName(name, offset):
            return "duplicate tensor name '\(name)' at byte \(offset)"
        case let .unknownTensorType(raw, tensor, offset):
            return "tensor '\(tensor)' has unknown type id \(raw) at byte \(offset)"
        case let .invalidShape(tensor, reason, offset):
            return "tensor '\(tensor)' has an invalid shape at byte \(offset): \(reason)"
        case let .misalignedTensorOffset(tensor, tensorOffset, alignment):
            return "tensor '\(tensor)' data offset \(tensorOffset) is not a multiple of the alignment \(alignment)"
        case let .tensorOutOfBounds(tensor, start, byteCount, dataSize):
            return "tensor '\(tensor)' data [\(start), +\(byteCount)) lies outside the \(dataSize)-byte data section"
        }
    }
}
