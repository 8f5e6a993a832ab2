#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How llama.cpp computes RoPE angles, so positions rotate by exactly its F32 angles: pair `i` of
/// position `p` turns by `frequencyScale · (θ_i / factors[i])`, θ_0 = p and θ_{i+1} = θ_i ·
/// `thetaScale` in F32 (ggml's running product, not `p · base^(−2i/n)` computed exactly).
public struct RopeAngles: Sendable {
    /// base^(−2/n), by `powf`.
    public let thetaScale: Float
    /// Per-pair divisor: `rope_freqs.weight`, the llama3 rule's ratio, or 1.
    public let factors: [Float]
    /// 1 / linear factor (1 without linear scaling).
    public let frequencyScale: Float
    /// Factor on every cosine and sine (`ModelConfig.ropeAttentionFactor`), as ggml's `mscale`.
    public let magnitude: Float

    /// The cosines and sines of `position`'s angles, `factors.count` of each.
    package func fill(position: Int, cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>) {
        var theta = Float(position)
        for i in 0..<factors.count {
            let angle = frequencyScale * (theta / factors[i])
            cos[i] = cosf(angle) * magnitude
            sin[i] = sinf(angle) * magnitude
            theta *= thetaScale
        }
    }
}

extension ModelConfig {
    /// The angle recipe (`RopeAngles`) for this model; `frequencyFactors` as for
    /// `ropeInverseFrequencies` (or LongRoPE's long or short factors). `base` (default the model's) gives the angles of layers with
    /// their own base (Gemma's sliding-window layers), which llama.cpp leaves unscaled.
    public func ropeAngles(frequencyFactors: [Float]? = nil, base: Float? = nil) -> RopeAngles {
        if let base, base != ropeFrequencyBase {
            var local = self
            local.ropeFrequencyBase = base
            local.ropeScaling = .none
            return local.ropeAngles()
        }
        let pairs = ropeDimensionCount / 2
        var unscaled = self
        unscaled.ropeScaling = .none
        let plain = unscaled.ropeInverseFrequencies()
        let scaled = ropeInverseFrequencies()
        var factors = [Float](repeating: 1, count: pairs)
        var frequencyScale: Float = 1
        if case .linear(let factor) = ropeScaling { frequencyScale = 1 / factor }
        if let frequencyFactors {
            factors = Array(frequencyFactors.prefix(pairs))
        } else if case .llama3 = ropeScaling {
            factors = (0..<pairs).map { Float(Double(plain[$0]) / Double(scaled[$0])) }
        }
        return RopeAngles(
            thetaScale: powf(ropeFrequencyBase, -2 / Float(ropeDimensionCount)), factors: factors,
            frequencyScale: frequencyScale, magnitude: ropeAttentionFactor)
    }

    /// The angle per position of each rotated pair `i` (`0..<ropeDimensionCount/2`), scaling included.
    ///
    /// Unscaled, pair `i` turns by `base^(-2i/n)` radians per position. `frequencyFactors` is the
    /// per-pair divisor llama.cpp's converter stores as `rope_freqs.weight` for Llama 3 models;
    /// when present it replaces the llama3 rule computed from metadata (they agree by design).
    /// Linear scaling divides every angle. Computed in Double, once per model.
    public func ropeInverseFrequencies(frequencyFactors: [Float]? = nil) -> [Float] {
        let pairs = ropeDimensionCount / 2
        let base = Double(ropeFrequencyBase)
        return (0..<pairs).map { i in
            var frequency = pow(base, -2 * Double(i) / Double(ropeDimensionCount))
            if let frequencyFactors {
                frequency /= Double(frequencyFactors[i])
                if case .linear(let factor) = ropeScaling { frequency /= Double(factor) }
                return Float(frequency)
            }
            switch ropeScaling {
            case .none:
                break
            case .linear(let factor):
                frequency /= Double(factor)
            case .llama3(let factor, let low, let high, let original):
                frequency = Self.llama3Scaled(
                    frequency, factor: Double(factor), low: Double(low),
                    high: Double(high), original: Double(original))
            }
            return Float(frequency)
        }
    }

    /// Llama 3.1's rule: wavelengths shorter than `original/high` keep their frequency, longer
    /// than `original/low` are divided by `factor`, and those between blend the two linearly in
    /// `original/wavelength`.
    static func llama3Scaled(
        _ frequency: Double, factor: Double, low: Double, high: Double,
        original: Double
    ) -> Double {
        let wavelength = 2 * Double.pi / frequency
        if wavelength < original / high { return frequency }
        if wavelength > original / low { return frequency / factor }
        let smooth = (original / wavelength - low) / (high - low)
        return (1 - smooth) * frequency / factor + smooth * frequency
    }
}
