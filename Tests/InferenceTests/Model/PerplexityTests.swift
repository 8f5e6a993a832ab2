import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// Perplexity on the shared GPL-3 excerpt, by llama.cpp's protocol (ctx 256, second half
    /// scored), within 1% of llama.cpp's figures (`shared/reference/README.md` §1, F16 KV column).
    @Suite struct PerplexityTests {
        static func tokens(_ file: String) throws -> [Int32] {
            let data = try Data(contentsOf: ModelFixtures.referenceURL(file))
            return try JSONDecoder().decode([Int32].self, from: data)
        }

        static let smolTokens = "ppl-text.SmolLM2-135M-Instruct.Q4_1.tokens.json"

        @Test(.requires(.smolLM2Q4_1)) func smolLM2Q4_1MatchesLlamaCpp() throws {
            try matchesLlamaCpp(
                model: ModelFixtures.smolQ4_1, tokenFile: Self.smolTokens, addBOS: false, expected: 21.6165)
        }

        @Test(.requires(.smolLM2Q4_K_M)) func smolLM2Q4_K_MMatchesLlamaCpp() throws {
            try matchesLlamaCpp(
                model: ModelFixtures.smolQ4_K_M, tokenFile: Self.smolTokens, addBOS: false, expected: 22.6756)
        }

        @Test(
            .requires(.stories260K),
            arguments: [(ModelFixtures.stories, "ppl-text.stories260K.tokens.json", true, 77.1352)])
        func matchesLlamaCpp(model name: String, tokenFile: String, addBOS: Bool, expected: Double) throws {
            let model = try LanguageModel(file: ModelFixtures.real(name))
            let tokens = try Self.tokens(tokenFile)
            let result = try perplexity(
                model: model, tokens: tokens, context: 256, addBOS: addBOS, bos: 1,
                threads: Transformer.defaultThreads)
            print("perplexity \(name): \(result.ppl) (llama.cpp \(expected)), \(result.perChunk.count) chunks")
            #expect(result.perChunk.count == tokens.count / 256)
            #expect(abs(result.ppl / expected - 1) < 0.01, "\(name): \(result.ppl) vs llama.cpp \(expected)")
        }

        @Test(.requires(ModelFixtures.syntheticModels)) func rejectsTooFewTokens() throws {
            let model = try LanguageModel(file: ModelFixtures.synthetic("synthetic-qwen2"))
            #expect(throws: InferenceError.self) {
                try perplexity(model: model, tokens: [1, 2, 3], context: 256, addBOS: false, bos: nil, threads: 1)
            }
        }
    }
}
