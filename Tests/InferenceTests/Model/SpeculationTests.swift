import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// Prompt-lookup speculation on the real SmolLM2 files: the same tokens, text, scores,
    /// finish reasons and cache as decoding without it, for greedy and seeded sampling, with stop
    /// strings, `maxTokens` and cancels landing on drafted tokens.
    @Suite struct SpeculationTests {
        /// A summary (repeats much of its input, so drafts are made and accepted), a poem (few
        /// drafts), and a list copied back (almost all drafted). The first is long enough that
        /// decoding passes 256 cached positions, where one-token attention changes kernel.
        static let prompts = [
            summaryPrompt,
            "<|im_start|>user\nWrite a short poem about the sea.<|im_end|>\n<|im_start|>assistant\n",
            "<|im_start|>user\nRepeat this list exactly: apples, pears, plums, cherries, grapes, lemons, limes, "
                + "oranges, figs, dates.<|im_end|>\n<|im_start|>assistant\n"
        ]

        static let summaryPrompt: String = {
            let text = """
                Parley is a full-screen terminal chat that runs GGUF transformer models in-process on the \
                CPU. It reads the model file with a bounds-checked parser, maps the weights into memory \
                and evaluates them with quantized kernels that round exactly as llama.cpp does. The chat \
                keeps every conversation as a JSON transcript, one file per conversation, written \
                atomically after every turn. A prompt cache saved beside a transcript lets a continued \
                conversation evaluate only its new turn. The same engine serves an OpenAI-compatible \
                HTTP API with continuous batching, so several requests share each forward pass. Models \
                are downloaded from Hugging Face with resumable transfers and checked by their SHA-256 \
                digest before they are installed. Themes, key bindings and named endpoints are read \
                from a configuration file, and the user interface is a pure function of its state, \
                tested as grids of text.
                """
            return "<|im_start|>user\nSummarise this text in a few sentences:\n\n\(text)<|im_end|>\n"
                + "<|im_start|>assistant\n"
        }()

        static func generator(_ name: String, speculate: Bool) throws -> TextGenerator {
            let file = try ModelFixtures.real(name)
            let transformer = try Transformer(
                model: LanguageModel(file: file), contextLength: 1024, threads: 2, cacheCells: 1024)
            let generator = TextGenerator(predictor: transformer, tokenizer: try Tokenizer(gguf: file))
            generator.speculation.enabled = speculate
            return generator
        }

        struct Run: Equatable {
            var outcome: GenerationOutcome
            var deltas: [GenerationDelta]
            var cached: [Int32]

            /// Everything but the timings and speculation counts.
            func same(as other: Run) -> Bool {
                outcome.choices == other.outcome.choices && deltas == other.deltas && cached == other.cached
                    && outcome.errorMessage == other.outcome.errorMessage
            }
        }

        static func run(
            _ generator: TextGenerator, prompt: String, sampler: SamplerSettings = .greedy, maxTokens: Int = 96,
            stop: [String] = [], cancelAfterDeltas: Int? = nil
        ) throws -> Run {
            let request = GenerationRequest(
                promptTokens: try generator.tokenizer.encode(prompt, addSpecial: true, parseSpecial: true),
                sampler: sampler, maxTokens: maxTokens, stop: stop, logprobs: true, topLogprobs: 3)
            let cancel = CancellationFlag()
            var deltas: [GenerationDelta] = []
            let outcome = generator.generate(request, cancel: cancel) { delta in
                deltas.append(delta)
                if let limit = cancelAfterDeltas, deltas.count >= limit { cancel.cancel() }
            }
            return Run(outcome: outcome, deltas: deltas, cached: generator.cachedTokens)
        }

        static func compare(_ name: String, sampler: SamplerSettings) throws {
            let plain = try generator(name, speculate: false)
            let fast = try generator(name, speculate: true)
            var counts = SpeculationCounts()
            for prompt in prompts {
                let expected = try run(plain, prompt: prompt, sampler: sampler)
                let actual = try run(fast, prompt: prompt, sampler: sampler)
                #expect(expected.outcome.speculation == SpeculationCounts())
                #expect(actual.same(as: expected), "\(name): \(actual.outcome.text) ≠ \(expected.outcome.text)")
                #expect(fast.predictor.position == actual.cached.count)
                print("\(name) \(sampler.temperature): \(actual.outcome.speculation) \(actual.outcome.text.prefix(60))")
                counts.drafted += actual.outcome.speculation.drafted
                counts.accepted += actual.outcome.speculation.accepted
            }
            // The summary and the list must actually exercise verification.
            #expect(counts.accepted >= 10, "\(counts)")
            #expect(counts.drafted > counts.accepted, "\(counts)")
        }

        @Test(.requires(.smolLM2Q4_1)) func greedyIdenticalQ4_1() throws {
            try Self.compare(ModelFixtures.smolQ4_1, sampler: .greedy)
        }

        /// Q4_K's batched kernels round differently from its one-token kernel; verification must
        /// take the one-token arithmetic for every row (`decodesRowsAlone`).
        @Test(.requires(.smolLM2Q4_K_M)) func greedyIdenticalQ4_K_M() throws {
            try Self.compare(ModelFixtures.smolQ4_K_M, sampler: .greedy)
        }

        /// With a seed, every transform (temperature, top-k/p, min-p, penalties, bias) on: the
        /// acceptance rule draws each token exactly as plain decoding does, so even the sampled
        /// answer is token for token the same.
        @Test(.requires(.smolLM2Q4_1)) func seededSamplingIdentical() throws {
            let sampler = SamplerSettings(
                temperature: 0.7, topK: 30, topP: 0.9, minP: 0.02, repeatPenalty: 1.05, presencePenalty: 0.1,
                frequencyPenalty: 0.05, logitBias: [13: -1], seed: 42)
            try Self.compare(ModelFixtures.smolQ4_1, sampler: sampler)
        }

        /// `maxTokens` cutting a draft, stop strings ending inside one, and cancels landing on
        /// drafted tokens all leave the same answer and cache as without speculation.
        @Test(.requires(.smolLM2Q4_1)) func limitsStopsAndCancelsAreUnchanged() throws {
            let plain = try Self.generator(ModelFixtures.smolQ4_1, speculate: false)
            let fast = try Self.generator(ModelFixtures.smolQ4_1, speculate: true)
            let prompt = Self.prompts[2]
            let free = try Self.run(plain, prompt: prompt)
            // Words from the middle of the answer, where drafts are long.
            let words = free.outcome.text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            #expect(words.count >= 6)
            var cases: [(maxTokens: Int, stop: [String], cancel: Int?)] = [1, 2, 3, 5, 8, 13].map { ($0, [], nil) }
            cases += words.prefix(6).map { (96, [$0], nil) }
            cases += [(96, ["s, p"], nil), (96, [", "], nil)]
            cases += [1, 2, 4, 7, 11].map { (96, [], $0) }
            for item in cases {
                let expected = try Self.run(
                    plain, prompt: prompt, maxTokens: item.maxTokens, stop: item.stop, cancelAfterDeltas: item.cancel)
                let actual = try Self.run(
                    fast, prompt: prompt, maxTokens: item.maxTokens, stop: item.stop, cancelAfterDeltas: item.cancel)
                #expect(actual.same(as: expected), "\(item): \(actual.outcome.text) ≠ \(expected.outcome.text)")
                #expect(fast.predictor.position == actual.cached.count)
            }
        }
    }
}
