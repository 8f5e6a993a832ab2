import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// `parley serve` turns off the per-token cross-entropy (`measuresCrossEntropy`), which
    /// skips a pass over the vocabulary per token: on the real SmolLM2 Q4_1 the same seeded
    /// requests then give the same tokens, text, deltas and logprobs, only without a cross-entropy.
    @Suite(.requires(.smolLM2Q4_1)) struct CrossEntropyOffTests {
        typealias Fixture = BatchedGeneratorTests

        private func run(measuring: Bool) throws -> (
            outcomes: [UInt64: GenerationOutcome], deltas: [UInt64: [GenerationDelta]]
        ) {
            let (transformer, tokenizer) = try Fixture.parts()
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 4)
            var outcomes: [UInt64: GenerationOutcome] = [:]
            var deltas: [UInt64: [GenerationDelta]] = [:]
            for (index, question) in Fixture.questions.prefix(4).enumerated() {
                var request = try Fixture.request(tokenizer, question, maxTokens: 32)
                request.measuresCrossEntropy = measuring
                // Greedy, Parley's default sampler (top-k), two choices, and logprobs with alternatives.
                if index > 0 { request.sampler = SamplerSettings(seed: 3 + UInt64(index)) }
                if index == 2 { request.choices = 2 }
                if index == 3 { (request.logprobs, request.topLogprobs) = (true, 5) }
                let id = UInt64(index)
                generator.admit(
                    request, id: id, onDelta: { deltas[id, default: []].append($0) },
                    onFinish: { outcomes[id] = $0 })
            }
            var steps = 0
            while !generator.isIdle && steps < 500 {
                generator.step()
                steps += 1
            }
            return (outcomes, deltas)
        }

        @Test func answersAndLogprobsAreUnchangedWithoutTheCrossEntropy() throws {
            let measured = try run(measuring: true)
            let skipped = try run(measuring: false)
            #expect(measured.outcomes.count == 4)
            for id in UInt64(0)..<4 {
                let expected = try #require(measured.outcomes[id])
                let outcome = try #require(skipped.outcomes[id])
                #expect(outcome.choices.map(\.tokens) == expected.choices.map(\.tokens), "request \(id)")
                #expect(outcome.choices.map(\.text) == expected.choices.map(\.text), "request \(id)")
                #expect(outcome.choices.map(\.scores) == expected.choices.map(\.scores), "request \(id)")
                #expect(skipped.deltas[id] == measured.deltas[id], "request \(id)")
                #expect(expected.choices.allSatisfy { $0.crossEntropy != nil })
                #expect(outcome.choices.allSatisfy { $0.crossEntropy == nil && $0.negativeLogLikelihood == nil })
            }
            let scores = try #require(skipped.outcomes[3]?.choices.first?.scores)
            #expect(!scores.isEmpty && scores.allSatisfy { $0.top.count == 5 && $0.logprob <= 0 })
            // The logprobs request's cross-entropy is the mean of its own logprobs.
            let mean = -scores.map(\.logprob).reduce(0, +) / Double(scores.count)
            #expect(abs((measured.outcomes[3]?.choices.first?.crossEntropy ?? 0) - mean) < 1e-9)
        }
    }
}
