import GGUF

/// A loaded model: configuration and weights, viewed in place in the mapped GGUF file. The
/// weights keep the mapping alive; the `GGUFFile` itself (its parsed metadata) is not retained.
///
/// Immutable and shareable between threads; each `Transformer` built on it owns the mutable
/// run state and KV cache of one conversation. Loading parses the header and checks every
/// tensor's shape, but reads no weight data, so it is fast whatever the model size.
public final class LanguageModel: Sendable {
    public let config: ModelConfig
    public let weights: ModelWeights
    /// RoPE angle per position of each rotated pair, with scaling applied (`[ropeDims / 2]`).
    public let ropeInverseFrequencies: [Float]
    /// How the forward pass computes those angles, as llama.cpp rounds them.
    public let ropeAngles: RopeAngles
    /// One angle recipe per distinct RoPE base of the layers (`config.ropeBases` order).
    public let ropeTables: [RopeAngles]
    /// Layer `l`'s index into `ropeTables`, or nil for a layer without RoPE.
    public let layerRopeTable: [Int?]

    public init(file: GGUFFile) throws(InferenceError) {
        let config = try ModelConfig(file: file)
        let weights = try ModelWeights(file: file, config: config)
        self.config = config
        self.weights = weights
        ropeInverseFrequencies = config.ropeInverseFrequencies(frequencyFactors: weights.ropeFrequencyFactors)
        ropeAngles = config.ropeAngles(frequencyFactors: weights.ropeFrequencyFactors)
        let bases = config.ropeBases
        ropeTables = bases.map { config.ropeAngles(frequencyFactors: weights.ropeFrequencyFactors, base: $0) }
        layerRopeTable = (0..<config.layerCount).map { l in
            config.shape(ofLayer: l).ropeBase.flatMap { bases.firstIndex(of: $0) }
        }
    }

    /// Opens the GGUF file at `path` and loads its model.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }
}
