import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

@Suite("TokenStreamDecoder", .requires([.vocabularies]))
struct TokenStreamDecoderTests {
    static func streamed(_ tokenizer: Tokenizer, _ ids: [Int32], special: Bool = false) -> (
        pieces: [String], tail: String
    ) {
        var decoder = TokenStreamDecoder(tokenizer: tokenizer, special: special)
        let pieces = ids.map { decoder.push($0) }
        return (pieces, decoder.flush())
    }

    @Test("one id at a time gives decode(all), stories260K", .requires(.stories260K))
    func matchesDecodeStories260K() throws {
        try matchesDecode(name: TestModel.stories260K.fileName)
    }

    @Test("one id at a time gives decode(all)", arguments: TokenizerFixtures.vocabNames)
    func matchesDecode(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        for text in try TokenizerFixtures.vocabTestStrings() {
            for special in [false, true] {
                let ids = try tokenizer.encode(text, addSpecial: true)
                let (pieces, tail) = Self.streamed(tokenizer, ids, special: special)
                #expect(
                    pieces.joined() + tail == tokenizer.decode(ids, special: special),
                    "\(name): \(text.debugDescription)")
                #expect(tail.isEmpty, "whole text leaves nothing pending")
            }
        }
    }

    @Test("an emoji split across BPE tokens appears only when complete")
    func emojiAcrossTokens() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        let ids = try tokenizer.encode("🦙", addSpecial: false)
        #expect(ids.count > 1)
        let (pieces, tail) = Self.streamed(tokenizer, ids)
        #expect(pieces.dropLast().allSatisfy { $0.isEmpty })
        #expect(pieces.last == "🦙")
        #expect(tail.isEmpty)
    }

    /// 猫 (E7 8C AB) is not among llama-spm's 32,000 pieces (你 is), so it falls back to bytes.
    @Test("CJK as SentencePiece byte tokens appears only when complete")
    func cjkByteFallback() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        #expect(tokenizer.tokenID(forText: "猫") == nil)
        let ids = try tokenizer.encode("猫", addSpecial: false)
        let bytes = ["<0xE7>", "<0x8C>", "<0xAB>"].compactMap { tokenizer.tokenID(forText: $0) }
        #expect(bytes.count == 3)
        #expect(Array(ids.suffix(3)) == bytes)
        var decoder = TokenStreamDecoder(tokenizer: tokenizer, isContinuation: true)
        #expect(bytes.map { decoder.push($0) } == ["", "", "猫"])
    }

    @Test("invalid UTF-8 becomes U+FFFD, never a crash")
    func invalidBytes() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        func byte(_ value: UInt8) throws -> Int32 {
            try #require(tokenizer.tokenID(forText: "<0x" + String(value, radix: 16, uppercase: true).leftPadded + ">"))
        }
        var decoder = TokenStreamDecoder(tokenizer: tokenizer, isContinuation: true)
        // A truncated four-byte sequence followed by ASCII: one U+FFFD, then the letter.
        #expect(decoder.push(try byte(0xF0)) == "")
        #expect(decoder.push(try byte(0x9F)) == "")
        #expect(decoder.push(try byte(0x41)) == "\u{FFFD}A")
        // A lone continuation byte and an impossible lead byte.
        #expect(decoder.push(try byte(0x80)) == "\u{FFFD}")
        #expect(decoder.push(try byte(0xFF)) == "\u{FFFD}")
        // An unfinished character at the end comes out of flush as U+FFFD.
        #expect(decoder.push(try byte(0xE4)) == "")
        #expect(decoder.flush() == "\u{FFFD}")
        #expect(decoder.flush() == "")
        let ids = try [0xF0, 0x9F, 0x41, 0x80, 0xFF, 0xE4].map(byte)
        #expect(tokenizer.decode(ids) == "\u{FFFD}A\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test("continuation keeps the first token's space; the default drops it like decode")
    func leadingSpace() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        let ids = try tokenizer.encode("Once upon a time", addSpecial: false)
        var start = TokenStreamDecoder(tokenizer: tokenizer)
        var continuation = TokenStreamDecoder(tokenizer: tokenizer, isContinuation: true)
        #expect(ids.map { start.push($0) }.joined() == "Once upon a time")
        #expect(ids.map { continuation.push($0) }.joined() == " Once upon a time")
    }

    @Test("incomplete-suffix detection follows the UTF-8 grammar")
    func incompleteSuffix() {
        let cases: [([UInt8], Int)] = [
            ([], 0), ([0x41], 0), ([0xC3], 1), ([0xC3, 0xA9], 0), ([0xE2, 0x82], 2), ([0xE2, 0x82, 0xAC], 0),
            ([0xF0, 0x9F, 0xA6], 3), ([0xF0, 0x9F, 0xA6, 0x99], 0), ([0xE0, 0x80], 0), ([0xED, 0xA0], 0),
            ([0xF4, 0x90], 0), ([0xF0, 0x8F], 0), ([0xC0], 0), ([0xF5], 0), ([0x80], 0), ([0x41, 0xF0], 1)
        ]
        for (bytes, expected) in cases {
            #expect(TokenStreamDecoder.incompleteSuffixLength(bytes) == expected, "\(bytes)")
        }
    }
}

extension String {
    fileprivate var leftPadded: String { count < 2 ? "0" + self : self }
}
