import GGUF

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one error type of the `Inference` module: everything that can be wrong between a parsed
/// GGUF file and a forward pass, each case naming the key, tensor or argument at fault and what
/// was expected, so a person can tell a corrupt download from an unsupported architecture.
/// (Tokenizer errors are `Tokenizer.TokenizerError`, the tokenizer target's one type.)
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: the model file

    /// `general.architecture` is missing (nil) or names an architecture without a forward pass here.
    case unsupportedArchitecture(String?)
    /// A required metadata key is absent.
    case missingMetadata(key: String, expected: String)
    /// A metadata key holds a value of the wrong type or out of range.
    case invalidMetadata(key: String, expected: String, found: String)
    /// A tensor the architecture needs is absent.
    case missingTensor(name: String, expectedShape: [Int])
    /// A tensor's shape does not fit its role (ggml order: `dimensions[0]` is the row length).
    case badTensorShape(tensor: String, dimensions: [Int], expected: String)
    /// A tensor's values cannot serve its role (a RoPE factor that is zero, negative or not finite).
    case badTensorValues(tensor: String, expected: String, found: String)
    /// A tensor's element type has no kernel or dequantizer here.
    case unsupportedTensorType(tensor: String, type: String)
    /// A byte buffer is too short for the element count asked for.
    case truncatedData(type: String, expectedBytes: Int, actualBytes: Int)
    /// An element count that is not a whole number of blocks of the type.
    case misalignedCount(type: String, count: Int, blockSize: Int)

    // MARK: running it

    /// The tokens would not fit in the context window (KV cache capacity).
    case contextOverflow(position: Int, tokenCount: Int, contextLength: Int)
    /// A token id outside the vocabulary.
    case tokenOutOfRange(token: Int32, vocabularySize: Int)
    /// An argument outside its valid range (empty token list, non-positive thread count, ...).
    case invalidArgument(String)
    /// The system refused to start a worker thread (`code` is the errno of `pthread_create`,
    /// `started` the threads running at that point, the caller's included).
    case threadStartFailed(requested: Int, started: Int, code: Int32)
    /// `PARLEY_CPU` names no kernel path, or one whose instructions this processor lacks.
    case cpuUnsupported(String)

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
        case .badTensorShape(let tensor, let dimensions, let expected):
            return "tensor '\(tensor)' has shape \(dimensions), expected \(expected)"
        case .badTensorValues(let tensor, let expected, let found):
            return "tensor '\(tensor)' should hold \(expected), found \(found)"
        case .unsupportedTensorType(let tensor, let type):
            return "tensor '\(tensor)' has type \(type), which this engine cannot compute with"
        case .truncatedData(let type, let expected, let actual):
            return "\(type) data needs \(expected) bytes but only \(actual) are available"
        case .misalignedCount(let type, let count, let blockSize):
            return "\(count) elements is not a multiple of the \(type) block size \(blockSize)"
        case .contextOverflow(let position, let count, let length):
            return "\(count) tokens at position \(position) exceed the context length \(length)"
        case .tokenOutOfRange(let token, let size):
            return "token id \(token) is outside the vocabulary (0..<\(size))"
        case .invalidArgument(let reason):
            return reason
        case .threadStartFailed(let requested, let started, let code):
            return "could not start \(requested) worker threads: the system refused thread \(started + 1) ("
                + String(cString: strerror(code)) + "); use fewer threads"
        case .cpuUnsupported(let reason):
            return reason
        }
    }
}
