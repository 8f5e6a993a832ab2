import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// Continuous batching on the real SmolLM2 Q4_1: requests that join at different steps,
    /// with their prompts prefilled in chunks beside running streams, each give exactly the
    /// tokens they give alone (`TextGenerator`, what `parley run` uses); cancels free slots; a
    /// prompt that extends a finished one reuses its cached cells.
    @Suite(.requires(.smolLM2Q4_1)) struct BatchedGeneratorTests {
        static let questions = [
            "What is 2+2?", "Write a short poem about the sea.", "Name three colours of the rainbow.",
            "Tell me a long story about a lighthouse keeper.", "Why is the sky blue?"
        ]

        static func chat(_ text: String) -> String {
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n\(text)<|im_end|>\n<|im_start|>assistant\n"
        }

        static func parts(cells: Int = 4096) throws -> (Transformer, Tokenizer) {
            let file = try ModelFixtures.real(ModelFixtures.smolQ4_1)
            let transformer = try Transformer(
                model: LanguageModel(file: file), contextLength: 1024, threads: 2,
                cacheCells: cells)
            return (transformer, try Tokenizer(gguf: file))
        }

        static func request(_ tokenizer: Tokenizer, _ text: String, maxTokens: Int = 24) throws -> GenerationRequest {
            GenerationRequest(
                promptTokens: try tokenizer.encode(chat(text), addSpecial: true, parseSpecial: true),
                sampler: .greedy, maxTokens: maxTokens)
        }

        /// The tokens each request gives alone, in a fresh cache.
        static func alone(_ requests: [GenerationRequest]) throws -> [[Int32]] {
            try requests.map { request in
                let (transformer, tokenizer) = try parts(cells: 1024)
                return TextGenerator(predictor: transformer, tokenizer: tokenizer)
                    .generate(request, cancel: CancellationFlag(), onText: { _ in }).tokens
            }
        }

        /// Collects what the generator reports, by request id.
        final class Results {
            var outcomes: [UInt64: GenerationOutcome] = [:]
            var text: [UInt64: String] = [:]
            func delta(_ id: UInt64) -> BatchedGenerator.Delta { { self.text[id, default: ""] += $0.text } }
            func finish(_ id: UInt64) -> BatchedGenerator.Finish { { self.outcomes[id] = $0 } }
        }

        /// Four requests, one joining every few steps with a prefill chunk of 8 tokens, so
        /// prompts are evaluated beside decoding rows of other sequences: each request's greedy
        /// tokens and text equal its answer alone.
        @Test func requestsJoiningBetweenStepsEqualTheirAnswersAlone() throws {
            let (transformer, tokenizer) = try Self.parts()
            let requests = try Self.questions.prefix(4).map { try Self.request(tokenizer, $0) }
            let expected = try Self.alone(requests)
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 4)
            generator.prefillChunk = 8
            let results = Results()
            var steps = 0
            for (index, request) in requests.enumerated() {
                let id = UInt64(index)
                generator.admit(request, id: id, onDelta: results.delta(id), onFinish: results.finish(id))
                for _ in 0..<5 {
                    generator.step()
                    steps += 1
                }
            }
            while !generator.isIdle && steps < 500 {
                generator.step()
                steps += 1
            }
            #expect(generator.isIdle)
            for index in requests.indices {
                let outcome = try #require(results.outcomes[UInt64(index)])
                #expect(outcome.tokens == expected[index], "request \(index)")
                #expect(outcome.errorMessage == nil)
                #expect(results.text[UInt64(index)] == outcome.text)
            }
        }

        /// A long prompt joining a running stream is prefilled `prefillChunk` tokens per step,
        /// and the running stream gets a token on every one of those steps.
        @Test func aLongPromptDoesNotStallARunningStream() throws {
            let (transformer, tokenizer) = try Self.parts()
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 2)
            generator.prefillChunk = 16
            var tokens = 0
            let running = try Self.request(tokenizer, Self.questions[3], maxTokens: 200)
            generator.admit(running, id: 1, onDelta: { _ in }, onFinish: { _ in })
            generator.step() // its prompt, alone, in one chunk
            let long = try Self.request(
                tokenizer, String(repeating: "The keeper climbs the stairs. ", count: 20),
                maxTokens: 4)
            #expect(long.promptTokens.count > 100)
            var prefillSteps = 0
            var firstTokenStep: Int?
            // The system prompt and the user turn's header are shared with the running request.
            let reused = generator.admit(
                long, id: 2,
                onDelta: { delta in
                    if delta.choice == 0, firstTokenStep == nil { firstTokenStep = prefillSteps }
                }, onFinish: { _ in })
            let before = transformer.length(of: 1)
            while firstTokenStep == nil && prefillSteps < 100 {
                generator.step()
                prefillSteps += 1
                tokens = transformer.length(of: 1) - before
                #expect(tokens == prefillSteps, "the running stream evaluates one token per step")
            }
            // The long prompt took one step per chunk of 16 (its sampled first token may be held
            // back for a possible multi-byte character, so allow one more step).
            #expect(reused > 10)
            let chunks = (long.promptTokens.count - reused + 15) / 16
            #expect(prefillSteps >= chunks && prefillSteps <= chunks + 2, "\(prefillSteps) steps for \(chunks) chunks")
        }

        /// Rows of different requests are sampled in parallel on the pool: with seeded sampling,
        /// two alternatives, logprobs and a stop string side by side, every outcome and every
        /// request's stream of deltas equal those of the same steps sampled one row at a time.
        @Test func parallelSamplingEqualsSerialSampling() throws {
            func run(parallel: Bool) throws -> (
                outcomes: [UInt64: GenerationOutcome], deltas: [UInt64: [GenerationDelta]]
            ) {
                let (transformer, tokenizer) = try Self.parts()
                let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 4)
                generator.samplesInParallel = parallel
                generator.prefillChunk = 16
                var outcomes: [UInt64: GenerationOutcome] = [:]
                var deltas: [UInt64: [GenerationDelta]] = [:]
                for (index, question) in Self.questions.prefix(4).enumerated() {
                    var request = try Self.request(tokenizer, question, maxTokens: 40)
                    request.sampler = SamplerSettings(temperature: 0.9, seed: 7 + UInt64(index))
                    if index == 1 { request.choices = 2 }
                    if index == 2 { (request.logprobs, request.topLogprobs) = (true, 3) }
                    if index == 3 { request.stop = [" the"] }
                    let id = UInt64(index)
                    generator.admit(
                        request, id: id, onDelta: { deltas[id, default: []].append($0) },
                        onFinish: { outcomes[id] = $0 })
                    generator.step()
                }
                var steps = 0
                while !generator.isIdle && steps < 500 {
                    generator.step()
                    steps += 1
                }
                return (outcomes, deltas)
            }
            let serial = try run(parallel: false)
            let parallel = try run(parallel: true)
            #expect(serial.outcomes.count == 4)
            for id in UInt64(0)..<4 {
                let expected = try #require(serial.outcomes[id])
                let outcome = try #require(parallel.outcomes[id])
                #expect(outcome.choices == expected.choices, "request \(id)")
                #expect(parallel.deltas[id] == serial.deltas[id], "request \(id)")
            }
            #expect(serial.outcomes[1]?.choices.count == 2)
            #expect(serial.outcomes[2]?.choices.first?.scores.first?.top.count == 3)
        }

        /// Cancelling a running request ends it as cancelled with its text so far, frees its
        /// slot at once, and the next request runs to the same answer as alone.
        @Test func cancellingFreesTheSlot() throws {
            let (transformer, tokenizer) = try Self.parts()
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 1)
            let results = Results()
            generator.admit(
                try Self.request(tokenizer, Self.questions[3], maxTokens: 200), id: 1,
                onDelta: results.delta(1), onFinish: results.finish(1))
            for _ in 0..<6 { generator.step() }
            #expect(!generator.hasFreeSlot)
            generator.cancel(1)
            let cancelled = try #require(results.outcomes[1])
            #expect(cancelled.finishReason == .cancelled)
            #expect(cancelled.tokens.count == 6) // one sampled per step, the prompt's step included
            #expect(generator.hasFreeSlot && generator.isIdle)

            let next = try Self.request(tokenizer, Self.questions[0])
            generator.admit(next, id: 2, onDelta: results.delta(2), onFinish: results.finish(2))
            while !generator.isIdle { generator.step() }
            #expect(results.outcomes[2]?.tokens == (try Self.alone([next]))[0])
        }

        /// The next turn of a conversation (its prompt extends the last prompt and answer) reuses
        /// the cells of the finished request: only the new tokens are evaluated, and the answer
        /// is the one the whole prompt gives alone.
        @Test func theNextTurnReusesTheCachedPrompt() throws {
            let (transformer, tokenizer) = try Self.parts()
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 2)
            let results = Results()
            let first = try Self.request(tokenizer, Self.questions[0])
            #expect(generator.admit(first, id: 1, onDelta: results.delta(1), onFinish: results.finish(1)) == 0)
            while !generator.isIdle { generator.step() }
            let answer = try #require(results.outcomes[1])
            let cached = first.promptTokens + answer.tokens.dropLast(answer.finishReason == .stop ? 0 : 1)

            let followUp =
                "\(Self.chat(Self.questions[0]))\(answer.text)<|im_end|>\n<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n"
            var second = first
            second.promptTokens = try tokenizer.encode(followUp, addSpecial: true, parseSpecial: true)
            let common = zip(cached, second.promptTokens).prefix { $0 == $1 }.count
            #expect(common > first.promptTokens.count)
            let reused = generator.admit(second, id: 2, onDelta: results.delta(2), onFinish: results.finish(2))
            #expect(reused == common)
            while !generator.isIdle { generator.step() }
            let outcome = try #require(results.outcomes[2])
            #expect(outcome.cachedPromptTokens == common)
            #expect(outcome.tokens == (try Self.alone([second]))[0])
        }
    }
}
