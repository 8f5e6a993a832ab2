import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// The acceptance rule keeps the sampled distribution: many seeded short answers of the
/// generated small llama with speculation and as many (other seeds) without it are two samples
/// of one distribution by a chi-square test, and the same test rejects a broken rule that
/// accepts every draft. Also greedy identity on this model and the counts it reports.
@Suite(.requires([.syntheticLlamaSPM]), .serialized) struct SpeculativeSamplingTests {
    /// A prompt that repeats a phrase, so the context offers drafts at every step.
    static let prompt: [Int32] = {
        var random = SeededRandom(seed: 15)
        let phrase = (0..<12).map { _ in Int32.random(in: 3..<512, using: &random) }
        return [1] + Array(repeating: phrase, count: 4).joined()
    }()

    static func generator(speculate: Bool, acceptance: DraftAcceptance = .verified) throws -> TextGenerator {
        let file = try GGUFFile(path: GeneratedModels.llamaSPM.path)
        let transformer = try Transformer(model: LanguageModel(file: file), contextLength: 256, threads: 1)
        let generator = TextGenerator(predictor: transformer, tokenizer: try Tokenizer(gguf: file))
        generator.speculation.enabled = speculate
        generator.speculation.acceptance = acceptance
        return generator
    }

    /// The sampler every run uses: temperature, top-k, top-p, min-p and a repetition penalty,
    /// so the rule is checked against the distribution after every transform.
    static func sampler(seed: UInt64) -> SamplerSettings {
        SamplerSettings(temperature: 0.3, topK: 50, topP: 0.95, minP: 0.01, repeatPenalty: 1.1, seed: seed)
    }

    static let tokens = 12

    /// Each run's generated tokens, for `seeds`.
    /// A prompt the model continues predictably: the repeated phrase and the model's own greedy
    /// continuation of it (a random model's greedy text falls into a loop, which low-temperature
    /// sampling mostly follows, so drafts from the loop are often right and often wrong).
    static func loopingPrompt() throws -> [Int32] {
        let outcome = try generator(speculate: false).generate(
            GenerationRequest(promptTokens: prompt, sampler: .greedy, maxTokens: 64), cancel: CancellationFlag(),
            onText: { _ in })
        return prompt + outcome.tokens
    }

    static func answers(_ generator: TextGenerator, prompt: [Int32], seeds: Range<UInt64>) -> (
        runs: [[Int32]], counts: SpeculationCounts
    ) {
        var counts = SpeculationCounts()
        var runs: [[Int32]] = []
        for seed in seeds {
            let outcome = generator.generate(
                GenerationRequest(promptTokens: prompt, sampler: sampler(seed: seed), maxTokens: tokens),
                cancel: CancellationFlag(), onText: { _ in })
            runs.append(outcome.tokens)
            counts.drafted += outcome.speculation.drafted
            counts.accepted += outcome.speculation.accepted
        }
        return (runs, counts)
    }

    /// Two-sample chi-square statistic over the categories of `a` and `b` (equal sizes), bins
    /// with fewer than 10 observations pooled, and its critical value at α = 0.001
    /// (Wilson–Hilferty's approximation of the chi-square quantile).
    static func chiSquare(_ a: [Int32], _ b: [Int32]) -> (statistic: Double, critical: Double) {
        var counts: [Int32: (Int, Int)] = [:]
        for token in a { counts[token, default: (0, 0)].0 += 1 }
        for token in b { counts[token, default: (0, 0)].1 += 1 }
        var bins: [(Int, Int)] = []
        var pooled = (0, 0)
        for (_, pair) in counts.sorted(by: { $0.key < $1.key }) {
            if pair.0 + pair.1 >= 10 { bins.append(pair) } else { pooled = (pooled.0 + pair.0, pooled.1 + pair.1) }
        }
        if pooled.0 + pooled.1 > 0 { bins.append(pooled) }
        let statistic = bins.reduce(0.0) { sum, bin in
            sum + Double((bin.0 - bin.1) * (bin.0 - bin.1)) / Double(bin.0 + bin.1)
        }
        let df = Double(max(1, bins.count - 1))
        let z = 3.09 // the standard normal's 0.999 quantile
        let critical = df * pow(1 - 2 / (9 * df) + z * (2 / (9 * df)).squareRoot(), 3)
        return (statistic, critical)
    }

    /// Whether the token distributions at positions 2, 4 and 7 of `a` and `b` all agree.
    static func sameDistribution(_ a: [[Int32]], _ b: [[Int32]]) -> Bool {
        var same = true
        for position in [2, 4, 7] {
            let test = chiSquare(
                a.map { $0.count > position ? $0[position] : -1 },
                b.map { $0.count > position ? $0[position] : -1 })
            print("position \(position): χ² \(test.statistic) (critical \(test.critical))")
            same = same && test.statistic < test.critical
        }
        return same
    }

    @Test func samplingDistributionIsUnchanged() throws {
        let runs = 400
        let prompt = try Self.loopingPrompt()
        let plain = Self.answers(
            try Self.generator(speculate: false), prompt: prompt, seeds: 1_000..<UInt64(1_000 + runs))
        let speculative = Self.answers(try Self.generator(speculate: true), prompt: prompt, seeds: 1..<UInt64(1 + runs))
        let broken = Self.answers(
            try Self.generator(speculate: true, acceptance: .acceptEveryDraft), prompt: prompt,
            seeds: 1..<UInt64(1 + runs))
        print("speculative \(speculative.counts), broken rule \(broken.counts)")
        #expect(speculative.counts.accepted > runs / 8, "drafts must be made and accepted: \(speculative.counts)")
        let same = Self.sameDistribution(plain.runs, speculative.runs)
        #expect(same)
        let brokenIsSeen = !Self.sameDistribution(plain.runs, broken.runs)
        #expect(brokenIsSeen, "the test must be able to see a broken rule")
    }

    /// Greedy: identical tokens, and the cache holds exactly the prompt and the evaluated answer.
    @Test func greedyIdentical() throws {
        let plain = try Self.generator(speculate: false)
        let fast = try Self.generator(speculate: true)
        for maxTokens in [1, 3, 9, 40, 120] {
            let request = GenerationRequest(
                promptTokens: Self.prompt, sampler: .greedy, maxTokens: maxTokens, logprobs: true, topLogprobs: 2)
            let expected = plain.generate(request, cancel: CancellationFlag(), onText: { _ in })
            let actual = fast.generate(request, cancel: CancellationFlag(), onText: { _ in })
            #expect(actual.choices == expected.choices, "max \(maxTokens): \(actual.tokens) ≠ \(expected.tokens)")
            #expect(fast.cachedTokens == plain.cachedTokens)
            #expect(fast.predictor.position == fast.cachedTokens.count)
            if maxTokens >= 40 { #expect(actual.speculation.accepted > 0, "\(actual.speculation)") }
        }
    }
}
