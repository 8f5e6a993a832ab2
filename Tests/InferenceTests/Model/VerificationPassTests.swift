import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// A speculative verification pass (`TokenBatch.decodesRowsAlone`) deep in the cache: its
    /// rows attend over several chunks, which `AttentionWorkLayout` computes one chunk at a time
    /// for all rows of the pass (so the chunk's keys and values are read once), and its products
    /// take the row runs for several tokens. Each row's logits must still equal those of decoding
    /// its token alone, bit for bit, on one thread and on two, with either cache.
    @Suite struct VerificationPassTests {
        /// Token ids from a seeded generator (any ids drive the forward pass the same way).
        static func tokens(_ count: Int, vocabulary: Int, seed: UInt64) -> [Int32] {
            var generator = SeededRandom(seed: seed)
            return (0..<count).map { _ in Int32(generator.next() % UInt64(vocabulary)) }
        }

        @Test(
            .requires(.smolLM2Q4_1),
            arguments: [KVCachePrecision.f16, .q8_0], [1, 2])
        func passRowsEqualOneTokenSteps(precision: KVCachePrecision, threads: Int) throws {
            try passRowsEqualOneTokenSteps(
                LanguageModel(file: ModelFixtures.real(ModelFixtures.smolQ4_1)), precision: precision, threads: threads)
        }

        /// Gemma 3: four query heads of 256 per KV head, so a pass of four rows runs sixteen heads
        /// over each shared chunk (`GroupedAttention.partial(rows:)`); its sliding-window layers
        /// take the rows one by one.
        @Test(.requires(.gemma3_270M), arguments: [1, 2])
        func gemmaPassRowsEqualOneTokenSteps(threads: Int) throws {
            try passRowsEqualOneTokenSteps(
                LanguageModel(file: GemmaModelTests.file()), precision: .f16, threads: threads)
        }

        private func passRowsEqualOneTokenSteps(
            _ model: LanguageModel, precision: KVCachePrecision, threads: Int
        ) throws {
            let vocabulary = model.config.vocabularySize
            // 700 cached positions: three 256-position chunks, the last one partial.
            let prompt = Self.tokens(700, vocabulary: vocabulary, seed: 11)
            let drafted = Self.tokens(4, vocabulary: vocabulary, seed: 12)

            let stepwise = try Transformer(
                model: model, contextLength: 1024, threads: threads, cachePrecision: precision)
            _ = try stepwise.evaluate(prompt, logits: .none)
            var expected: [[Float]] = []
            for token in drafted { expected.append(Array(try stepwise.evaluate(token: token).last)) }

            let verifying = try Transformer(
                model: model, contextLength: 1024, threads: threads, cachePrecision: precision)
            _ = try verifying.evaluate(prompt, logits: .none)
            var batch = TokenBatch(capacity: drafted.count)
            batch.decodesRowsAlone = true
            batch.append(drafted, sequence: 0, logitsForAll: true)
            let rows = try verifying.evaluate(batch)
            #expect(rows.rows == drafted.count)
            for (row, want) in expected.enumerated() {
                let got = rows.row(row)
                let differing = (0..<vocabulary).count { got[$0].bitPattern != want[$0].bitPattern }
                #expect(differing == 0, "row \(row): \(differing) of \(vocabulary) logits differ")
            }
        }
    }
}
