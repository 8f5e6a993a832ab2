import GGUF
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can be wrong between a parsed GGUF file and a forward pass of its model.
///
/// A GGUF file can be well-formed yet describe a model this engine cannot run, or one whose
/// metadata and tensors disagree. Each case names the key or tensor at fault and what was
/// expected, so a person can tell a corrupt download from an unsupported architecture.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `general.architecture` is missing (nil) or names an architecture without a forward pass here.
    case unsupportedArchitecture(String?)
    /// A required metadata key is absent.
    case missingMetadata(key: String, expected: String)
    /// A metadata key holds a value of the wrong type or out of range.
    case invalidMetadata(key: String, expected: String, found: String)
    /// A tensor the architecture needs is absent.
    case missingTensor(name: String, expectedShape: [Int])
    /// A tensor has the wrong shape (ggml order: dimensions[0] is the row length).
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])
    /// A tensor's element type cannot be used in its role.
    case unsupportedTensorType(name: String, type: GGMLType)
    /// The tokens would not fit in the context window (KV cache capacity).
    case contextOverflow(position: Int, tokenCount: Int, contextLength: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(token: Int32, vocabularySize: Int)
    /// An argument outside its valid range (empty token list, non-positive thread count, ...).
    case invalidArgument(String)
    /// The system refused to start a worker thread (`code` is the errno of `pthread_create`,
    /// `started` the threads running at that point, the caller's included).
    case threadStartFailed(requested: Int, started: Int, code: Int32)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(nil):
            return "the model file has no 'general.architecture' key; supported architectures: "
                + ModelArchitecture.supportedList
        case .unsupportedArchitecture(let name?):
            return "unsupported model architecture '\(name)'; supported architectures: "
                + ModelArchitecture.supportedList
        case .missingMetadata(let key, let expected):
            return "the model file has no metadata key '\(key)' (expected \(expected))"
        case .invalidMetadata(let key, let expected, let found):
            return "metadata key '\(key)' should be \(expected), found \(found)"
        case .missingTensor(let name, let shape):
            return "the model file has no tensor '\(name)' (expected shape \(shape))"
        case .tensorShapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found), expected \(expected)"
        case .unsupportedTensorType(let name, let type):
            return "tensor '\(name)' has element type \(type), which cannot be used in this role"
        case .contextOverflow(let position, let count, let length):
            return "\(count) tokens at position \(position) exceed the context length \(length)"
        case .tokenOutOfRange(let token, let size):
            return "token id \(token) is outside the vocabulary (0..<\(size))"
        case .invalidArgument(let reason):
            return reason
        case .threadStartFailed(let requested, let started, let code):
            return "could not start \(requested) worker threads: the system refused thread \(started + 1) ("
                + String(cString: strerror(code)) + "); use fewer threads"
        }
    }
}
