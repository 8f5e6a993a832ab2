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
    /// One angle recipe per distinct RoPE base of the layers (`config.ropeBases` order), for a
    /// context within the original length (LongRoPE's short factors).
    public let ropeTables: [RopeAngles]
    /// The same for a longer context (LongRoPE's long factors); equal to `ropeTables` without them.
    let longContextRopeTables: [RopeAngles]
    /// Whether the long factors differ from the short ones (so the context length changes how
    /// keys are rotated).
    let hasDistinctLongContextRope: Bool
    /// Layer `l`'s index into `ropeTables`, or nil for a layer without RoPE.
    public let layerRopeTable: [Int?]

    public init(file: GGUFFile) throws(InferenceError) {
        let config = try ModelConfig(file: file)
        let weights = try ModelWeights(file: file, config: config)
        self.config = config
        self.weights = weights
        let short = Self.frequencyFactors(weights, longContext: false)
        ropeInverseFrequencies = config.ropeInverseFrequencies(frequencyFactors: short)
        ropeAngles = config.ropeAngles(frequencyFactors: short)
        let bases = config.ropeBases
        ropeTables = bases.map { config.ropeAngles(frequencyFactors: short, base: $0) }
        let long = Self.frequencyFactors(weights, longContext: true)
        hasDistinctLongContextRope = long != short
        longContextRopeTables =
            long == short ? ropeTables : bases.map { config.ropeAngles(frequencyFactors: long, base: $0) }
        layerRopeTable = (0..<config.layerCount).map { l in
            config.shape(ofLayer: l).ropeBase.flatMap { bases.firstIndex(of: $0) }
        }
    }

    /// The RoPE tables a context of `contextLength` positions uses: as llama.cpp's
    /// `get_rope_factors`, the long factors when it exceeds `rope.scaling.original_context_length`
    /// (default: the trained length), else the short ones. Chosen once per context, not per
    /// sequence length, so a conversation's cached keys never change their rotation.
    public func ropeTables(contextLength: Int) -> [RopeAngles] {
        rotatesWithLongFactors(contextLength: contextLength) ? longContextRopeTables : ropeTables
    }

    /// Whether a context of `contextLength` positions rotates keys with long factors that differ
    /// from the short ones: cached keys from such a context do not fit a shorter one (snapshots
    /// say so in their geometry).
    public func rotatesWithLongFactors(contextLength: Int) -> Bool {
        let original = config.ropeOriginalContextLength ?? config.trainedContextLength
        return hasDistinctLongContextRope && contextLength > original
    }

    /// The per-pair divisors in use: `rope_freqs` when present, else LongRoPE's long or short
    /// factors (either may be absent: then none, as in llama.cpp).
    private static func frequencyFactors(_ weights: ModelWeights, longContext: Bool) -> [Float]? {
        weights.ropeFrequencyFactors ?? (longContext ? weights.ropeFactorsLong : weights.ropeFactorsShort)
    }

    /// Opens the GGUF file at `path` and loads its model.
    public convenience init(path: String) throws {
        try self.init(file: GGUFFile(path: path))
    }
}
