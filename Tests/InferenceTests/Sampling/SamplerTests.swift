import Foundation
import Testing

@testable import Inference

/// The sampler chain, step by step, on small hand-checked distributions.
struct SamplerTests {
    private func run(_ logits: [Float], _ settings: SamplerSettings, history: [Int32] = []) -> Int32 {
        var sampler = Sampler(settings: settings)
        return logits.withUnsafeBufferPointer { sampler.sample(logits: $0, history: history[...]) }
    }

    private func candidates(_ logits: [Float]) -> TokenCandidates {
        var result = TokenCandidates()
        logits.withUnsafeBufferPointer { result.reset(logits: $0) }
        return result
    }

    @Test func greedyTakesTheArgmaxEvenWithPenaltiesOff() {
        #expect(run([0.1, 3.0, 2.9, -1], .greedy) == 1)
    }

    @Test func logitBiasCanBanTheBestToken() {
        var settings = SamplerSettings.greedy
        settings.logitBias = [1: -100]
        #expect(run([0.1, 3.0, 2.9, -1], settings) == 2)
    }

    @Test func repeatPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        var step = PenaltyStep(repeatPenalty: 2, lastN: 64, presence: 0, frequency: 0)
        var list = candidates([4, -1, 3])
        step.apply(to: &list, history: [0, 1][...])
        #expect(list.logits == [2, -2, 3])
    }

    @Test func presenceAndFrequencyPenaltiesFollowOpenAI() {
        var step = PenaltyStep(repeatPenalty: 1, lastN: 64, presence: 0.5, frequency: 0.25)
        var list = candidates([1, 1, 1])
        step.apply(to: &list, history: [0, 0, 0, 2][...])
        // Token 0 seen 3 times: 1 - 3*0.25 - 0.5; token 2 once: 1 - 0.25 - 0.5.
        #expect(list.logits == [-0.25, 1, 0.25])
    }

    @Test func penaltyWindowOnlyLooksAtTheLastNTokens() {
        var step = PenaltyStep(repeatPenalty: 2, lastN: 1, presence: 0, frequency: 0)
        var list = candidates([4, 4])
        step.apply(to: &list, history: [0, 1][...])
        #expect(list.logits == [4, 2])
    }

    @Test func topKKeepsTheKBestSortedWithDeterministicTies() {
        var list = candidates([1, 5, 3, 5, 2])
        var step = TopKStep(k: 3)
        step.apply(to: &list, history: [])
        #expect(list.ids == [1, 3, 2])
        #expect(list.logits == [5, 5, 3])
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() {
        // Probabilities of logits ln(0.5), ln(0.3), ln(0.2): 0.5, 0.3, 0.2.
        var list = candidates([logf(0.2), logf(0.5), logf(0.3)])
        var step = TopPStep(p: 0.75)
        step.apply(to: &list, history: [])
        #expect(list.ids == [1, 2])
    }

    @Test func minPDropsTokensFarBelowTheBest() {
        var list = candidates([logf(0.5), logf(0.3), logf(0.02)])
        var step = MinPStep(p: 0.1)
        step.apply(to: &list, history: [])
        #expect(list.ids == [0, 1])
    }

    @Test func sameSeedSameDrawsDifferentSeedsDiffer() {
        let logits: [Float] = (0..<50).map { Float($0 % 7) * 0.3 }
        func draws(seed: UInt64) -> [Int32] {
            var settings = SamplerSettings(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed)
            settings.repeatPenalty = 1
            var sampler = Sampler(settings: settings)
            return (0..<40).map { _ in logits.withUnsafeBufferPointer { sampler.sample(logits: $0, history: []) } }
        }
        #expect(draws(seed: 7) == draws(seed: 7))
        #expect(draws(seed: 7) != draws(seed: 8))
    }

    @Test func drawsFollowTheDistribution() {
        // Two tokens with probabilities 0.8 / 0.2: over 4,000 draws the share lands near 0.8.
        let logits: [Float] = [logf(0.8), logf(0.2)]
        var sampler = Sampler(settings: SamplerSettings(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 42))
        var zeros = 0
        for _ in 0..<4000 where logits.withUnsafeBufferPointer({ sampler.sample(logits: $0, history: []) }) == 0 {
            zeros += 1
        }
        #expect(abs(Double(zeros) / 4000 - 0.8) < 0.03)
    }
}
