#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-family metadata beyond the common hyper-parameters, with llama.cpp's defaults, turned
/// into data (`LayerShape`s, scales, soft-caps) the one forward pass reads.
extension ModelConfig {
    /// Fills the family-specific fields from `keys` (`{arch}.`-prefixed metadata).
    mutating func readFamilyChoices(_ keys: MetadataKeys) throws(InferenceError) {
        switch architecture {
        case .llama, .qwen2, .qwen3:
            break
        case .phi3:
            // Phi-3 files carry `attention.sliding_window` (2047 for Phi-3-mini, 0 for Phi-4), but
            // llama.cpp disables Phi's sliding window (ggml-org/llama.cpp#13676): every layer
            // attends over the whole context, so the key is not read.
            break
        case .gemma2:
            // Every other layer (0, 2, ...) slides over 4096 positions unless the file says otherwise.
            try slidingLayers(keys, pattern: 2, defaultWindow: 4096, swaBase: ropeFrequencyBase)
            attentionSoftcap = try keys.optionalPositiveFloat("attn_logit_softcapping")
            finalLogitSoftcap = try keys.optionalPositiveFloat("final_logit_softcapping")
        case .gemma3:
            // Five sliding layers to one global one; the sliding ones keep RoPE base 10,000.
            try slidingLayers(keys, pattern: 6, defaultWindow: nil, swaBase: 10_000)
            finalLogitSoftcap = try keys.optionalPositiveFloat("final_logit_softcapping")
        case .olmo2:
            try slidingLayers(keys, pattern: 4, defaultWindow: nil, swaBase: ropeFrequencyBase)
        case .smollm3:
            // Every fourth layer (3, 7, ...) has no positional encoding at all.
            layerShapes = (0..<layerCount).map { l in
                LayerShape(ropeBase: (l + 1) % 4 == 0 ? nil : ropeFrequencyBase)
            }
        case .granite:
            guard let logit = try keys.optionalPositiveFloat("logit_scale") else {
                throw .missingMetadata(key: keys.fullName("logit_scale"), expected: "a positive number (granite)")
            }
            logitScale = 1 / logit
            residualScale = try keys.optionalPositiveFloat("residual_scale") ?? 1
            embeddingScale = try keys.optionalPositiveFloat("embedding_scale") ?? 1
            attentionScale = try keys.optionalPositiveFloat("attention.scale")
        }
        if architecture.scalesEmbeddingBySqrtDim { embeddingScale = sqrtf(Float(embeddingLength)) }
    }

    /// Marks the sliding-window layers: with a window (the file's `attention.sliding_window`, else
    /// `defaultWindow`), layer `l` slides when `l % pattern < pattern - 1` (llama.cpp's rule; the
    /// file's `attention.sliding_window_pattern` overrides `pattern`) and uses `rope.freq_base_swa`
    /// (default `swaBase`). No window: every layer global.
    private mutating func slidingLayers(
        _ keys: MetadataKeys, pattern defaultPattern: Int, defaultWindow: Int?,
        swaBase: Float
    ) throws(InferenceError) {
        guard let window = try keys.optionalInt("attention.sliding_window", minimum: 0) ?? defaultWindow,
            window > 0
        else { return }
        let pattern = try keys.optionalInt("attention.sliding_window_pattern", minimum: 1) ?? defaultPattern
        let localBase = try keys.optionalPositiveFloat("rope.freq_base_swa") ?? swaBase
        layerShapes = (0..<layerCount).map { l in
            l % pattern < pattern - 1
                ? LayerShape(slidingWindow: window, ropeBase: localBase)
                : LayerShape(ropeBase: ropeFrequencyBase)
        }
    }
}
