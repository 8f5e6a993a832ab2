import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

/// Work per encode call is bounded by construction: text beyond `Tokenizer.maxInputBytes` is
/// refused before any work, and a word longer than `LongWordSplitter.maxBytes` is merged in
/// pieces no longer than that, each exactly as if it had been a word of its own.
@Suite("long inputs", .requires([.vocabularies]))
struct LongInputTests {
    @Test(
        "text beyond the limit is refused with its size and the limit",
        arguments: ["smollm2", "llama-spm"])
    func refusedBeyondTheLimit(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let limit = Tokenizer.maxInputBytes
        let text = String(repeating: "a", count: limit + 1)
        #expect(throws: TokenizerError.inputTooLarge(bytes: limit + 1, limit: limit)) {
            try tokenizer.encode(text)
        }
        let bytes = Array(text.utf8)
        #expect(throws: TokenizerError.inputTooLarge(bytes: limit + 1, limit: limit)) {
            try tokenizer.encode(utf8: bytes.span)
        }
        let message = TokenizerError.inputTooLarge(bytes: limit + 1, limit: limit).description
        #expect(message.contains("\(limit + 1) bytes") && message.contains("8 MiB"))
    }

    /// One word of 4 MiB: letters with two- and three-byte characters mixed in, so that cuts
    /// must step back to a character boundary.
    static func longWord(bytes: Int) -> String {
        var random = SeededRandom(seed: 0x5EED_0010)
        let alphabet: [Character] = Array("abcdefghijklmnopqrstuvwxyzé") + ["中"]
        var word = ""
        word.reserveCapacity(bytes + 3)
        while word.utf8.count < bytes { word.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)]) }
        return word
    }

    /// The reference cut, written independently of `LongWordSplitter`: whole characters, as many
    /// as fit in `maxBytes`.
    static func referencePieces(_ word: String, maxBytes: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var size = 0
        for character in word {
            let length = character.utf8.count
            if size + length > maxBytes {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += length
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    @Test(
        "BPE: a 4 MiB word equals its pieces tokenized one by one, and no merge is longer than a piece",
        arguments: ["smollm2", "llama-bpe"])
    func longBPEWord(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let word = Self.longWord(bytes: 4 << 20)
        let pieces = Self.referencePieces(word, maxBytes: LongWordSplitter.maxBytes)
        #expect(pieces.count > 60)
        var expected: [Int32] = []
        for piece in pieces { expected += try tokenizer.encode(piece, addSpecial: false) }
        #expect(try tokenizer.encode(word, addSpecial: false) == expected)

        var encoder = BytePairEncoder(vocabulary: tokenizer.vocabulary)
        var output: [Int32] = []
        var text = word
        text.withUTF8 { encoder.encode($0.span, into: &output) }
        #expect(output == expected)
        #expect(encoder.longestMerge <= LongWordSplitter.maxBytes)
        #expect(encoder.longestMerge > LongWordSplitter.maxBytes - 3)
    }

    /// A 512-token vocabulary: most of the run falls back to single letters and bytes.
    @Test("SentencePiece: a 1 MiB run, stories260K", .requires(.stories260K))
    func longSentencePieceRunStories260K() throws {
        try longSentencePieceRun(name: TestModel.stories260K.fileName)
    }

    @Test("SentencePiece: a 1 MiB run, the generated tiny llama", .requires([.syntheticLlamaSPM]))
    func longSentencePieceRunGeneratedLlama() throws {
        try longSentencePieceRun(name: GeneratedModels.llamaSPMName)
    }

    @Test(
        "SentencePiece: a 1 MiB run without spaces equals its pieces merged one by one",
        arguments: ["llama-spm"])
    func longSentencePieceRun(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let word = Self.longWord(bytes: 1 << 20)
        var expected: [Int32] = []
        for piece in Self.referencePieces(word, maxBytes: LongWordSplitter.maxBytes) {
            var encoder = SentencePieceEncoder(vocabulary: tokenizer.vocabulary)
            var text = piece
            text.withUTF8 { encoder.encode($0.span, addSpacePrefix: false, into: &expected) }
        }
        var encoder = SentencePieceEncoder(vocabulary: tokenizer.vocabulary)
        var output: [Int32] = []
        var text = word
        text.withUTF8 { encoder.encode($0.span, addSpacePrefix: false, into: &output) }
        #expect(output == expected)
        #expect(encoder.longestMerge <= LongWordSplitter.maxBytes)
        #expect(tokenizer.decode(output) == word)
    }

    @Test("words up to the cap merge whole, as llama.cpp merges them")
    func wordsUpToTheCapAreNotCut() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        let word = String(repeating: "ab", count: LongWordSplitter.maxBytes / 2)
        var encoder = BytePairEncoder(vocabulary: tokenizer.vocabulary)
        var output: [Int32] = []
        var text = word
        text.withUTF8 { encoder.encode($0.span, into: &output) }
        #expect(encoder.longestMerge == LongWordSplitter.maxBytes)
        #expect(tokenizer.decode(output) == word)
    }
}
