import TestSupport
import Testing

@testable import Inference

/// The sampler's shortcuts (greedy argmax and top-k read from the model's row, without copying
/// the vocabulary) against the full chain on a copy: the same tokens, draw after draw, for every
/// setting that takes a shortcut and for neighbours that must not.
struct SamplerShortcutTests {
    /// Rows of `vocabulary` logits on a coarse grid, so many tokens tie (ties go to the lower id).
    private static func rows(count: Int, vocabulary: Int, seed: UInt64) -> [[Float]] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            (0..<vocabulary).map { _ in Float(Int.random(in: -40...40, using: &random)) / 8 }
        }
    }

    private static let settings: [SamplerSettings] = {
        var list: [SamplerSettings] = [
            .greedy,
            SamplerSettings(seed: 11), // Parley's defaults: top-k 40, top-p 0.95, min-p 0.05, T 0.8
            SamplerSettings(temperature: 1.3, topK: 5, topP: 1, minP: 0, seed: 12),
            SamplerSettings(temperature: 0.7, topK: 1, topP: 0.9, minP: 0.1, seed: 13),
            SamplerSettings(temperature: 1, topK: 999, topP: 0.8, minP: 0, seed: 14), // k >= vocabulary
            SamplerSettings(temperature: 1, topK: 0, topP: 0.9, minP: 0.02, seed: 15), // no top-k
            SamplerSettings(temperature: 0.9, topK: 40, repeatPenalty: 1.3, repeatLastN: 0, seed: 16) // window off
        ]
        // Settings that change logits before top-k: no shortcut may be taken.
        var biased = SamplerSettings(temperature: 0.8, topK: 10, seed: 17)
        biased.logitBias = [3: 5, 7: -100]
        list.append(biased)
        var greedyBiased = SamplerSettings.greedy
        greedyBiased.logitBias = [0: 2]
        list.append(greedyBiased)
        list.append(SamplerSettings(temperature: 0.8, topK: 20, repeatPenalty: 1.5, seed: 18))
        list.append(SamplerSettings(temperature: 0, repeatPenalty: 1, presencePenalty: 0.5, seed: 19))
        return list
    }()

    @Test(arguments: settings.indices)
    func shortcutsDrawWhatTheFullChainDraws(_ index: Int) {
        let settings = Self.settings[index]
        var fast = Sampler(settings: settings)
        var full = Sampler(settings: settings)
        full.usesShortcuts = false
        var history: [Int32] = [1, 2, 3, 2]
        for row in Self.rows(count: 300, vocabulary: 300, seed: 0x5EED + UInt64(index)) {
            let (a, b) = row.withUnsafeBufferPointer {
                (fast.sample(logits: $0, history: history[...]), full.sample(logits: $0, history: history[...]))
            }
            #expect(a == b)
            guard a == b else { return }
            history.append(a)
        }
    }
}
