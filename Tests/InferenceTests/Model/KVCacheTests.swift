import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// The KV cache makes evaluation order-independent: one batch, token by token, or in chunks
    /// give the same logits, and truncating then re-evaluating equals starting afresh.
    @Suite struct KVCacheTests {
        static func promptTokens(_ count: Int) throws -> [Int32] {
            let data = try Data(
                contentsOf: ModelFixtures.referenceURL("ppl-text.SmolLM2-135M-Instruct.Q4_1.tokens.json"))
            return Array(try JSONDecoder().decode([Int32].self, from: data).prefix(count))
        }

        static func storiesTokens(_ count: Int) throws -> [Int32] {
            let data = try Data(contentsOf: ModelFixtures.referenceURL("ppl-text.stories260K.tokens.json"))
            return Array(try JSONDecoder().decode([Int32].self, from: data).prefix(count))
        }

        /// Largest absolute difference between two logit rows.
        static func difference(_ a: UnsafeBufferPointer<Float>, _ b: [Float]) -> Float {
            zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
        }

        @Test(.requires(.smolLM2Q4_1)) func smolLM2BatchTokenByTokenAndChunksAgree() throws {
            // SmolLM2's integer kernels are batch-invariant: exactly equal.
            try batchTokenByTokenAndChunksAgree(
                ModelFixtures.real(ModelFixtures.smolQ4_1), name: "SmolLM2",
                tokens: Self.promptTokens(40), tolerance: 0)
        }

        /// F32 products differ by ~1e-6 between batch shapes, and the F16 attention accumulator
        /// (llama.cpp's rounding) turns that into up to a few 1e-3 on the logits.
        @Test(.requires(.stories260K)) func storiesBatchTokenByTokenAndChunksAgree() throws {
            try batchTokenByTokenAndChunksAgree(
                ModelFixtures.real(ModelFixtures.stories), name: "stories260K",
                tokens: Self.storiesTokens(40), tolerance: 5e-3)
        }

        /// The generated tiny llama (F32, stories260K's shape): the same bound.
        @Test(.requires([.syntheticLlamaSPM])) func generatedLlamaBatchTokenByTokenAndChunksAgree() throws {
            try batchTokenByTokenAndChunksAgree(
                GGUFFile(path: GeneratedModels.llamaSPM.path), name: "synthetic-llama-spm",
                tokens: Self.storiesTokens(40), tolerance: 5e-3)
        }

        func batchTokenByTokenAndChunksAgree(_ file: GGUFFile, name: String, tokens: [Int32], tolerance: Float) throws {
            let model = try LanguageModel(file: file)

            // One call; micro-batches of 16 inside (16 + 16 + 8).
            let batched = try Transformer(model: model, contextLength: 64, threads: 2, batchSize: 16)
            let all = try batched.evaluate(tokens, logits: .all)
            let reference = (0..<tokens.count).map { Array(all.row($0)) }
            #expect(batched.position == tokens.count)

            let stepwise = try Transformer(model: model, contextLength: 64, threads: 2)
            var worstStep: Float = 0
            for (t, token) in tokens.enumerated() {
                let logits = try stepwise.evaluate(token: token)
                worstStep = max(worstStep, Self.difference(logits.last, reference[t]))
            }

            let chunked = try Transformer(model: model, contextLength: 64, threads: 1)
            _ = try chunked.evaluate(Array(tokens[0..<13]), logits: .none)
            let second = try chunked.evaluate(Array(tokens[13...]), logits: .all)
            var worstChunk: Float = 0
            for row in 0..<second.rows {
                worstChunk = max(worstChunk, Self.difference(second.row(row), reference[13 + row]))
            }
            print("\(name): token-by-token vs batch \(worstStep), chunks vs batch \(worstChunk)")
            #expect(worstStep <= tolerance)
            #expect(worstChunk <= tolerance)
        }

        @Test(.requires(.smolLM2Q4_1)) func truncateThenReevaluateEqualsFresh() throws {
            let model = try LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
            let tokens = try Self.promptTokens(48)
            let prefix = Array(tokens[0..<20])
            let oldTail = Array(tokens[20..<34])
            let newTail = Array(tokens[34..<48])

            let reused = try Transformer(model: model, contextLength: 64, threads: 2)
            _ = try reused.evaluate(prefix + oldTail, logits: .last)
            reused.truncate(to: prefix.count)
            #expect(reused.position == prefix.count)
            let afterTruncate = try reused.evaluate(newTail, logits: .all)
            let got = (0..<newTail.count).map { Array(afterTruncate.row($0)) }

            let fresh = try Transformer(model: model, contextLength: 64, threads: 2)
            let expected = try fresh.evaluate(prefix + newTail, logits: .all)
            var worst: Float = 0
            for row in 0..<newTail.count {
                worst = max(worst, Self.difference(expected.row(prefix.count + row), got[row]))
            }
            #expect(worst < 1e-3, "truncate + re-evaluate differs from fresh by \(worst)")
        }

        @Test(.requires(ModelFixtures.syntheticModels)) func rejectsOverflowAndBadTokens() throws {
            let model = try LanguageModel(file: ModelFixtures.synthetic("synthetic-qwen2"))
            let transformer = try Transformer(model: model, contextLength: 8, threads: 1)
            #expect(throws: InferenceError.contextOverflow(position: 0, tokenCount: 9, contextLength: 8)) {
                try transformer.evaluate([Int32](repeating: 1, count: 9))
            }
            #expect(throws: InferenceError.tokenOutOfRange(token: 256, vocabularySize: 256)) {
                try transformer.evaluate([1, 256])
            }
            #expect(throws: InferenceError.self) { try transformer.evaluate([]) }
            #expect(transformer.position == 0)
            _ = try transformer.evaluate([1, 2, 3, 4, 5, 6, 7, 8], logits: .none)
            #expect(throws: InferenceError.self) { try transformer.evaluate(token: 1) }
        }

        @Test(.requires(.smolLM2Q4_1)) func reportsMemory() throws {
            let model = try LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
            let half = try Transformer(model: model, contextLength: 512, threads: 1)
            // 30 layers × K and V × 512 positions × 3 heads × 64 × 2 bytes (F16 by default).
            #expect(half.cacheByteCount == 30 * 2 * 512 * 192 * 2)
            let full = try Transformer(model: model, contextLength: 512, threads: 1, cachePrecision: .f32)
            #expect(full.cacheByteCount == 30 * 2 * 512 * 192 * 4)
            _ = try full.evaluate([1, 2, 3, 4], logits: .none)
            #expect(full.cacheBytesInUse == 30 * 2 * 4 * 192 * 4)
        }
    }
}

/// A snapshot restored into a fresh transformer continues exactly like the original.
@Suite(.requires(ModelFixtures.syntheticModels)) struct KVCacheSnapshotTests {
    @Test(arguments: [KVCachePrecision.f16, .f32])
    func restoredCacheContinuesIdentically(precision: KVCachePrecision) throws {
        let model = try LanguageModel(file: ModelFixtures.synthetic("synthetic-qwen3"))
        let original = try Transformer(model: model, contextLength: 32, threads: 1, cachePrecision: precision)
        _ = try original.evaluate([5, 17, 99, 3, 42, 7], logits: .none)
        var snapshot: [UInt8] = []
        original.writeSnapshot(into: &snapshot)
        #expect(snapshot.count == original.snapshotByteCount)
        let expected = Array(try original.evaluate([11, 12], logits: .all).row(1))

        let restored = try Transformer(model: model, contextLength: 32, threads: 1, cachePrecision: precision)
        #expect(restored.snapshotGeometry == original.snapshotGeometry)
        let accepted = snapshot.withUnsafeBytes { restored.restoreSnapshot($0, tokenCount: 6) }
        #expect(accepted)
        #expect(restored.position == 6)
        let got = Array(try restored.evaluate([11, 12], logits: .all).row(1))
        #expect(got == expected)

        let wrongSize = snapshot.withUnsafeBytes { restored.restoreSnapshot($0, tokenCount: 5) }
        #expect(!wrongSize)
        #expect(restored.position == 0)
    }
}
