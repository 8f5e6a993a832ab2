import GGUF
import TestSupport
import Testing

@testable import Inference

/// The engine against an independent NumPy forward pass (HF semantics) on tiny random models
/// of each architecture: every position's logits must agree.
@Suite(.requires(ModelFixtures.syntheticModels)) struct SyntheticModelTests {
    static let names = ["synthetic-llama3", "synthetic-qwen2", "synthetic-qwen3", "synthetic-llama-q8"]

    /// Both cache precisions: F16 keys/values add ~3e-4 relative error, within the fixtures'
    /// 1e-3; F32 shows the exact path (F32 weights agree to ~1e-6).
    @Test(arguments: names, [KVCachePrecision.f16, .f32])
    func logitsMatchReference(name: String, precision: KVCachePrecision) throws {
        let expected = try SyntheticLogits.load(name)
        let model = try LanguageModel(file: ModelFixtures.synthetic(name))
        let transformer = try Transformer(model: model, contextLength: 64, threads: 2, cachePrecision: precision)
        let logits = try transformer.evaluate(expected.tokens, logits: .all)
        #expect(logits.rows == expected.tokens.count)
        let worst = maxRelativeError(logits, expected.logits)
        print("\(name) \(precision) KV: worst relative error \(worst)")
        #expect(worst <= expected.tolerance, "\(name): worst relative error \(worst)")
    }

    /// The plain llama with a SentencePiece vocabulary the CLI and hub tests run (F32, an FFN of
    /// 172 that is not a multiple of 32, no freq_base key); its own requirement, as it is newer.
    @Test(.requires([.syntheticLlamaSPM]), arguments: [KVCachePrecision.f16, .f32])
    func llamaSPMLogitsMatchReference(precision: KVCachePrecision) throws {
        try logitsMatchReference(name: "synthetic-llama-spm", precision: precision)
    }

    /// Error of `actual` against `expected`, relative to each row's largest magnitude.
    func maxRelativeError(_ actual: EvaluatedLogits, _ expected: [[Float]]) -> Double {
        var worst = 0.0
        for (t, row) in expected.enumerated() {
            let got = actual.row(t)
            let scale = Double(row.map { abs($0) }.max() ?? 1)
            for (i, value) in row.enumerated() {
                worst = max(worst, Double(abs(got[i] - value)) / max(scale, 1))
            }
        }
        return worst
    }
}
