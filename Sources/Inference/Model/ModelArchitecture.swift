/// The model families this engine has a forward pass for, with what distinguishes each.
///
/// All are decoder-only transformers with RMSNorm, rotary positions, grouped-query attention and
/// a gated feed-forward; they differ in a few switches, so one forward pass serves them all and
/// the switches live here (and in `ModelConfig`'s per-layer `LayerShape`s) rather than in
/// `if arch == ...` checks inside the forward pass.
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// Llama 1-3, Mistral, TinyLlama, SmolLM2: interleaved RoPE pairs (llama.cpp's converter
    /// permutes Q/K rows for that), no biases.
    case llama
    /// Qwen2 / Qwen2.5: biases on Q, K and V; NeoX RoPE (pairs `i`, `i + d/2`).
    case qwen2
    /// Qwen3 (dense): per-head RMSNorm of Q and K before RoPE; NeoX RoPE; no biases.
    case qwen3
    /// Gemma 2: embeddings scaled by √dim, norms before and after attention and feed-forward,
    /// GELU-tanh gate, every other layer a sliding window, attention and final logit soft-capping.
    case gemma2
    /// Gemma 3: as Gemma 2 without soft-capping, with per-head Q/K norms, five sliding-window
    /// layers (RoPE base 10,000) to one global layer (the model's base).
    case gemma3
    /// SmolLM3: llama with no RoPE on every fourth layer (NoPE layers).
    case smollm3
    /// Granite 3: llama with multipliers on the embeddings, residual branches, attention scores
    /// and logits.
    case granite
    /// OLMo 2: no norm before attention or feed-forward, one after each; RMSNorm of all of Q
    /// and of all of K (not per head); NeoX RoPE.
    case olmo2
    /// Phi-3 / Phi-4-mini: llama-like with fused Q/K/V and gate/up tensors (row ranges of one
    /// matrix each, see `ModelWeights`), partial NeoX RoPE with LongRoPE factors, and the query
    /// scaled before attention.
    case phi3

    /// How the rotary embedding pairs up the dimensions of a head.
    public var ropeStyle: RopeStyle {
        switch self {
        case .llama, .smollm3, .granite: return .normal
        case .qwen2, .qwen3, .gemma2, .gemma3, .olmo2, .phi3: return .neox
        }
    }

    /// Whether Q, K and V projections carry bias vectors.
    public var hasAttentionBias: Bool { self == .qwen2 }

    /// How Q and K are RMS-normalized before RoPE, if at all.
    public var queryKeyNorm: QueryKeyNorm {
        switch self {
        case .qwen3, .gemma3: return .perHead
        case .olmo2: return .whole
        case .llama, .qwen2, .gemma2, .smollm3, .granite, .phi3: return .none
        }
    }

    /// Whether Q and K are RMS-normalized per head before RoPE.
    public var hasQKNorm: Bool { queryKeyNorm == .perHead }

    /// Whether each sub-layer's input is RMS-normalized (`attn_norm`, `ffn_norm`).
    public var hasPreNorms: Bool { self != .olmo2 }

    /// Whether each sub-layer's output is RMS-normalized before the residual add
    /// (`post_attention_norm`, `post_ffw_norm`).
    public var hasPostNorms: Bool { self == .gemma2 || self == .gemma3 || self == .olmo2 }

    /// The gate's activation in the feed-forward `down(act(gate(x)) · up(x))`.
    public var activation: FeedForwardActivation {
        self == .gemma2 || self == .gemma3 ? .geluTanh : .silu
    }

    /// Whether the attention scale multiplies the queries before attention (and the scores are
    /// then taken as they are), as llama.cpp's Gemma 2, Gemma 3 and Phi-3 graphs do, rather than multiplying
    /// the scores. Equal in exact arithmetic, but the F16 attention rounds the scaled query: small
    /// query elements times 1/16 become F16 subnormals and lose bits (with the AVX-512 q·k order
    /// this moved one head of Gemma 3 270M's first layer and the first-step logits by 0.07; with
    /// the AVX2 order it changes nothing on the three golden prompts, but it is llama.cpp's graph).
    var scalesQueryBeforeAttention: Bool { self == .gemma2 || self == .gemma3 || self == .phi3 }

    /// Whether a file without `ffn_gate` may hold gate and up as one `ffn_up` of twice the rows,
    /// gate rows first (Phi-3's `gate_up_proj`). Other families need `ffn_gate`, as llama.cpp does.
    var acceptsFusedGateUp: Bool { self == .phi3 }

    /// Whether token embeddings are multiplied by √dim (Gemma).
    var scalesEmbeddingBySqrtDim: Bool { self == .gemma2 || self == .gemma3 }

    /// "llama, qwen2, ...", for error messages.
    static var supportedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Where Q/K RMSNorm applies: not at all, to each head (`[headDim]` weight), or to all heads of
/// a row together (`[heads·headDim]` weight).
public enum QueryKeyNorm: Sendable, Equatable {
    case none, perHead, whole
}

/// The activation of the feed-forward gate.
public enum FeedForwardActivation: Sendable, Equatable {
    /// SwiGLU: `silu(g) = g · σ(g)`.
    case silu
    /// GeGLU with GELU's tanh approximation, as llama.cpp computes it (an F16 table).
    case geluTanh
}

/// What one layer does differently from the others: data the forward pass reads, never a
/// branch on the architecture.
public struct LayerShape: Sendable, Equatable {
    /// Positions a query sees, itself included (`p - j < window`); nil: the whole context.
    public var slidingWindow: Int?
    /// The RoPE base of this layer's angles; nil: no RoPE at all (SmolLM3's NoPE layers).
    public var ropeBase: Float?

    public init(slidingWindow: Int? = nil, ropeBase: Float?) {
        self.slidingWindow = slidingWindow
        self.ropeBase = ropeBase
    }
}

/// How rotary frequencies are stretched for contexts longer than the training length.
public enum RoPEScaling: Sendable, Equatable {
    case none
    /// Every angle divided by `factor` (position interpolation).
    case linear(factor: Float)
    /// Llama 3.1's per-frequency rule: high frequencies kept, low ones divided by `factor`,
    /// a smooth blend between (wavelengths measured against `originalContextLength`).
    case llama3(
        factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float,
        originalContextLength: Int)
}
