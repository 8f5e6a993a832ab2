/// The model families this engine has a forward pass for, with what distinguishes each.
///
/// All three are decoder-only transformers with RMSNorm, rotary positions, grouped-query
/// attention and a SwiGLU feed-forward; they differ only in a few switches, so one forward pass
/// serves them all and the switches live here rather than in `if arch == ...` checks.
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// Llama 1-3, Mistral, TinyLlama, SmolLM2: interleaved RoPE pairs (llama.cpp's converter
    /// permutes Q/K rows for that), no biases.
    case llama
    /// Qwen2 / Qwen2.5: biases on Q, K and V; NeoX RoPE (pairs `i`, `i + d/2`).
    case qwen2
    /// Qwen3 (dense): per-head RMSNorm of Q and K before RoPE; NeoX RoPE; no biases.
    case qwen3

    /// How the rotary embedding pairs up the dimensions of a head.
    public var ropeStyle: RopeStyle {
        switch self {
        case .llama: return .normal
        case .qwen2, .qwen3: return .neox
        }
    }

    /// Whether Q, K and V projections carry bias vectors.
    public var hasAttentionBias: Bool { self == .qwen2 }

    /// Whether Q and K are RMS-normalized per head before RoPE.
    public var hasQKNorm: Bool { self == .qwen3 }

    /// "llama, qwen2, qwen3", for error messages.
    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How rotary frequencies are stretched for contexts longer than the training length.
public enum RoPEScaling: Sendable, Equatable {
    case none
    /// Every angle divided by `factor` (position interpolation).
    case linear(factor: Float)
    /// Llama 3.1's per-frequency rule: high frequencies kept, low ones divided by `factor`,
    /// a smooth blend between (wavelengths measured against `originalContextLength`).
    case llama3(factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float,
                originalContextLength: Int)
}
