/// Everything that can be wrong with a GGUF file, each with the byte offset where it was found.
///
/// The GGUF module is the only code that reads untrusted model bytes, so every malformed input
/// must end here as a typed error a person can act on, never as a crash or a huge allocation.
/// `offset` always points at the start of the field whose value is wrong or does not fit.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case io(path: String, reason: String)
    /// The first four bytes are not `GGUF` (always at byte 0).
    case badMagic(found: [UInt8])
    /// A version this reader does not understand (only 2 and 3 are supported; always at byte 4).
    case unsupportedVersion(UInt32)
    /// The item starting at `offset` needs `needed` bytes but only `available` remain in the file.
    case truncated(what: String, offset: Int, needed: UInt64, available: Int)
    /// A count (tensors, keys, array elements) larger than the rest of the file could hold.
    case countTooLarge(what: String, count: UInt64, offset: Int)
    /// A metadata value type id that GGUF does not define, in the value of `key`.
    case unknownValueType(UInt32, key: String, offset: Int)
    /// A value whose bytes are not valid for its type (a bool other than 0 or 1).
    case invalidValue(key: String, reason: String, offset: Int)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(limit: Int, key: String, offset: Int)
    /// The same metadata key appears twice (`offset` is the second one).
    case duplicateKey(String, offset: Int)
    /// A metadata key is unusable (empty) or a well-known key has a wrong value
    /// (e.g. `general.alignment` not a u32 power of two).
    case invalidMetadata(key: String, reason: String, offset: Int)
    /// Two tensors share one name (`offset` is the second one's record).
    case duplicateTensorName(String, offset: Int)
    /// A tensor type id that ggml does not define.
    case unknownTensorType(UInt32, tensor: String, offset: Int)
    /// A tensor's shape is invalid: no or too many dimensions, a zero or huge dimension, an element
    /// count that overflows, or a row length that is not a whole number of quantization blocks.
    case invalidShape(tensor: String, reason: String, offset: Int)
    /// A tensor's data offset (the field at `offset`) is not a multiple of the file's alignment.
    case misalignedTensorOffset(tensor: String, tensorOffset: UInt64, alignment: Int, offset: Int)
    /// A tensor's data (the offset field at `offset`) reaches past the end of the file.
    case tensorOutOfBounds(tensor: String, start: UInt64, byteCount: UInt64, dataSize: Int, offset: Int)

    /// A split model (`NAME-00001-of-0000N.gguf`) whose parts are missing, misnamed or inconsistent.
    case splitModel(path: String, reason: String)

    /// The byte offset in the file where the problem lies; nil for I/O errors.
    public var offset: Int? {
        switch self {
        case .io, .splitModel: return nil
        case .badMagic: return 0
        case .unsupportedVersion: return 4
        case .truncated(_, let offset, _, _), .countTooLarge(_, _, let offset),
            .unknownValueType(_, _, let offset), .invalidValue(_, _, let offset),
            .nestingTooDeep(_, _, let offset), .duplicateKey(_, let offset),
            .invalidMetadata(_, _, let offset), .duplicateTensorName(_, let offset),
            .unknownTensorType(_, _, let offset), .invalidShape(_, _, let offset),
            .misalignedTensorOffset(_, _, _, let offset), .tensorOutOfBounds(_, _, _, _, let offset):
            return offset
        }
    }

    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .splitModel(let path, let reason):
            return "split model \(path): \(reason)"
        case .badMagic(let found):
            let text = found.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "not a GGUF file: expected magic 'GGUF' at byte 0, found bytes [\(text)]"
        case .unsupportedVersion(let version):
            let swapped = version.byteSwapped
            let hint = swapped == 2 || swapped == 3 ? " (a big-endian GGUF file?)" : ""
            return "unsupported GGUF version \(version) at byte 4 (supported: 2, 3)\(hint)"
        case .truncated(let what, let offset, let needed, let available):
            return "file truncated: \(what) at byte \(offset) needs \(needed) bytes, only \(available) remain"
        case .countTooLarge(let what, let count, let offset):
            return "implausible \(what) \(count) at byte \(offset): larger than the rest of the file can hold"
        case .unknownValueType(let raw, let key, let offset):
            return "unknown metadata value type \(raw) for key '\(key)' at byte \(offset)"
        case .invalidValue(let key, let reason, let offset):
            return "invalid value for key '\(key)' at byte \(offset): \(reason)"
        case .nestingTooDeep(let limit, let key, let offset):
            return "metadata arrays of key '\(key)' nested deeper than \(limit) levels at byte \(offset)"
        case .duplicateKey(let key, let offset):
            return "duplicate metadata key '\(key)' at byte \(offset)"
        case .invalidMetadata(let key, let reason, let offset):
            return "invalid metadata '\(key)' at byte \(offset): \(reason)"
        case .duplicateTensorName(let name, let offset):
            return "duplicate tensor name '\(name)' at byte \(offset)"
        case .unknownTensorType(let raw, let tensor, let offset):
            return "tensor '\(tensor)' has unknown type id \(raw) at byte \(offset)"
        case .invalidShape(let tensor, let reason, let offset):
            return "tensor '\(tensor)' has an invalid shape at byte \(offset): \(reason)"
        case .misalignedTensorOffset(let tensor, let tensorOffset, let alignment, let offset):
            return
                "tensor '\(tensor)' data offset \(tensorOffset) (at byte \(offset)) is not a multiple of the alignment \(alignment)"
        case .tensorOutOfBounds(let tensor, let start, let byteCount, let dataSize, let offset):
            return
                "tensor '\(tensor)' data [\(start), +\(byteCount)) (offset at byte \(offset)) lies outside the \(dataSize)-byte data section"
        }
    }
}
