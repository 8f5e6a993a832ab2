import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

extension RealModelTests {
    /// Issue #17, "Deliver" 4: a long prompt reports how far it has been read, batch by batch,
    /// and a cancel during prefill stops it there.
    @Suite(.requires(.smolLM2Q4_1)) struct PrefillProgressTests {
        @Test func progressIsReportedAfterEveryBatchAndCountsCachedTokens() throws {
            let generator = try AlternativesTests.generator()
            generator.prefillBatch = 8
            var reports: [[Int]] = []
            generator.onPrefillProgress = { reports.append([$0, $1]) }
            let request = try AlternativesTests.request(generator, n: 1, temperature: 0, maxTokens: 2)
            let total = request.promptTokens.count
            _ = generator.generate(request, cancel: CancellationFlag(), onDelta: { _ in })
            let expected = Array(stride(from: 8, to: total, by: 8)) + [total]
            #expect(reports == expected.map { [$0, total] })
            // The same prompt again: all but its last token come from the cache.
            reports = []
            _ = generator.generate(request, cancel: CancellationFlag(), onDelta: { _ in })
            #expect(reports == [[total, total]])
        }

        @Test func aCancelDuringPrefillStopsAtTheNextBatch() throws {
            let generator = try AlternativesTests.generator()
            generator.prefillBatch = 4
            let cancel = CancellationFlag()
            var reports: [Int] = []
            generator.onPrefillProgress = { evaluated, _ in
                reports.append(evaluated)
                if evaluated >= 8 { cancel.cancel() }
            }
            let outcome = generator.generate(
                try AlternativesTests.request(generator, n: 1, temperature: 0), cancel: cancel,
                onDelta: { _ in })
            #expect(reports == [4, 8])
            #expect(outcome.choices.allSatisfy { $0.finishReason == .cancelled } && outcome.text.isEmpty)
        }
    }
}
