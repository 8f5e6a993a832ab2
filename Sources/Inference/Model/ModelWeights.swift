import GGUF

/// The weights of one transformer block, viewed in the mapped file.
public struct LayerWeights: Sendable {
    /// RMSNorm before attention, `[dim]` (absent in OLMo 2).
    public let attentionNorm: ParameterVector?
    /// RMSNorm of the attention output before the residual add, `[dim]` (Gemma, OLMo 2).
    public let attentionPostNorm: ParameterVector?
    /// `[queryDim × dim]`, `[kvDim × dim]`, `[kvDim × dim]` (rows × columns).
    public let query, key, value: WeightMatrix
    /// qwen2 only: `[queryDim]`, `[kvDim]`, `[kvDim]`.
    public let queryBias, keyBias, valueBias: ParameterVector?
    /// RMSNorm weights of Q and K: `[headDim]` each per head (qwen3, gemma3), or `[queryDim]`
    /// and `[kvDim]` over all heads (olmo2).
    public let queryNorm, keyNorm: ParameterVector?
    /// `[dim × queryDim]`.
    public let attentionOutput: WeightMatrix
    /// RMSNorm before the feed-forward, `[dim]` (absent in OLMo 2).
    public let ffnNorm: ParameterVector?
    /// RMSNorm of the feed-forward output before the residual add, `[dim]` (Gemma, OLMo 2).
    public let ffnPostNorm: ParameterVector?
    /// `[ffn × dim]`, `[ffn × dim]`, `[dim × ffn]`.
    public let gate, up, down: WeightMatrix

    /// `[query, key, value]`: the three projections of the attention input, computed by one
    /// grouped `matmul` (input quantized once, one parallel region). Prebuilt so the token loop
    /// does not allocate the array.
    public let queryKeyValue: [WeightMatrix]
    /// `[gate, up]`, for one grouped `matmul` of the feed-forward input.
    public let gateUp: [WeightMatrix]

    init(
        attentionNorm: ParameterVector?, attentionPostNorm: ParameterVector?, query: WeightMatrix, key: WeightMatrix,
        value: WeightMatrix,
        queryBias: ParameterVector?, keyBias: ParameterVector?, valueBias: ParameterVector?,
        queryNorm: ParameterVector?, keyNorm: ParameterVector?, attentionOutput: WeightMatrix,
        ffnNorm: ParameterVector?, ffnPostNorm: ParameterVector?, gate: WeightMatrix, up: WeightMatrix,
        down: WeightMatrix
    ) {
        self.attentionNorm = attentionNorm
        self.attentionPostNorm = attentionPostNorm
        self.query = query
        self.key = key
        self.value = value
        self.queryBias = queryBias
        self.keyBias = keyBias
        self.valueBias = valueBias
        self.queryNorm = queryNorm
        self.keyNorm = keyNorm
        self.attentionOutput = attentionOutput
        self.ffnNorm = ffnNorm
        self.ffnPostNorm = ffnPostNorm
        self.gate = gate
        self.up = up
        self.down = down
        queryKeyValue = [query, key, value]
        gateUp = [gate, up]
    }
}

/// All weights of a model, viewed in place in the mapped GGUF file (nothing large is copied).
public struct ModelWeights: Sendable {
    /// `[vocab × dim]`: one row per token.
    public let tokenEmbedding: WeightMatrix
    public let layers: [LayerWeights]
    /// Final RMSNorm, `[dim]`.
    public let outputNorm: ParameterVector
    /// `[vocab × dim]`; the token embedding itself when the model ties them.
    public let output: WeightMatrix
    /// `rope_freqs.weight`, `[ropeDims / 2]`: per-pair divisors of the RoPE angle (Llama 3).
    public let ropeFrequencyFactors: [Float]?

    /// Finds and shape-checks every tensor `config` calls for.
    public init(file: GGUFFile, config c: ModelConfig) throws(InferenceError) {
        let loader = TensorLoader(file: file)
        tokenEmbedding = try loader.matrix("token_embd.weight", rows: c.vocabularySize, columns: c.embeddingLength)
        outputNorm = try loader.vector("output_norm.weight", count: c.embeddingLength)
        output =
            c.tiedOutput
            ? tokenEmbedding
            : try loader.matrix("output.weight", rows: c.vocabularySize, columns: c.embeddingLength)
        if file.tensor(named: "rope_freqs.weight") != nil {
            let factors = try loader.vector("rope_freqs.weight", count: c.ropeDimensionCount / 2)
            ropeFrequencyFactors = Array(factors.values)
        } else {
            ropeFrequencyFactors = nil
        }
        var layers: [LayerWeights] = []
        for index in 0..<c.layerCount {
            layers.append(try Self.layer(index, loader: loader, config: c))
        }
        self.layers = layers
    }

    private static func layer(_ i: Int, loader: TensorLoader, config c: ModelConfig) throws(InferenceError)
        -> LayerWeights
    {
        let p = "blk.\(i)."
        let (dim, q, kv, ffn) = (c.embeddingLength, c.queryDimension, c.kvDimension, c.feedForwardLength)
        let pre = c.architecture.hasPreNorms
        let post = c.architecture.hasPostNorms
        let (queryNormSize, keyNormSize): (Int?, Int?) =
            switch c.queryKeyNorm {
            case .none: (nil, nil)
            case .perHead: (c.headDimension, c.headDimension)
            case .whole: (q, kv)
            }
        return LayerWeights(
            attentionNorm: pre ? try loader.vector(p + "attn_norm.weight", count: dim) : nil,
            attentionPostNorm: post ? try loader.vector(p + "post_attention_norm.weight", count: dim) : nil,
            query: try loader.matrix(p + "attn_q.weight", rows: q, columns: dim),
            key: try loader.matrix(p + "attn_k.weight", rows: kv, columns: dim),
            value: try loader.matrix(p + "attn_v.weight", rows: kv, columns: dim),
            queryBias: c.hasAttentionBias ? try loader.vector(p + "attn_q.bias", count: q) : nil,
            keyBias: c.hasAttentionBias ? try loader.vector(p + "attn_k.bias", count: kv) : nil,
            valueBias: c.hasAttentionBias ? try loader.vector(p + "attn_v.bias", count: kv) : nil,
            queryNorm: try queryNormSize.map { (n) throws(InferenceError) in
                try loader.vector(p + "attn_q_norm.weight", count: n)
            },
            keyNorm: try keyNormSize.map { (n) throws(InferenceError) in
                try loader.vector(p + "attn_k_norm.weight", count: n)
            },
            attentionOutput: try loader.matrix(p + "attn_output.weight", rows: dim, columns: q),
            ffnNorm: pre ? try loader.vector(p + "ffn_norm.weight", count: dim) : nil,
            ffnPostNorm: post ? try loader.vector(p + "post_ffw_norm.weight", count: dim) : nil,
            gate: try loader.matrix(p + "ffn_gate.weight", rows: ffn, columns: dim),
            up: try loader.matrix(p + "ffn_up.weight", rows: ffn, columns: dim),
            down: try loader.matrix(p + "ffn_down.weight", rows: dim, columns: ffn))
    }
}

/// Looks tensors up by name and checks their shapes (ggml order: `[columns, rows]`).
private struct TensorLoader {
    let file: GGUFFile

    func matrix(_ name: String, rows: Int, columns: Int) throws(InferenceError) -> WeightMatrix {
        let expected = [columns, rows]
        guard let info = file.tensor(named: name) else { throw .missingTensor(name: name, expectedShape: expected) }
        guard Self.trimmed(info.dimensions) == expected else {
            throw .badTensorShape(tensor: name, dimensions: info.dimensions, expected: "\(expected)")
        }
        return try WeightMatrix(tensor: info, file: file)
    }

    func vector(_ name: String, count: Int) throws(InferenceError) -> ParameterVector {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name: name, expectedShape: [count]) }
        guard Self.trimmed(info.dimensions) == [count] else {
            throw .badTensorShape(tensor: name, dimensions: info.dimensions, expected: "[\(count)]")
        }
        return try ParameterVector(tensor: info, file: file)
    }

    /// Drops trailing dimensions of size 1 (ggml writes some vectors as `[n, 1]`).
    private static func trimmed(_ dimensions: [Int]) -> [Int] {
        var result = dimensions
        while result.count > 1, result.last == 1 { result.removeLast() }
        return result
    }
}
