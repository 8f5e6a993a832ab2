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

/// All weights of a model, viewed in place in the mapped GGUF file (on the AVX-512 path the
/// legacy-type matrices are read from an interleaved copy instead: `InterleavedRows`).
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
    /// LongRoPE's per-pair divisors (Phi-3): `rope_factors_long.weight` for contexts beyond
    /// `rope.scaling.original_context_length`, `rope_factors_short.weight` within it.
    public let ropeFactorsLong, ropeFactorsShort: [Float]?

    /// Finds and shape-checks every tensor `config` calls for. On the AVX-512 path the
    /// matrices that products read get an interleaved copy for the row runs and prompt panels
    /// (`InterleavedRows`; the embedding lookups read the file's rows).
    public init(file: GGUFFile, config c: ModelConfig, path: KernelPath = .active) throws(InferenceError) {
        let loader = TensorLoader(file: file, interleave: path == .avx512)
        tokenEmbedding = try loader.matrix(
            "token_embd.weight", rows: c.vocabularySize, columns: c.embeddingLength, interleave: false)
        outputNorm = try loader.vector("output_norm.weight", count: c.embeddingLength)
        output =
            c.tiedOutput
            ? loader.interleaved(tokenEmbedding)
            : try loader.matrix("output.weight", rows: c.vocabularySize, columns: c.embeddingLength)
        let pairs = c.ropeDimensionCount / 2
        ropeFrequencyFactors = try loader.factors("rope_freqs.weight", count: pairs)
        ropeFactorsLong = try loader.factors("rope_factors_long.weight", count: pairs)
        ropeFactorsShort = try loader.factors("rope_factors_short.weight", count: pairs)
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
        let (query, key, value) = try attentionProjections(p, loader: loader, config: c)
        let (gate, up) = try feedForwardProjections(p, loader: loader, config: c)
        return LayerWeights(
            attentionNorm: pre ? try loader.vector(p + "attn_norm.weight", count: dim) : nil,
            attentionPostNorm: post ? try loader.vector(p + "post_attention_norm.weight", count: dim) : nil,
            query: query, key: key, value: value,
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
            gate: gate, up: up,
            down: try loader.matrix(p + "ffn_down.weight", rows: dim, columns: ffn))
    }

    /// Q, K and V: `attn_q/k/v.weight`, or row ranges of one fused `attn_qkv.weight` of
    /// `queryDim + 2·kvDim` rows in that order (Phi-3; llama.cpp reads the fused form for any
    /// family). A view per range keeps the grouped product and its rounding unchanged.
    private static func attentionProjections(_ p: String, loader: TensorLoader, config c: ModelConfig)
        throws(InferenceError) -> (WeightMatrix, WeightMatrix, WeightMatrix)
    {
        let (dim, q, kv) = (c.embeddingLength, c.queryDimension, c.kvDimension)
        guard loader.has(p + "attn_qkv.weight") else {
            return (
                try loader.matrix(p + "attn_q.weight", rows: q, columns: dim),
                try loader.matrix(p + "attn_k.weight", rows: kv, columns: dim),
                try loader.matrix(p + "attn_v.weight", rows: kv, columns: dim)
            )
        }
        let fused = try loader.matrix(
            p + "attn_qkv.weight", rows: q + 2 * kv, columns: dim, rowsAre: "Q \(q) + K \(kv) + V \(kv) rows")
        return (fused.rows(0..<q), fused.rows(q..<(q + kv)), fused.rows((q + kv)..<(q + 2 * kv)))
    }

    /// Gate and up: `ffn_gate.weight` and `ffn_up.weight`, or (Phi-3, no `ffn_gate`) the two
    /// halves of an `ffn_up.weight` of `2·ffn` rows, gate first, as llama.cpp's fused SwiGLU
    /// splits it.
    private static func feedForwardProjections(_ p: String, loader: TensorLoader, config c: ModelConfig)
        throws(InferenceError) -> (WeightMatrix, WeightMatrix)
    {
        let (dim, ffn) = (c.embeddingLength, c.feedForwardLength)
        guard c.architecture.acceptsFusedGateUp, !loader.has(p + "ffn_gate.weight") else {
            return (
                try loader.matrix(p + "ffn_gate.weight", rows: ffn, columns: dim),
                try loader.matrix(p + "ffn_up.weight", rows: ffn, columns: dim)
            )
        }
        let fused = try loader.matrix(
            p + "ffn_up.weight", rows: 2 * ffn, columns: dim, rowsAre: "gate \(ffn) + up \(ffn) rows")
        return (fused.rows(0..<ffn), fused.rows(ffn..<(2 * ffn)))
    }
}

/// Looks tensors up by name and checks their shapes (ggml order: `[columns, rows]`).
private struct TensorLoader {
    let file: GGUFFile
    /// Whether products' matrices get an interleaved copy (`WeightMatrix.interleaved()`).
    let interleave: Bool

    func has(_ name: String) -> Bool { file.tensor(named: name) != nil }

    /// The matrix `name` of `rows × columns`; `rowsAre` says what the rows hold when the
    /// tensor fuses several projections, so a wrong shape's error says how they add up.
    func matrix(_ name: String, rows: Int, columns: Int, rowsAre: String? = nil, interleave: Bool = true)
        throws(InferenceError) -> WeightMatrix
    {
        let expected = [columns, rows]
        guard let info = file.tensor(named: name) else { throw .missingTensor(name: name, expectedShape: expected) }
        guard Self.trimmed(info.dimensions) == expected else {
            throw .badTensorShape(
                tensor: name, dimensions: info.dimensions, expected: "\(expected)" + (rowsAre.map { " (\($0))" } ?? ""))
        }
        let matrix = try WeightMatrix(tensor: info, file: file)
        return interleave ? interleaved(matrix) : matrix
    }

    /// `matrix` with its interleaved copy when this loader makes them. The AVX-512 path then
    /// reads only the copy, so the file's pages of it are let go as it is written (the token
    /// embedding's lookups map back the few they read).
    func interleaved(_ matrix: WeightMatrix) -> WeightMatrix {
        interleave ? matrix.interleaved(releasing: file.releasePages) : matrix
    }

    /// Per-pair RoPE divisors `name` (`[count]`), or nil when the file has none. Each must be
    /// positive and finite: a zero would turn every angle of its pair into infinity (NaN logits).
    func factors(_ name: String, count: Int) throws(InferenceError) -> [Float]? {
        guard has(name) else { return nil }
        let values = Array(try vector(name, count: count).values)
        if let bad = values.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
            throw .badTensorValues(
                tensor: name, expected: "positive finite RoPE factors", found: "\(values[bad]) at index \(bad)")
        }
        return values
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
