#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ModelConfig {
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
                frequency = Self.llama3Scaled(frequency, factor: Double(factor), low: Double(low),
                                              high: Double(high), original: Double(original))
            }
            return Float(frequency)
        }
    }

    /// Llama 3.1's rule: wavelengths shorter than `original/high` keep their frequency, longer
    /// than `original/low` are divided by `factor`, and those between blend the two linearly in
    /// `original/wavelength`.
    static func llama3Scaled(_ frequency: Double, factor: Double, low: Double, high: Double,
                             original: Double) -> Double {
        let wavelength = 2 * Double.pi / frequency
        if wavelength < original / high { return frequency }
        if wavelength > original / low { return frequency / factor }
        let smooth = (original / wavelength - low) / (high - low)
        return (1 - smooth) * frequency / factor + smooth * frequency
    }
}
