import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// `n` alternatives and token probabilities on the real SmolLM2 Q4_1.
    @Suite(.requires(.smolLM2Q4_1)) struct AlternativesTests {
        static let prompt = "<|im_start|>user\nWrite a short poem about the sea.<|im_end|>\n<|im_start|>assistant\n"

        static func generator(cells: Int = 1024) throws -> TextGenerator {
            let file = try ModelFixtures.real(ModelFixtures.smolQ4_1)
            let transformer = try Transformer(
                model: LanguageModel(file: file), contextLength: 512, threads: 2,
                cacheCells: cells)
            return TextGenerator(predictor: transformer, tokenizer: try Tokenizer(gguf: file))
        }

        static func request(
            _ generator: TextGenerator, n: Int, temperature: Float, seed: UInt64 = 5,
            maxTokens: Int = 24, stop: [String] = [], logprobs: Bool = false
        ) throws -> GenerationRequest {
            var sampler = temperature == 0 ? SamplerSettings.greedy : SamplerSettings(temperature: temperature)
            sampler.seed = seed
            return GenerationRequest(
                promptTokens: try generator.tokenizer.encode(prompt, addSpecial: true, parseSpecial: true),
                sampler: sampler, maxTokens: maxTokens, stop: stop, choices: n,
                logprobs: logprobs, topLogprobs: logprobs ? 5 : 0)
        }

        @Test func greedyAlternativesAreIdentical() throws {
            let generator = try Self.generator()
            let outcome = generator.generate(
                try Self.request(generator, n: 3, temperature: 0), cancel: CancellationFlag(), onDelta: { _ in })
            #expect(outcome.choices.count == 3)
            #expect(!outcome.text.isEmpty)
            #expect(outcome.choices.allSatisfy { $0.text == outcome.text && $0.tokens == outcome.tokens })
        }

        /// Temperature 1 with a seed: the three differ, the same seed repeats them, and choice 0
        /// is exactly the answer n = 1 gives with that seed. Deltas rebuild each choice's text.
        @Test func seededAlternativesDifferAndRepeat() throws {
            let generator = try Self.generator()
            var streamed = ["", "", ""]
            let first = generator.generate(
                try Self.request(generator, n: 3, temperature: 1), cancel: CancellationFlag(),
                onDelta: {
                    streamed[$0.choice] += $0.text
                })
            let again = generator.generate(
                try Self.request(generator, n: 3, temperature: 1), cancel: CancellationFlag(), onDelta: { _ in })
            let single = generator.generate(
                try Self.request(generator, n: 1, temperature: 1), cancel: CancellationFlag(), onDelta: { _ in })
            let texts = first.choices.map(\.text)
            print("seed 5, n = 3: \(texts)")
            #expect(Set(texts).count > 1)
            #expect(again.choices.map(\.text) == texts)
            #expect(single.choices.count == 1 && single.text == texts[0] && single.tokens == first.tokens)
            #expect(streamed == texts)
            #expect(first.completionTokens == first.choices.reduce(0) { $0 + $1.tokens.count })
            // The cache keeps choice 0 for the next turn.
            #expect(generator.cachedTokens.count == generator.predictor.position)
            #expect(generator.predictor.freeCells == 1024 - generator.predictor.position)
        }

        /// A stop string found in one alternative ends that one only; the others run as before.
        @Test func alternativesFinishIndependently() throws {
            let generator = try Self.generator()
            let free = generator.generate(
                try Self.request(generator, n: 3, temperature: 1, maxTokens: 32),
                cancel: CancellationFlag(), onDelta: { _ in })
            // A word of choice 1 that the others never write.
            let words = free.choices[1].text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            let candidate = words.first { word in
                word.count >= 4 && !free.choices[0].text.contains(word) && !free.choices[2].text.contains(word)
            }
            let stop = try #require(candidate)
            let stopped = generator.generate(
                try Self.request(generator, n: 3, temperature: 1, maxTokens: 32, stop: [stop]),
                cancel: CancellationFlag(), onDelta: { _ in })
            #expect(stopped.choices[1].finishReason == .stop)
            #expect(stopped.choices[1].tokens.count < free.choices[1].tokens.count)
            #expect(free.choices[1].text.hasPrefix(stopped.choices[1].text))
            #expect(!stopped.choices[1].text.contains(stop))
            for index in [0, 2] { #expect(stopped.choices[index] == free.choices[index]) }
        }

        /// Scores: one per token, logprob of the chosen token equals a plain double log-softmax of
        /// the logits, the cross-entropy is their mean NLL, and greedy tokens are the top ones.
        @Test func scoresAreTheLogSoftmaxOfTheLogits() throws {
            let generator = try Self.generator()
            var deltaScores = 0
            let outcome = generator.generate(
                try Self.request(generator, n: 2, temperature: 0, logprobs: true),
                cancel: CancellationFlag(), onDelta: { deltaScores += $0.scores.count })
            for choice in outcome.choices {
                #expect(choice.scores.map(\.token) == choice.tokens)
                let mean = -choice.scores.reduce(0) { $0 + $1.logprob } / Double(choice.tokens.count)
                #expect(abs((choice.crossEntropy ?? 0) - mean) < 1e-9)
                for score in choice.scores {
                    #expect(score.top.count == 5 && score.top[0].token == score.token)
                    #expect(abs(score.top[0].logprob - score.logprob) < 1e-12)
                    #expect(score.logprob <= 0)
                }
            }
            #expect(deltaScores == outcome.completionTokens)
        }

        /// For each greedy step of llama.cpp's references, our logprob of the top token and the
        /// top-5 alternatives equal the log-softmax of the logits: at the first step from
        /// llama.cpp's own top-5 logits (the normalizer from our full row, whose top-5 match
        /// llama.cpp's within 1e-3), at later steps from a plain double log-softmax of our logits.
        @Test func greedyStepsMatchReferenceLogSoftmax() throws {
            let data = try Data(contentsOf: ModelFixtures.referenceURL("SmolLM2-135M-Instruct.Q4_1.greedy.json"))
            let cases = try JSONDecoder().decode([GreedyDecodingTests.Case].self, from: data)
            let model = try LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
            var steps = 0
            for item in cases {
                let transformer = try Transformer(model: model, contextLength: 512, threads: 2)
                var logits = try transformer.evaluate(item.prompt_tokens, logits: .last)
                for (step, token) in item.greedy_tokens.enumerated() {
                    let row = Array(logits.last)
                    let expected = LogSoftmaxTests.naive(row)
                    let score = LogSoftmax.score(token, logits: logits.last, top: 5)
                    if step == 0 {
                        let normalizer = Double(row[Int(token)]) - expected[Int(token)]
                        for (ours, reference) in zip(score.top, item.first_step_top5) {
                            #expect(ours.token == Int32(reference.token))
                            #expect(abs(ours.logprob - (Double(reference.logit) - normalizer)) <= 1e-3)
                        }
                    }
                    #expect(score.top.first?.token == token, "step \(step): the greedy token is the most likely")
                    #expect(abs(score.logprob - expected[Int(token)]) <= 1e-3)
                    let order = expected.indices.sorted { expected[$0] > expected[$1] }.prefix(5)
                    for (alternative, index) in zip(score.top, order) {
                        #expect(alternative.token == Int32(index))
                        #expect(abs(alternative.logprob - expected[index]) <= 1e-3)
                    }
                    steps += 1
                    if step + 1 < item.greedy_tokens.count { logits = try transformer.evaluate(token: token) }
                }
            }
            #expect(steps > 40)
        }

        /// n = 4 answers of 24 tokens: the cache holds the prompt once plus the four answers.
        @Test func fourAnswersUseThePromptOnce() throws {
            let generator = try Self.generator()
            let request = try Self.request(generator, n: 4, temperature: 1, seed: 9, maxTokens: 24)
            var peak = 0
            let transformer = try #require(generator.predictor as? Transformer)
            let outcome = generator.generate(
                request, cancel: CancellationFlag(),
                onDelta: { _ in
                    peak = max(peak, transformer.cellsInUse)
                })
            // Each choice's last token is sampled but never evaluated.
            let evaluated = outcome.choices.reduce(0) { $0 + max(0, $1.tokens.count - 1) }
            print(
                "n = 4: peak cells \(peak), prompt \(request.promptTokens.count), answers \(outcome.choices.map(\.tokens.count))"
            )
            #expect(peak <= request.promptTokens.count + evaluated)
            #expect(peak > request.promptTokens.count)
        }
    }
}
