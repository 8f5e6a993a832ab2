import GGUF
import Testing

@testable import Inference
@testable import Tokenizer

/// Building tokenizers from hand-made metadata: defaults, warnings and refusals.
@Suite("loading from metadata")
struct TokenizerLoadingTests {
    /// A tiny byte-level BPE vocabulary: the 256 byte characters, then `ab` and `abc`.
    static func bytePairMetadata(
        pre: String?, extra: [(String, GGUFValue)] = [],
        dropping: Set<String> = []
    ) -> GGUFMetadata {
        var tokens = (0..<256).map { String(decoding: GPT2ByteMapping.utf8ForByte[$0], as: UTF8.self) }
        tokens += ["ab", "abc", "<|end|>"]
        var entries: [(String, GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.tokens", .array(elementType: .string, elements: tokens.map { .string($0) })),
            ("tokenizer.ggml.merges", .array(elementType: .string, elements: [.string("a b"), .string("ab c")])),
            ("tokenizer.ggml.bos_token_id", .uint32(258)),
            ("tokenizer.ggml.eos_token_id", .uint32(258))
        ]
        if let pre { entries.append(("tokenizer.ggml.pre", .string(pre))) }
        entries += extra
        var metadata = GGUFMetadata()
        for (key, value) in entries where !dropping.contains(key) { metadata.insert(key, value) }
        return metadata
    }

    @Test("a hand-made BPE vocabulary merges by rank")
    func tinyVocabulary() throws {
        let tokenizer = try Tokenizer(metadata: Self.bytePairMetadata(pre: "gpt-2"))
        #expect(tokenizer.warnings.isEmpty)
        #expect(try tokenizer.encode("abc abd", addSpecial: false) == [257, 32, 256, 100])
        #expect(tokenizer.decode([257, 32, 256, 100]) == "abc abd")
        // <|end|> is recognised by its text: end of generation, and so a control token.
        #expect(tokenizer.endOfGeneration == [258])
        #expect(tokenizer.attributes(258).contains(.control))
        #expect(!tokenizer.addBOS)
    }

    @Test("an unknown pre-tokenizer falls back to GPT-2 with a warning")
    func unknownPreTokenizer() throws {
        let tokenizer = try Tokenizer(metadata: Self.bytePairMetadata(pre: "martian"))
        #expect(tokenizer.warnings.count == 1)
        #expect(tokenizer.warnings.first?.contains("martian") == true)
        #expect(tokenizer.vocabulary.preTokenizer.kind == .gpt2)
        #expect(try tokenizer.encode("abc", addSpecial: false) == [257])
    }

    @Test("a missing pre-tokenizer uses llama.cpp's default chain with a warning")
    func missingPreTokenizer() throws {
        let tokenizer = try Tokenizer(metadata: Self.bytePairMetadata(pre: nil))
        #expect(tokenizer.warnings.count == 1)
        #expect(tokenizer.vocabulary.preTokenizer.kind == .llamaDefault)
    }

    @Test("the add_bos key overrides the family default")
    func addBOSKey() throws {
        let tokenizer = try Tokenizer(
            metadata: Self.bytePairMetadata(
                pre: "gpt-2", extra: [("tokenizer.ggml.add_bos_token", .bool(true))]))
        #expect(tokenizer.addBOS)
        #expect(try tokenizer.encode("ab") == [258, 256])
    }

    @Test("bad special ids are ignored with a warning")
    func badSpecialID() throws {
        let tokenizer = try Tokenizer(
            metadata: Self.bytePairMetadata(
                pre: "gpt-2", extra: [("tokenizer.ggml.padding_token_id", .uint32(99_999))]))
        #expect(tokenizer.specialTokens.padding == nil)
        #expect(tokenizer.warnings.count == 1)
    }

    @Test("unusable metadata is refused with a clear error")
    func refusals() {
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.model")) {
            try Tokenizer(metadata: Self.bytePairMetadata(pre: "gpt-2", dropping: ["tokenizer.ggml.model"]))
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.merges")) {
            try Tokenizer(metadata: Self.bytePairMetadata(pre: "gpt-2", dropping: ["tokenizer.ggml.merges"]))
        }
        #expect(throws: TokenizerError.missingKey("tokenizer.ggml.tokens")) {
            try Tokenizer(metadata: Self.bytePairMetadata(pre: "gpt-2", dropping: ["tokenizer.ggml.tokens"]))
        }
        var bert = GGUFMetadata()
        bert.insert("tokenizer.ggml.model", .string("bert"))
        #expect(throws: TokenizerError.unsupportedModel("bert")) { try Tokenizer(metadata: bert) }
        var numbers = GGUFMetadata()
        numbers.insert("tokenizer.ggml.model", .string("llama"))
        numbers.insert("tokenizer.ggml.tokens", .array(elementType: .int32, elements: [.int32(1)]))
        #expect(throws: TokenizerError.self) { try Tokenizer(metadata: numbers) }
        // ChatGLM's pre-tokenizer has no BOS, so asking to add one cannot work.
        #expect(throws: TokenizerError.self) {
            try Tokenizer(
                metadata: Self.bytePairMetadata(
                    pre: "glm4", extra: [("tokenizer.ggml.add_bos_token", .bool(true))],
                    dropping: ["tokenizer.ggml.bos_token_id"]))
        }
        let message = TokenizerError.unsupportedModel("bert").description
        #expect(message.contains("bert"))
    }

    @Test("llama.cpp's default chain: punctuation runs, GPT-2, number runs, digit triples")
    func defaultChain() {
        #expect(
            OracleTests.words("Hello, world!! 12345 x", .llamaDefault)
                == ["Hello", ",", " world", "!!", " ", "123", "45", " x"])
        #expect(OracleTests.words("a`b$c", .falcon) == ["a", "`", "b", "$", "c"])
        #expect(OracleTests.words("a`b$c", .llamaDefault) == ["a", "`", "b", "$", "c"])
    }
}
