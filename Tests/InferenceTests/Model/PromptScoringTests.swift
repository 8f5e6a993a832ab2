import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// A prompt's own tokens scored in the batched generator (`GenerationRequest.scoresPrompt`,
    /// the text API's `echo` with `logprobs`), on the real SmolLM2 Q4_1 and Gemma 3 270M: the
    /// scores give llama.cpp's perplexity on the shared GPL-3 excerpt, a request scores the same
    /// beside others as alone, never takes its prompt from the cache, and keeps its greedy answer.
    @Suite(.requires(.smolLM2Q4_1)) struct PromptScoringTests {
        typealias Parts = BatchedGeneratorTests

        /// Runs `requests` through one generator on `file` with `slots` slots, admitting each as a
        /// slot frees; returns each outcome and the scores each reported through `onPromptScored`.
        static func run(_ requests: [GenerationRequest], file: GGUFFile, slots: Int, cells: Int) throws -> (
            outcomes: [GenerationOutcome], reported: [PromptScores?]
        ) {
            let transformer = try Transformer(
                model: LanguageModel(file: file), contextLength: 1024, threads: 2, cacheCells: cells)
            let generator = BatchedGenerator(predictor: transformer, tokenizer: try Tokenizer(gguf: file), slots: slots)
            var outcomes = [GenerationOutcome?](repeating: nil, count: requests.count)
            var reported = [PromptScores?](repeating: nil, count: requests.count)
            var next = 0
            var steps = 0
            while (next < requests.count || !generator.isIdle) && steps < 10_000 {
                while next < requests.count && generator.hasFreeSlot {
                    let index = next
                    generator.admit(
                        requests[index], id: UInt64(index), onDelta: { _ in },
                        onFinish: { outcomes[index] = $0 },
                        onPromptScored: { scores in
                            #expect(reported[index] == nil, "reported once")
                            reported[index] = scores
                        })
                    next += 1
                }
                generator.step()
                steps += 1
            }
            return (try outcomes.map { try #require($0) }, reported)
        }

        static func scoring(_ tokens: [Int32], maxTokens: Int = 0, top: Int = 0) -> GenerationRequest {
            var request = GenerationRequest(
                promptTokens: tokens, sampler: .greedy, maxTokens: maxTokens, logprobs: top > 0, topLogprobs: top)
            request.scoresPrompt = true
            return request
        }

        /// llama.cpp's perplexity protocol read off prompt scores: each 256-token chunk of the
        /// excerpt is one prompt (BOS first for a model that adds one), and rows 128...254
        /// (predicting tokens 129...255) are counted. The chunks, admitted four at a time and
        /// sharing 64 scored rows a step, give llama.cpp's figure within `tolerance`, and
        /// `perplexity(...)` (one 128-token pass per chunk) and the first chunk scored alone
        /// within `sameWithin`.
        func scoresGiveLlamaCppsPerplexity(
            file: GGUFFile, tokens: [Int32], bos: Int32?, llamaCpp: Double, tolerance: Double, sameWithin: Double
        ) throws {
            let chunks = (0..<tokens.count / 256).map { index in
                var chunk = Array(tokens[index * 256..<(index + 1) * 256])
                if let bos { chunk[0] = bos }
                return chunk
            }
            let (outcomes, reported) = try Self.run(
                chunks.map { Self.scoring($0) }, file: file, slots: 4, cells: 4 * 256 + 64)
            var nll = 0.0
            var counted = 0
            for (index, outcome) in outcomes.enumerated() {
                #expect(outcome.errorMessage == nil)
                #expect(outcome.cachedPromptTokens == 0)
                #expect(outcome.choices.map(\.finishReason) == [.length], "max_tokens 0 ends at once")
                #expect(outcome.completionTokens == 0)
                let scores = try #require(outcome.promptScores, "chunk \(index)")
                #expect(reported[index] == scores)
                #expect(scores.first == chunks[index][0])
                #expect(scores.scores.map(\.token) == Array(chunks[index].dropFirst()))
                #expect(scores.scores.allSatisfy { $0.logprob <= 0 && $0.top.isEmpty })
                for score in scores.scores[128...254] {
                    nll -= score.logprob
                    counted += 1
                }
            }
            func chunkPerplexity(_ scores: ArraySlice<TokenScore>) -> Double {
                exp(-scores.reduce(0) { $0 + $1.logprob } / Double(scores.count))
            }
            let ppl = exp(nll / Double(counted))
            let direct = try perplexity(
                model: LanguageModel(file: file), tokens: tokens, context: 256, addBOS: bos != nil, bos: bos,
                threads: 2)
            print("prompt-score perplexity \(ppl), perplexity() \(direct.ppl), llama.cpp \(llamaCpp)")
            #expect(abs(ppl / llamaCpp - 1) < tolerance)
            #expect(abs(ppl / direct.ppl - 1) < sameWithin)

            let alone = try #require(
                try Self.run([Self.scoring(chunks[0])], file: file, slots: 1, cells: 1024).outcomes[0].promptScores)
            let together = try #require(outcomes[0].promptScores)
            let (first, firstAlone) = (
                chunkPerplexity(together.scores[128...254]), chunkPerplexity(alone.scores[128...254])
            )
            print("first chunk: \(first) beside others, \(firstAlone) alone")
            #expect(abs(first / firstAlone - 1) < sameWithin)
        }

        /// SmolLM2 Q4_1 (no BOS): llama.cpp's 21.6165 (shared/reference) within 1%.
        @Test func smolLM2ScoresGiveLlamaCppsPerplexity() throws {
            try scoresGiveLlamaCppsPerplexity(
                file: ModelFixtures.real(ModelFixtures.smolQ4_1),
                tokens: PerplexityTests.tokens(PerplexityTests.smolTokens), bos: nil, llamaCpp: 21.6165,
                tolerance: 0.01, sameWithin: 5e-4)
        }

        /// Gemma 3 270M (BOS, sliding-window layers, a 262k vocabulary): llama.cpp's figure from
        /// the committed oracle within 0.5%, issue #16's bar. Its Q6_K and attention round by the
        /// batch's size, as llama.cpp's do (ARCHITECTURE.md), and Gemma turns rounding into much
        /// larger log-probability changes than SmolLM2 (llama.cpp's own AVX2 and AVX-512 builds
        /// differ by up to 0.41 in its logits): rows evaluated 32 rather than 64 to a pass moved
        /// by about 0.1 nats each and a chunk's perplexity by 0.9%, so a chunk beside other
        /// requests (whose rows change the pass's size) is held to 2%. Measured: the excerpt
        /// 17.195 against llama.cpp's 17.157, and equal to `perplexity(...)`'s to 1e-8.
        @Test(.requires(.gemma3_270M)) func gemmaScoresGiveLlamaCppsPerplexity() throws {
            let oracle = try GemmaModelTests.oracle().perplexity
            try scoresGiveLlamaCppsPerplexity(
                file: GemmaModelTests.file(), tokens: oracle.tokens, bos: 2, llamaCpp: oracle.ppl, tolerance: 0.005,
                sameWithin: 0.02)
        }

        /// A scored request whose prompt is cached evaluates it again (cached positions have no
        /// logits), lists the alternatives asked for at every prompt token, reports its scores
        /// before its first delta, and answers with the tokens it gives unscored.
        @Test func scoringKeepsTheAnswerAndSkipsTheCache() throws {
            let (transformer, tokenizer) = try Parts.parts()
            let plain = try Parts.request(tokenizer, "Why is the sky blue?", maxTokens: 8)
            var scored = Self.scoring(plain.promptTokens, maxTokens: 8, top: 3)
            scored.sampler = plain.sampler
            let generator = BatchedGenerator(predictor: transformer, tokenizer: tokenizer, slots: 1)
            var events: [String] = []
            var outcomes: [GenerationOutcome] = []
            for (index, request) in [plain, scored].enumerated() {
                generator.admit(
                    request, id: UInt64(index), onDelta: { _ in events.append("delta \(index)") },
                    onFinish: { outcomes.append($0) }, onPromptScored: { _ in events.append("scored \(index)") })
                var steps = 0
                while !generator.isIdle && steps < 100 {
                    generator.step()
                    steps += 1
                }
            }
            #expect(outcomes.count == 2)
            #expect(outcomes[1].cachedPromptTokens == 0)
            #expect(outcomes[1].tokens == outcomes[0].tokens)
            #expect(outcomes[1].tokens.count == 8)
            #expect(outcomes[0].promptScores == nil)
            #expect(events.filter { $0.hasSuffix(" 1") }.first == "scored 1")
            #expect(events.filter { $0.hasPrefix("scored") } == ["scored 1"])
            let scores = try #require(outcomes[1].promptScores)
            #expect(scores.scores.count == plain.promptTokens.count - 1)
            for score in scores.scores {
                #expect(score.top.count == 3)
                #expect(score.top[0].logprob >= score.logprob)
                #expect(score.top[0].logprob >= score.top[1].logprob)
            }
            // The chat template's fixed text is all but certain after its first tokens.
            #expect(scores.scores.contains { $0.logprob > -0.01 })
        }
    }
}
