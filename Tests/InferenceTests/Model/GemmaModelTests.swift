import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// Gemma 3 270M (base, Q4_K_M) against llama.cpp built from the same sdist: the oracle's outputs
/// are committed as `Tests/Fixtures/reference/gemma-3-270m.oracle.json`
/// (`Scripts/reference/llama-cpp-oracle/gemma_goldens.py`), so no llama.cpp is needed here.
@Suite(.requires(.gemma3_270M), .serialized) struct GemmaModelTests {
    struct Oracle: Decodable {
        struct Perplexity: Decodable {
            let context: Int
            let ppl: Double
            let tokens: [Int32]
        }

        struct Greedy: Decodable {
            struct Candidate: Decodable {
                let token: Int
                let logit: Float
            }

            let prompt: String
            let prompt_tokens: [Int32]
            let first_step_top5: [Candidate]
            let greedy_tokens: [Int32]
        }

        struct Vector: Decodable {
            let text: String
            let ids: [Int32]
        }

        let perplexity: Perplexity
        let greedy: [Greedy]
        let vectors: [Vector]
    }

    static func oracle() throws -> Oracle {
        let data = try Data(contentsOf: ModelFixtures.referenceURL("gemma-3-270m.oracle.json"))
        return try JSONDecoder().decode(Oracle.self, from: data)
    }

    static func file() throws -> GGUFFile { try ModelFixtures.real(TestModel.gemma3_270M.fileName) }

    /// The real file's metadata: five sliding layers (window 512, base 10,000) to one global.
    @Test func configReadsTheInterleavedLayers() throws {
        let config = try ModelConfig(file: Self.file())
        #expect(config.architecture == .gemma3 && config.layerCount == 18 && config.headDimension == 256)
        let global = (0..<18).filter { config.shape(ofLayer: $0).slidingWindow == nil }
        #expect(global == [5, 11, 17])
        #expect(config.shape(ofLayer: 0) == LayerShape(slidingWindow: 512, ropeBase: 10_000))
        #expect(config.shape(ofLayer: 5) == LayerShape(ropeBase: 1_000_000))
        #expect(config.tiedOutput && config.embeddingScale == Float(640).squareRoot())
    }

    /// llama.cpp's 46 tokenizer test inputs, tokenized with Gemma's 262k vocabulary.
    @Test func tokenizerVectorsMatchLlamaCpp() throws {
        let tokenizer = try Tokenizer(gguf: Self.file())
        let oracle = try Self.oracle()
        #expect(oracle.vectors.count == 46)
        for vector in oracle.vectors {
            let ids = try tokenizer.encode(vector.text, addSpecial: true, parseSpecial: true)
            #expect(ids == vector.ids, "\(vector.text.debugDescription)")
        }
        let text = try String(contentsOf: ModelFixtures.referenceURL("ppl-text.txt"), encoding: .utf8)
        #expect(try tokenizer.encode(text, addSpecial: true, parseSpecial: false) == oracle.perplexity.tokens)
    }

    /// Perplexity on the GPL-3 excerpt (ctx 256, llama.cpp's protocol) within 0.5% of llama.cpp's.
    @Test func perplexityMatchesLlamaCpp() throws {
        let oracle = try Self.oracle().perplexity
        let model = try LanguageModel(file: Self.file())
        let result = try perplexity(
            model: model, tokens: oracle.tokens, context: oracle.context, addBOS: true, bos: 2,
            threads: Transformer.defaultThreads)
        print("perplexity gemma-3-270m: \(result.ppl) (llama.cpp \(oracle.ppl)), \(result.perChunk.count) chunks")
        #expect(abs(result.ppl / oracle.ppl - 1) < 0.005, "\(result.ppl) vs llama.cpp \(oracle.ppl)")
    }

    /// Three raw prompts: our tokens, the first step's top-5 logits within 0.01 of llama.cpp's
    /// (issue #16's bar) and the same 24 greedy tokens. The oracle is llama.cpp built for AVX2,
    /// like every other reference: its AVX-512 build sums the F16 attention's q·k in another
    /// order, which moves these logits by up to 0.41 (the earlier golden came from that build).
    @Test func greedyContinuationsMatchLlamaCpp() throws {
        let tokenizer = try Tokenizer(gguf: Self.file())
        let model = try LanguageModel(file: Self.file())
        let cases = try Self.oracle().greedy
        #expect(cases.count == 3)
        for item in cases {
            #expect(try tokenizer.encode(item.prompt, addSpecial: true, parseSpecial: false) == item.prompt_tokens)
            let transformer = try Transformer(model: model, contextLength: 1024)
            var logits = try transformer.evaluate(item.prompt_tokens, logits: .last)
            var worst: Float = 0
            for candidate in item.first_step_top5 {
                worst = max(worst, abs(logits.last[candidate.token] - candidate.logit))
            }
            #expect(worst <= 0.01, "\(item.prompt.debugDescription): first-step top-5 logits differ by \(worst)")
            var generated: [Int32] = []
            for _ in item.greedy_tokens {
                let row = logits.last
                var best = 0
                for i in 1..<row.count where row[i] > row[best] { best = i }
                generated.append(Int32(best))
                if generated.count < item.greedy_tokens.count { logits = try transformer.evaluate(token: Int32(best)) }
            }
            #expect(generated == item.greedy_tokens, "\(item.prompt.debugDescription)")
            print("gemma greedy \(item.prompt.debugDescription): first-step top-5 within \(worst)")
        }
    }
}
