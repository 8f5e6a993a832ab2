import GGUF

/// How `matmul` encodes the activation vector for a weight type before the dot products.
///
/// As in llama.cpp, activations are quantized once per product so the inner loops are integer
/// dot products: Q8_0 for Q8_0 weights, Q8_1 (Q8_0 plus the per-block sum `d · Σq`) for
/// Q4_0, Q4_1, Q5_0 and Q5_1, Q8_K for K-quants. (llama.cpp pairs Q4_0/Q5_0 with Q8_0; the
/// codes and scales are the same, and the sum lets the kernels use the weight codes unsigned
/// and apply their −8/−16 offset once per block.) Types without an integer kernel (F32, F16,
/// BF16, Q2_K, Q3_K, Q5_K) use the F32 activations as-is.
public enum ActivationFormat: Sendable, Equatable {
    case float
    case q8_0
    case q8_1
    case q8_K

    /// The encoding the kernels of `type` consume.
    public static func `for`(_ type: GGMLType) -> ActivationFormat {
        switch type {
        case .q8_0: return .q8_0
        case .q4_0, .q4_1, .q5_0, .q5_1: return .q8_1
        case .q4_K, .q6_K: return .q8_K
        default: return .float
        }
    }

    /// Elements per scale.
    var blockSize: Int { self == .q8_K ? 256 : 32 }
}
