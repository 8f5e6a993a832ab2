import GGUF

extension ModelConfig {
    /// Reads and validates the hyper-parameters of `file`'s model.
    ///
    /// Keys follow llama.cpp's names (`{arch}.embedding_length`, ...). Optional keys take
    /// llama.cpp's defaults: `head_count_kv` = `head_count`, `key_length` = dim / heads,
    /// `rope.dimension_count` = head size, `rope.freq_base` = 10000, `vocab_size` = rows of
    /// `token_embd.weight`. Tensor shapes are checked later by `ModelWeights`.
    public init(file: GGUFFile) throws(InferenceError) {
        guard let name = file.metadata.string("general.architecture") else {
            if file.metadata["general.architecture"] != nil {
                throw .invalidMetadata(
                    key: "general.architecture", expected: "a string",
                    found: Self.describe(file.metadata["general.architecture"]))
            }
            throw .unsupportedArchitecture(nil)
        }
        guard let architecture = ModelArchitecture(rawValue: name) else {
            throw .unsupportedArchitecture(name)
        }
        let keys = MetadataKeys(metadata: file.metadata, prefix: name)
        let dim = try keys.requiredInt("embedding_length", minimum: 1)
        let heads = try keys.requiredInt("attention.head_count", minimum: 1)
        let kvHeads = try keys.optionalInt("attention.head_count_kv", minimum: 1) ?? heads
        guard heads % kvHeads == 0 else {
            throw .invalidMetadata(
                key: keys.fullName("attention.head_count_kv"),
                expected: "a divisor of attention.head_count (\(heads))", found: "\(kvHeads)")
        }
        let defaultHead = dim % heads == 0 ? dim / heads : nil
        guard let headDim = try keys.optionalInt("attention.key_length", minimum: 2) ?? defaultHead else {
            throw .invalidMetadata(
                key: keys.fullName("attention.head_count"),
                expected: "a divisor of embedding_length (\(dim)) or an attention.key_length key",
                found: "\(heads)")
        }
        if let valueLength = try keys.optionalInt("attention.value_length", minimum: 1), valueLength != headDim {
            throw .invalidMetadata(
                key: keys.fullName("attention.value_length"),
                expected: "equal to the key length \(headDim)", found: "\(valueLength)")
        }
        let ropeDims = try keys.optionalInt("rope.dimension_count", minimum: 2) ?? headDim
        guard ropeDims % 2 == 0, ropeDims <= headDim else {
            throw .invalidMetadata(
                key: keys.fullName("rope.dimension_count"),
                expected: "an even number at most the head size \(headDim)", found: "\(ropeDims)")
        }
        let vocabulary: Int
        if let count = try keys.optionalInt("vocab_size", minimum: 1) {
            vocabulary = count
        } else if let embedding = file.tensor(named: "token_embd.weight"), embedding.dimensions.count == 2 {
            vocabulary = embedding.dimensions[1]
        } else {
            throw .missingTensor(name: "token_embd.weight", expectedShape: [dim, -1])
        }
        var config = ModelConfig(
            architecture: architecture,
            trainedContextLength: try keys.requiredInt("context_length", minimum: 1),
            embeddingLength: dim,
            feedForwardLength: try keys.requiredInt("feed_forward_length", minimum: 1),
            layerCount: try keys.requiredInt("block_count", minimum: 1),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDimension: headDim,
            ropeDimensionCount: ropeDims,
            ropeFrequencyBase: try keys.optionalPositiveFloat("rope.freq_base") ?? 10_000,
            ropeScaling: try Self.ropeScaling(keys),
            normEpsilon: try keys.requiredPositiveFloat("attention.layer_norm_rms_epsilon"),
            vocabularySize: vocabulary,
            tiedOutput: file.tensor(named: "output.weight") == nil)
        config.ropeAttentionFactor = try keys.optionalPositiveFloat("rope.scaling.attn_factor") ?? 1
        config.ropeOriginalContextLength = try keys.optionalInt("rope.scaling.original_context_length", minimum: 1)
        try config.readFamilyChoices(keys)
        self = config
    }

    /// `rope.scaling.type` (none, linear, llama3) and its parameters. As in llama.cpp, a factor
    /// without a type means linear scaling.
    private static func ropeScaling(_ keys: MetadataKeys) throws(InferenceError) -> RoPEScaling {
        let typeKey = "rope.scaling.type"
        let type = try keys.optionalString(typeKey)
        var factor = try keys.optionalPositiveFloat("rope.scaling.factor")
        if factor == nil { factor = try keys.optionalPositiveFloat("rope.scale_linear") }
        switch type {
        case nil, "linear", "longrope":
            // LongRoPE's per-pair factors are tensors (`rope_factors_long/short.weight`, read by
            // `ModelWeights`); a factor beside them divides the angles as llama.cpp's
            // `rope_freq_scale` does for every type but none.
            guard let factor, factor != 1 else { return .none }
            return .linear(factor: factor)
        case "none":
            return .none
        case "llama3":
            guard let factor else {
                throw .missingMetadata(
                    key: keys.fullName("rope.scaling.factor"),
                    expected: "a positive number (llama3 RoPE scaling)")
            }
            return .llama3(
                factor: factor,
                lowFrequencyFactor: try keys.optionalPositiveFloat("rope.scaling.low_freq_factor") ?? 1,
                highFrequencyFactor: try keys.optionalPositiveFloat("rope.scaling.high_freq_factor") ?? 4,
                originalContextLength: try keys.optionalInt("rope.scaling.original_context_length", minimum: 1)
                    ?? 8192)
        case let other?:
            throw .invalidMetadata(
                key: keys.fullName(typeKey), expected: "one of none, linear, llama3, longrope",
                found: "'\(other)'")
        }
    }

    static func describe(_ value: GGUFValue?) -> String {
        guard let value else { return "nothing" }
        switch value {
        case .string(let text): return "the string '\(text)'"
        case .array(let array): return "an array of \(array.count) elements"
        case .bool(let flag): return "the boolean \(flag)"
        default: return "\(value.type) \(value.double.map { "\($0)" } ?? "?")"
        }
    }
}

/// Typed look-ups of `{arch}.`-prefixed keys that throw errors naming the full key.
struct MetadataKeys {
    let metadata: GGUFMetadata
    let prefix: String

    func fullName(_ key: String) -> String { "\(prefix).\(key)" }

    func requiredInt(_ key: String, minimum: Int) throws(InferenceError) -> Int {
        guard let value = try optionalInt(key, minimum: minimum) else {
            throw .missingMetadata(key: fullName(key), expected: "an integer ≥ \(minimum)")
        }
        return value
    }

    func optionalInt(_ key: String, minimum: Int) throws(InferenceError) -> Int? {
        guard let raw = metadata[fullName(key)] else { return nil }
        guard let value = raw.int, value >= minimum, value <= 1 << 30 else {
            throw .invalidMetadata(
                key: fullName(key), expected: "an integer in \(minimum)...\(1 << 30)",
                found: ModelConfig.describe(raw))
        }
        return value
    }

    func requiredPositiveFloat(_ key: String) throws(InferenceError) -> Float {
        guard let value = try optionalPositiveFloat(key) else {
            throw .missingMetadata(key: fullName(key), expected: "a positive number")
        }
        return value
    }

    func optionalPositiveFloat(_ key: String) throws(InferenceError) -> Float? {
        guard let raw = metadata[fullName(key)] else { return nil }
        guard let value = raw.double, value > 0, value.isFinite else {
            throw .invalidMetadata(
                key: fullName(key), expected: "a positive finite number",
                found: ModelConfig.describe(raw))
        }
        return Float(value)
    }

    func optionalString(_ key: String) throws(InferenceError) -> String? {
        guard let raw = metadata[fullName(key)] else { return nil }
        guard let value = raw.string else {
            throw .invalidMetadata(key: fullName(key), expected: "a string", found: ModelConfig.describe(raw))
        }
        return value
    }
}
