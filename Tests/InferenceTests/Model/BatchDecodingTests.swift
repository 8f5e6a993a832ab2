import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// The batch API on the real SmolLM2 files: sequences forked from one prompt and decoded
    /// together give what each gives decoded alone, and the prompt's cells are stored once.
    @Suite struct BatchDecodingTests {
        /// The first reference prompt (llama.cpp's tokens).
        static func referencePrompt(_ file: String) throws -> [Int32] {
            let data = try Data(contentsOf: ModelFixtures.referenceURL(file))
            return try #require(try JSONDecoder().decode([GreedyDecodingTests.Case].self, from: data).first)
                .prompt_tokens
        }

        /// The five largest logits with their ids.
        static func top5(_ logits: UnsafeBufferPointer<Float>) -> [(token: Int32, logit: Float)] {
            LogSoftmax.best(5, of: logits)
        }

        struct Model: Sendable, CustomStringConvertible {
            let name: String
            let reference: String
            /// Largest |batched − alone| allowed on a step's top-5 logits: 0 where no kernel's
            /// rounding depends on the batch (Q4_1, Q8_0), 1e-3 where llama.cpp's does too
            /// (Q4_K in groups of four rows, Q6_K tiled from eight).
            let tolerance: Float
            var description: String { name }
        }

        static let models = [
            Model(name: ModelFixtures.smolQ4_1, reference: "SmolLM2-135M-Instruct.Q4_1.greedy.json", tolerance: 0),
            Model(
                name: ModelFixtures.smolQ4_K_M, reference: "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.greedy.json",
                tolerance: 0)
        ]

        /// Four sequences forked from one prompt, each forced onto a different first token (the
        /// four most likely), then decoded greedily in batches of four for `steps` steps; each is
        /// then decoded alone in a fresh cache. Tokens equal; top-5 logits within the tolerance.
        @Test(.requires(.smolLM2Q4_1)) func batchOfFourEqualsEachAloneQ4_1() throws {
            try batchOfFourEqualsEachAlone(Self.models[0])
        }

        @Test(.requires(.smolLM2Q4_K_M)) func batchOfFourEqualsEachAloneQ4_K_M() throws {
            try batchOfFourEqualsEachAlone(Self.models[1])
        }

        func batchOfFourEqualsEachAlone(_ model: Model) throws {
            let steps = 24
            let language = try LanguageModel(file: ModelFixtures.real(model.name))
            let prompt = try Self.referencePrompt(model.reference)
            let batched = try Transformer(model: language, contextLength: 512, threads: 2, cacheCells: 1024)
            let first = Self.top5(try batched.evaluate(prompt, logits: .last).last).prefix(4).map(\.token)
            for sequence in 1..<4 { try batched.fork(sequence, from: 0) }
            #expect(batched.cellsInUse == prompt.count) // forks share the prompt's cells

            var tokens = first.map { [$0] }
            var batchedTop: [[[(token: Int32, logit: Float)]]] = Array(repeating: [], count: 4)
            var batch = TokenBatch()
            for _ in 0..<steps {
                batch.removeAll()
                for sequence in 0..<4 { batch.append(tokens[sequence].last ?? 0, sequence: sequence, logits: true) }
                let logits = try batched.evaluate(batch)
                for sequence in 0..<4 {
                    let top = Self.top5(logits.row(sequence))
                    batchedTop[sequence].append(top)
                    tokens[sequence].append(top[0].token)
                }
                // KV memory: the prompt once plus every sequence's own tokens, nothing more.
                #expect(batched.cellsInUse == prompt.count + tokens.reduce(0) { $0 + $1.count - 1 })
            }

            // Each sequence alone, fed the batched run's tokens (teacher-forced, so one near-tie
            // cannot end the comparison): the same greedy token wherever its lead exceeds twice
            // the tolerance, and the batched top-5 tokens' logits within the tolerance.
            var worst: Float = 0
            var ties = 0
            for sequence in 0..<4 {
                let alone = try Transformer(model: language, contextLength: 512, threads: 2)
                _ = try alone.evaluate(prompt, logits: .none)
                for step in 0..<steps {
                    let row = try alone.evaluate(token: tokens[sequence][step]).last
                    let top = Self.top5(row)
                    if top[0].logit - top[1].logit > 2 * model.tolerance {
                        #expect(top[0].token == tokens[sequence][step + 1], "sequence \(sequence) step \(step)")
                    } else {
                        ties += 1
                    }
                    for batchedCandidate in batchedTop[sequence][step] {
                        worst = max(worst, abs(row[Int(batchedCandidate.token)] - batchedCandidate.logit))
                    }
                }
            }
            print(
                "batch of 4 vs alone, \(model.name): top-5 logits differ by at most \(worst); \(ties) near-ties of \(4 * steps) steps"
            )
            #expect(worst <= model.tolerance)
        }

        /// Removing, truncating and keeping one sequence: `keepOnly` moves a sequence whose cells
        /// are scattered to the front, after which it evaluates exactly as one never batched.
        @Test(.requires(.smolLM2Q4_1)) func keepOnlyCompactsAndStaysExact() throws {
            let language = try LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
            let prompt = try Self.referencePrompt("SmolLM2-135M-Instruct.Q4_1.greedy.json")
            let continuation: [Int32] = [
                19556, 17, 339, 5248, 1535, 288, 724, 351, 750, 1942, 282, 4833, 2385, 1391,
                30, 1812, 6633, 346, 1535, 1834, 47
            ]
            let transformer = try Transformer(model: language, contextLength: 256, threads: 2, cacheCells: 512)
            _ = try transformer.evaluate(prompt, logits: .none)
            try transformer.fork(1, from: 0)
            try transformer.fork(2, from: 0)
            var batch = TokenBatch()
            // Interleave growth so sequence 2's cells are not contiguous (runs of 32 cells).
            for token in continuation + continuation {
                batch.removeAll()
                batch.append(token, sequence: 1, logits: false)
                batch.append(token, sequence: 2, logits: true)
                _ = try transformer.evaluate(batch)
            }
            try transformer.truncate(sequence: 2, to: prompt.count + continuation.count)
            transformer.remove(sequence: 0)
            transformer.keepOnly(sequence: 2)
            #expect(transformer.sequenceIDs == [0])
            #expect(transformer.position == prompt.count + continuation.count)
            #expect(transformer.cellsInUse == transformer.position)
            let after = Array(try transformer.evaluate(token: 2).last)

            let fresh = try Transformer(model: language, contextLength: 256, threads: 2)
            _ = try fresh.evaluate(prompt + continuation, logits: .none)
            let expected = Array(try fresh.evaluate(token: 2).last)
            #expect(after == expected)
        }

        @Test(.requires(.smolLM2Q4_1)) func badBatchesAreRejected() throws {
            let language = try LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1))
            let transformer = try Transformer(model: language, contextLength: 16, threads: 1)
            var batch = TokenBatch()
            #expect(throws: InferenceError.self) { try transformer.evaluate(batch) }
            batch.append(-1, sequence: 0, logits: true)
            #expect(throws: InferenceError.self) { try transformer.evaluate(batch) }
            batch.removeAll()
            batch.append(Array(repeating: Int32(1), count: 17), sequence: 3)
            #expect(throws: InferenceError.self) { try transformer.evaluate(batch) }
            #expect(throws: InferenceError.self) { try transformer.fork(1, from: 0, length: 5) }
            #expect(transformer.cellsInUse == 0)
        }
    }
}
