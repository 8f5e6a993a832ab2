import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

/// Hostile and degenerate input: encoding always ends, never crashes, and byte-level BPE always
/// decodes back to the input.
@Suite("fuzz and stress", .requires([.vocabularies]))
struct TokenizerFuzzTests {
    static let byteLevel = ["llama-bpe", "qwen2", "gpt-2", "smollm2"]

    /// What byte-level BPE decodes back: the text without the bytes the vocabulary has no token
    /// for (SmolLM2 lacks 21, among them 0xF1 and 0xF2), which llama.cpp drops too.
    static func expectedRoundTrip(_ tokenizer: Tokenizer, _ text: String) -> String {
        let byteTokens = tokenizer.vocabulary.byteTokens
        return String(decoding: text.utf8.filter { byteTokens[Int($0)] >= 0 }, as: UTF8.self)
    }

    /// Random bytes read as UTF-8 (invalid sequences become U+FFFD, as `String(decoding:)` does).
    static func randomBytesText(_ random: inout SeededRandom, length: Int) -> String {
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Random scalars, biased toward ASCII, whitespace and the ranges the scanners classify.
    static func randomUnicodeText(_ random: inout SeededRandom, length: Int) -> String {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x09...0x0D, 0x20...0x20, 0x80...0x24F, 0x300...0x36F, 0x370...0x3FF, 0x400...0x4FF,
            0x600...0x6FF, 0x900...0x97F, 0x2000...0x206F, 0x3000...0x303F, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
            0xE000...0xF8FF, 0xFE00...0xFE0F, 0xFF00...0xFFEF, 0x1F300...0x1FAFF, 0x10000...0x10FFFF
        ]
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            let range = ranges[Int.random(in: 0..<ranges.count, using: &random)]
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &random)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    @Test("random bytes and random Unicode", arguments: TokenizerFixtures.vocabNames)
    func randomText(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        var random = SeededRandom(seed: 0x5EED_0001)
        for round in 0..<24 {
            let text =
                round % 2 == 0
                ? Self.randomBytesText(&random, length: Int.random(in: 0...300, using: &random))
                : Self.randomUnicodeText(&random, length: Int.random(in: 0...200, using: &random))
            for parseSpecial in [false, true] {
                let ids = try tokenizer.encode(text, addSpecial: true, parseSpecial: parseSpecial)
                #expect(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
                let plain = try tokenizer.encode(text, addSpecial: false, parseSpecial: parseSpecial)
                if Self.byteLevel.contains(name) {
                    #expect(
                        tokenizer.decode(plain, special: true) == Self.expectedRoundTrip(tokenizer, text),
                        "\(name) round \(round)")
                } else if plain.allSatisfy({ tokenizer.attributes($0).isDisjoint(with: [.control, .unknown]) }) {
                    #expect(tokenizer.decode(plain) == text, "\(name) round \(round)")
                }
            }
        }
    }

    @Test("mutated llama.cpp test strings", arguments: TokenizerFixtures.vocabNames)
    func mutatedStrings(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let base = try TokenizerFixtures.vocabTestStrings().filter { !$0.isEmpty }
        var random = SeededRandom(seed: 0x5EED_0002)
        for round in 0..<40 {
            var scalars = Array(base[Int.random(in: 0..<base.count, using: &random)].unicodeScalars)
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let position = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0:
                    let donor = Array(base[Int.random(in: 0..<base.count, using: &random)].unicodeScalars)
                    let start = Int.random(in: 0..<donor.count, using: &random)
                    scalars.insert(contentsOf: donor[start..<min(donor.count, start + 6)], at: position)
                case 1 where !scalars.isEmpty:
                    scalars.remove(at: min(position, scalars.count - 1))
                case 2 where !scalars.isEmpty:
                    scalars.swapAt(min(position, scalars.count - 1), Int.random(in: 0..<scalars.count, using: &random))
                default:
                    scalars.insert(
                        contentsOf: Array("'S \u{A0}\r\n\t\u{3000}<|".unicodeScalars)
                            .shuffled(using: &random).prefix(3), at: position)
                }
            }
            let text = String(String.UnicodeScalarView(scalars))
            let ids = try tokenizer.encode(text, addSpecial: false)
            let expected = Self.byteLevel.contains(name) ? Self.expectedRoundTrip(tokenizer, text) : text
            #expect(tokenizer.decode(ids) == expected, "\(name) round \(round): \(text.debugDescription)")
        }
    }

    static let longRuns: [(String, Int)] = [
        (" ", 100_000), ("7", 100_000), ("\n", 10_000), ("a", 10_000),
        ("🦙", 5_000), (" \t", 10_000)
    ]

    @Test("long runs of one character", arguments: TokenizerFixtures.vocabNames)
    func longRuns(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        // SentencePiece merges the whole text as one sequence; shorter runs keep the debug build quick.
        let scale = Self.byteLevel.contains(name) ? 1 : 4
        for (unit, count) in Self.longRuns {
            let text = String(repeating: unit, count: count / scale)
            let ids = try tokenizer.encode(text, addSpecial: false)
            #expect(!ids.isEmpty)
            #expect(tokenizer.decode(ids) == text, "\(name): \(count / scale) × \(unit.debugDescription)")
        }
    }

    /// (The 1 MiB speed run is `tokenize-bench`; a quarter of it keeps the debug test quick.)
    @Test("256 KiB of mixed text encodes and round-trips with SmolLM2")
    func largeText() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        var random = SeededRandom(seed: 0x5EED_0003)
        var text = ""
        let words = try TokenizerFixtures.vocabTestStrings()
        while text.utf8.count < 1 << 18 {
            text += words[Int.random(in: 0..<words.count, using: &random)]
            text += Self.randomUnicodeText(&random, length: 8)
        }
        let ids = try tokenizer.encode(text, addSpecial: false)
        #expect(ids.count > 25_000)
        #expect(tokenizer.decode(ids) == Self.expectedRoundTrip(tokenizer, text))
    }
}
