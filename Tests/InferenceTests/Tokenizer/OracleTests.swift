import Foundation
import TestSupport
import Testing

@testable import Inference
@testable import Tokenizer

/// Golden files from `Scripts/reference/tokenizer_oracle.py`, an independent Python implementation
/// (the `regex` engine running the published split patterns, textbook BPE, SentencePiece merging),
/// over mutated llama.cpp test strings and seeded random Unicode text.
@Suite("independent Python oracle", .requires([.vocabularies]))
struct OracleTests {
    static func fixture(_ name: String) throws -> [String: Any] {
        let url = TokenizerFixtures.fixturesDirectory.appendingPathComponent(name)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test("token ids match the oracle", arguments: TokenizerFixtures.vocabNames)
    func tokenIDs(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let cases = try #require(try Self.fixture("oracle-\(name).json")["cases"] as? [[String: Any]])
        #expect(cases.count > 100)
        for item in cases {
            let text = try #require(item["text"] as? String)
            let expected = try #require(item["ids"] as? [Int]).map(Int32.init)
            #expect(try tokenizer.encode(text, addSpecial: false) == expected, "\(name): \(text.debugDescription)")
        }
    }

    static let kinds: [(String, PreTokenizer.Kind)] = [
        ("gpt2", .gpt2), ("llama3", .llama3), ("qwen2", .qwen2), ("digitsThenGPT2", .digitsThenGPT2),
        ("llamaDefault", .llamaDefault), ("falcon", .falcon)
    ]

    @Test("pre-tokenizer words match the regex engine")
    func preTokenizerWords() throws {
        let cases = try #require(try Self.fixture("pretokenizer-golden.json")["cases"] as? [[String: Any]])
        #expect(cases.count > 150)
        for item in cases {
            let text = try #require(item["text"] as? String)
            for (key, kind) in Self.kinds {
                let expected = try #require(item[key] as? [String])
                #expect(Self.words(text, kind) == expected, "\(key): \(text.debugDescription)")
            }
        }
    }

    static func words(_ text: String, _ kind: PreTokenizer.Kind) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var words = PreTokenWords()
            PreTokenizer(kind: kind).split(bytes.span, 0..<bytes.count, into: &words)
            var start = 0
            return words.ends.map { end in
                defer { start = end }
                return String(decoding: bytes[start..<end], as: UTF8.self)
            }
        }
    }
}
