import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// Gemma 3 270M's 15 sliding-window layers (window 512) in their bounded ring (`KVPool`): the
/// memory formula at long contexts, and the same logits as the unbounded layout past the window.
@Suite(.requires(.gemma3_270M), .serialized) struct GemmaRingTests {
    /// With the defaults (8 sequences, rollback 16, micro-batch 128) the ring holds
    /// 8 × (512 − 1 + 16 + 128 + 32) = 5,496 cells of 15 layers whatever the context; the three
    /// global layers keep every position. One cell of one layer: keys and values, 1 head × 256 F16.
    @Test func windowedBytesAreBoundedByTheWindow() throws {
        let model = try LanguageModel(file: GemmaModelTests.file())
        let layerCell = 2 * 1 * 256 * 2
        for context in [8_192, 32_768] {
            let transformer = try Transformer(model: model, contextLength: context, threads: 1)
            #expect(transformer.windowedCacheByteCount == 15 * layerCell * 8 * (512 - 1 + 16 + 128 + 32))
            #expect(transformer.cacheByteCount - transformer.windowedCacheByteCount == 3 * layerCell * context)
            print(
                "gemma-3-270m KV at \(context): \(transformer.cacheByteCount >> 20) MiB reserved "
                    + "(windowed \(transformer.windowedCacheByteCount >> 20) MiB; all layers at every position: "
                    + "\((18 * layerCell * context) >> 20) MiB)")
        }
    }

    /// 800 tokens of the perplexity text (past the 687-cell ring of one sequence), one token
    /// rolled back, then 16 greedy steps: identical logits with and without the ring.
    @Test func ringEqualsUnboundedOnGemma() throws {
        let model = try LanguageModel(file: GemmaModelTests.file())
        let prompt = Array(try GemmaModelTests.oracle().perplexity.tokens.prefix(800))
        let ring = try Transformer(model: model, contextLength: 1_024, threads: 2, windowedSequences: 1)
        let plain = try Transformer(model: model, contextLength: 1_024, threads: 2, windowedSequences: 2)
        #expect(ring.windowedCacheByteCount > 0 && plain.windowedCacheByteCount == 0)
        let got = try SlidingWindowRingTests.greedy(ring, prompt: prompt, steps: 16)
        let expected = try SlidingWindowRingTests.greedy(plain, prompt: prompt, steps: 16)
        #expect(SlidingWindowRingTests.differingRows(got, expected).isEmpty)
    }
}
