/// The hyper-parameters of a model, read from GGUF metadata (see `ModelConfig+GGUF.swift`).
///
/// The forward pass and every buffer size derive from these numbers alone, so they are checked
/// once here (positive, divisible where they must be) and trusted everywhere after.
public struct ModelConfig: Sendable, Equatable {
    public var architecture: ModelArchitecture
    /// Context length the model was trained for (`{arch}.context_length`).
    public var trainedContextLength: Int
    /// Width of the residual stream (`embedding_length`), "dim" in llama2.c.
    public var embeddingLength: Int
    /// Width of the SwiGLU hidden layer (`feed_forward_length`).
    public var feedForwardLength: Int
    public var layerCount: Int
    public var headCount: Int
    /// Key/value heads (GQA); `headCount` is a multiple of it.
    public var kvHeadCount: Int
    /// Size of one attention head (`attention.key_length`, default `embeddingLength / headCount`).
    public var headDimension: Int
    /// Dimensions of each head that RoPE rotates (the first ones); even, at most `headDimension`.
    public var ropeDimensionCount: Int
    public var ropeFrequencyBase: Float
    public var ropeScaling: RoPEScaling
    /// Factor on every RoPE cosine and sine (`rope.scaling.attn_factor`, llama.cpp's
    /// `rope_attn_factor`, default 1): Phi-3's LongRoPE magnitude √(1 + ln s / ln original).
    public var ropeAttentionFactor: Float = 1
    /// `rope.scaling.original_context_length`; nil: the trained length. A context longer than
    /// this takes LongRoPE's long factors (`LanguageModel.ropeTables(contextLength:)`).
    public var ropeOriginalContextLength: Int? = nil
    public var normEpsilon: Float
    public var vocabularySize: Int
    /// True when there is no `output.weight` and logits reuse `token_embd.weight`.
    public var tiedOutput: Bool
    /// Per-layer choices (sliding window, RoPE base or none); empty means every layer global
    /// with `ropeFrequencyBase` (see `shape(ofLayer:)`).
    public var layerShapes: [LayerShape] = []
    /// Factor on the token embeddings: √dim (Gemma, as F32 `sqrtf`), Granite's multiplier, or 1.
    public var embeddingScale: Float = 1
    /// Factor on each sub-layer's output before the residual add (Granite), or 1.
    public var residualScale: Float = 1
    /// Factor on q·k: 1/√headDim unless the model says otherwise (Granite).
    public var attentionScale: Float? = nil
    /// Factor on the logits (Granite: 1 / `logit_scale`), or 1.
    public var logitScale: Float = 1
    /// `c·tanh(s/c)` on attention scores (Gemma 2), or nil.
    public var attentionSoftcap: Float? = nil
    /// `c·tanh(z/c)` on the logits (Gemma 2), or nil.
    public var finalLogitSoftcap: Float? = nil

    public var ropeStyle: RopeStyle { architecture.ropeStyle }
    public var hasAttentionBias: Bool { architecture.hasAttentionBias }
    public var hasQKNorm: Bool { architecture.hasQKNorm }
    public var queryKeyNorm: QueryKeyNorm { architecture.queryKeyNorm }
    /// The score factor actually used: `attentionScale` or 1/√headDim.
    public var effectiveAttentionScale: Float { attentionScale ?? 1 / Float(headDimension).squareRoot() }

    /// Layer `l`'s window and RoPE base (global with the model's base when not listed).
    public func shape(ofLayer l: Int) -> LayerShape {
        l < layerShapes.count ? layerShapes[l] : LayerShape(ropeBase: ropeFrequencyBase)
    }

    /// The distinct RoPE bases of the layers, in first-use order (one angle table each).
    public var ropeBases: [Float] {
        var bases: [Float] = []
        for l in 0..<layerCount {
            if let base = shape(ofLayer: l).ropeBase, !bases.contains(base) { bases.append(base) }
        }
        return bases
    }
    /// Width of all query heads together.
    public var queryDimension: Int { headCount * headDimension }
    /// Width of all key (or value) heads together: one KV cache row per layer and position.
    public var kvDimension: Int { kvHeadCount * headDimension }
    /// Query heads sharing one key/value head.
    public var groupSize: Int { headCount / kvHeadCount }
}
