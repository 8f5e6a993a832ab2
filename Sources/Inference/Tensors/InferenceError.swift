/// The one error type of the `Inference` module: everything that can go wrong between a mapped
/// model file and a forward pass, each case carrying a message a user can act on.
///
/// The generic `invalidModel` and `unsupported` cases exist so code outside `Tensors/` and
/// `Kernels/` (model loading, tokenizer, generator) can report problems without new cases.
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tensor's element type has no kernel or dequantizer here.
    case unsupportedTensorType(tensor: String, type: String)
    /// A tensor's shape does not fit its role (e.g. a matrix that is not 2-D).
    case badTensorShape(tensor: String, dimensions: [Int], expected: String)
    /// A tensor the architecture needs is absent from the file.
    case missingTensor(String)
    /// A byte buffer is too short for the element count asked for.
    case truncatedData(type: String, expectedBytes: Int, actualBytes: Int)
    /// An element count that is not a whole number of blocks of the type.
    case misalignedCount(type: String, count: Int, blockSize: Int)
    /// The model file is well-formed GGUF but not a model this engine can run.
    case invalidModel(String)
    /// A feature this engine does not have (architecture, option, ...).
    case unsupported(String)
    /// The processor lacks instructions the kernels were compiled for.
    case cpuUnsupported(String)

    public var description: String {
        switch self {
        case .unsupportedTensorType(let tensor, let type):
            return "tensor '\(tensor)' has type \(type), which this engine cannot compute with"
        case .badTensorShape(let tensor, let dimensions, let expected):
            return "tensor '\(tensor)' has shape \(dimensions), expected \(expected)"
        case .missingTensor(let name):
            return "the model has no tensor '\(name)'"
        case .truncatedData(let type, let expected, let actual):
            return "\(type) data needs \(expected) bytes but only \(actual) are available"
        case .misalignedCount(let type, let count, let blockSize):
            return "\(count) elements is not a multiple of the \(type) block size \(blockSize)"
        case .invalidModel(let reason):
            return "invalid model: \(reason)"
        case .unsupported(let what):
            return "unsupported: \(what)"
        case .cpuUnsupported(let reason):
            return reason
        }
    }
}
