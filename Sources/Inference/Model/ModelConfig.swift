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
    public var normEpsilon: Float
    public var vocabularySize: Int
    /// True when there is no `output.weight` and logits reuse `token_embd.weight`.
    public var tiedOutput: Bool

    public var ropeStyle: RopeStyle { architecture.ropeStyle }
    public var hasAttentionBias: Bool { architecture.hasAttentionBias }
    public var hasQKNorm: Bool { architecture.hasQKNorm }
    /// Width of all query heads together.
    public var queryDimension: Int { headCount * headDimension }
    /// Width of all key (or value) heads together: one KV cache row per layer and position.
    public var kvDimension: Int { kvHeadCount * headDimension }
    /// Query heads sharing one key/value head.
    public var groupSize: Int { headCount / kvHeadCount }
}
