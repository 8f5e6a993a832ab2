import Foundation
import TestSupport
import Testing

@testable import Inference

/// Log probabilities against a plain double-precision log-softmax, and against llama.cpp's
/// reference logits on the real model.
struct LogSoftmaxTests {
    /// log-softmax the obvious way, all in double.
    static func naive(_ logits: [Float]) -> [Double] {
        let maximum = Double(logits.max() ?? 0)
        let total = logits.reduce(0.0) { $0 + Foundation.exp(Double($1) - maximum) }
        return logits.map { Double($0) - maximum - Foundation.log(total) }
    }

    @Test func matchesNaiveLogSoftmaxOnRandomLogits() {
        var random = SeededRandom(seed: 7)
        for count in [1, 7, 8, 9, 1000, 49_152] {
            let logits = (0..<count).map { _ in Float.random(in: -20...30, using: &random) }
            let expected = Self.naive(logits)
            logits.withUnsafeBufferPointer { buffer in
                let token = Int32(count / 3)
                let score = LogSoftmax.score(token, logits: buffer, top: 20)
                #expect(abs(score.logprob - expected[Int(token)]) < 1e-5)
                let order = expected.indices.sorted {
                    expected[$0] != expected[$1] ? expected[$0] > expected[$1] : $0 < $1
                }
                #expect(score.top.map(\.token) == order.prefix(20).map { Int32($0) })
                for alternative in score.top {
                    #expect(abs(alternative.logprob - expected[Int(alternative.token)]) < 1e-5)
                }
            }
        }
    }

    @Test func tiesKeepTheLowerIDAndTopIsCapped() {
        let logits: [Float] = [1, 3, 3, 2, 3]
        logits.withUnsafeBufferPointer { buffer in
            #expect(LogSoftmax.best(3, of: buffer).map(\.token) == [1, 2, 4])
            #expect(LogSoftmax.score(0, logits: buffer, top: 50).top.count == 5)
            #expect(LogSoftmax.score(0, logits: buffer, top: 0).top.isEmpty)
        }
    }
}
