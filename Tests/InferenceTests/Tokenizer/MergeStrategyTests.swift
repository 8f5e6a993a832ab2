import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

/// The encoders take shortcuts that must not change results: BPE merges long words with a heap
/// instead of a scan, SentencePiece cuts text at spaces no token can span. Each shortcut is checked
/// against the plain algorithm on the same inputs.
@Suite("merge strategies agree", .requires([.vocabularies]))
struct MergeStrategyTests {
    static func texts() throws -> [String] {
        var random = SeededRandom(seed: 0x5EED_0004)
        let base = try TokenizerFixtures.vocabTestStrings()
        var texts = base
        for _ in 0..<30 {
            let parts = (0..<Int.random(in: 2...6, using: &random)).map { _ in
                base[Int.random(in: 0..<base.count, using: &random)]
            }
            texts.append(parts.joined(separator: ["", " ", "  ", "\n", " \t "][Int.random(in: 0..<5, using: &random)]))
        }
        texts.append(String(repeating: "hello world ", count: 40))
        texts.append(String(repeating: " ", count: 300) + "x" + String(repeating: "ab", count: 200))
        return texts
    }

    @Test("BPE: heap merging equals linear merging", arguments: ["llama-bpe", "qwen2", "gpt-2", "smollm2"])
    func heapEqualsLinear(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        for original in try Self.texts() {
            var text = original
            text.withUTF8 { bytes in
                var words = PreTokenWords()
                tokenizer.vocabulary.preTokenizer.split(bytes.span, 0..<bytes.count, into: &words)
                var ranges: [Range<Int>] = []
                var start = 0
                for end in words.ends {
                    ranges.append(start..<end)
                    start = end
                }
                // The whole text as one word too: long, with merges across pre-token boundaries.
                ranges.append(0..<bytes.count)
                var linear = BytePairEncoder(vocabulary: tokenizer.vocabulary, linearLimit: .max)
                var heap = BytePairEncoder(vocabulary: tokenizer.vocabulary, linearLimit: 0)
                for range in ranges {
                    var a: [Int32] = []
                    var b: [Int32] = []
                    linear.encode(bytes.span.extracting(range), into: &a)
                    heap.encode(bytes.span.extracting(range), into: &b)
                    #expect(a == b, "\(name): \(String(decoding: bytes[range], as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    @Test("SentencePiece: cutting at safe spaces equals whole-text merging, stories260K", .requires(.stories260K))
    func chunksEqualWholeTextStories260K() throws {
        try chunksEqualWholeText(name: TestModel.stories260K.fileName)
    }

    @Test(
        "SentencePiece: cutting at safe spaces equals whole-text merging",
        arguments: ["llama-spm", "phi-3"])
    func chunksEqualWholeText(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        for original in try Self.texts() {
            var text = original
            text.withUTF8 { bytes in
                var chunked = SentencePieceEncoder(vocabulary: tokenizer.vocabulary)
                var whole = SentencePieceEncoder(vocabulary: tokenizer.vocabulary, splitsAtSpaces: false)
                var a: [Int32] = []
                var b: [Int32] = []
                chunked.encode(bytes.span, addSpacePrefix: true, into: &a)
                whole.encode(bytes.span, addSpacePrefix: true, into: &b)
                #expect(a == b, "\(name): \(original.debugDescription)")
            }
        }
    }
}
