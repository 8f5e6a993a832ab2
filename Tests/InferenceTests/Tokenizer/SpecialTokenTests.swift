import Inference
import TestSupport
import Testing

/// Special-token text in input, llama.cpp's partition rules, and end-of-generation detection.
@Suite("special tokens", .requires([.vocabularies]))
struct SpecialTokenTests {
    @Test("control tokens are matched only with parseSpecial")
    func controlTokensNeedParseSpecial() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        let text = "<|im_start|>user\nHi<|im_end|>"
        let parsed = try tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        #expect(parsed.first == 1)
        #expect(parsed.last == 2)
        #expect(try Array(parsed[1..<(parsed.count - 1)]) == tokenizer.encode("user\nHi", addSpecial: false))
        let plain = try tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        #expect(!plain.contains(1) && !plain.contains(2))
        #expect(tokenizer.decode(plain) == text)
    }

    @Test("user-defined tokens are matched even without parseSpecial")
    func userDefinedAlwaysMatched() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("qwen2")
        let pad = try #require(tokenizer.tokenID(forText: "[PAD151646]"))
        #expect(tokenizer.attributes(pad).contains(.userDefined))
        let ids = try tokenizer.encode("a[PAD151646]b", addSpecial: false, parseSpecial: false)
        #expect(try ids == tokenizer.encode("a", addSpecial: false) + [pad] + tokenizer.encode("b", addSpecial: false))
        #expect(tokenizer.decode(ids) == "a[PAD151646]b")
    }

    @Test("the longest special token wins")
    func longestFirst() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-bpe")
        let ten = try #require(tokenizer.tokenID(forText: "<|reserved_special_token_10|>"))
        let one = try #require(tokenizer.tokenID(forText: "<|reserved_special_token_1|>"))
        #expect(try tokenizer.encode("<|reserved_special_token_10|>", addSpecial: false, parseSpecial: true) == [ten])
        #expect(
            try tokenizer.encode("<|reserved_special_token_1|>0", addSpecial: false, parseSpecial: true)
                == [one] + tokenizer.encode("0", addSpecial: false))
        let both = try tokenizer.encode(
            "x<|reserved_special_token_1|><|reserved_special_token_10|>", addSpecial: false,
            parseSpecial: true)
        #expect(try both == tokenizer.encode("x", addSpecial: false) + [one, ten])
    }

    @Test("Phi-3 special tokens eat the whitespace after them (rstrip)")
    func phi3RightStrip() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("phi-3")
        let user = try #require(tokenizer.tokenID(forText: "<|user|>"))
        #expect(tokenizer.attributes(user).contains(.rightStrip))
        let spaced = try tokenizer.encode("<|user|> \n  Hello<|end|>\n", addSpecial: false, parseSpecial: true)
        let tight = try tokenizer.encode("<|user|>Hello<|end|>", addSpecial: false, parseSpecial: true)
        #expect(spaced == tight)
        #expect(spaced.first == user)
        // After a special token SentencePiece adds the space prefix again: "▁Hello".
        #expect(tokenizer.tokenText(spaced[1]) == "▁Hello")
        // <s> and <|endoftext|> keep the whitespace after them.
        let endOfText = try #require(tokenizer.tokenID(forText: "<|endoftext|>"))
        #expect(!tokenizer.attributes(endOfText).contains(.rightStrip))
    }

    @Test("SentencePiece adds a space prefix after every special token")
    func spacePrefixAfterSpecial() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        let ids = try tokenizer.encode("Hi</s>there", addSpecial: true, parseSpecial: true)
        #expect(
            try ids == [1] + tokenizer.encode("Hi", addSpecial: false) + [2]
                + tokenizer.encode("there", addSpecial: false))
    }

    /// Qwen2's 128247 is a plain "</s>" token that llama.cpp (since 2026, for PaddleOCR) also treats as EOG.
    @Test(
        "end-of-generation sets follow llama.cpp's detection",
        arguments: [
            ("smollm2", [0, 2, 4]), ("llama-bpe", [128001, 128009]), ("qwen2", [128247, 151643, 151645]),
            ("gpt-2", [50256]), ("phi-3", [2, 32000, 32007]), ("llama-spm", [2])
        ] as [(String, [Int32])])
    func endOfGeneration(name: String, expected: [Int32]) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        #expect(tokenizer.endOfGeneration == Set(expected))
        for id in expected { #expect(tokenizer.attributes(id).contains(.control), "\(name) \(id)") }
    }

    @Test("special ids and flags of SmolLM2", .requires(.smolLM2Q4_1))
    func smolLM2SpecialIDs() throws {
        let smol = try TokenizerFixtures.tokenizer(TestModel.smolLM2Q4_1.fileName)
        #expect(smol.bos == 1 && smol.eos == 2 && !smol.addBOS && !smol.addEOS && !smol.addSpacePrefix)
        #expect(smol.specialTokens.eot == 2 && smol.specialTokens.unknown == 0 && smol.specialTokens.padding == 2)
        #expect(smol.model == .bytePairEncoding && smol.preTokenizerName == "smollm" && smol.vocabularySize == 49152)
    }

    /// A llama2.c SentencePiece model without add_bos or add_space_prefix keys: llama.cpp's
    /// defaults add both. stories260K is such a file; the generated tiny llama copies its keys.
    @Test("special ids and flags of stories260K", .requires(.stories260K))
    func stories260KSpecialIDs() throws {
        try llama2cDefaults(TokenizerFixtures.tokenizer(TestModel.stories260K.fileName))
        try endOfGeneration(name: TestModel.stories260K.fileName, expected: [2])
    }

    @Test("special ids and flags of the generated tiny llama", .requires([.syntheticLlamaSPM]))
    func generatedLlamaSpecialIDs() throws {
        try llama2cDefaults(TokenizerFixtures.tokenizer(GeneratedModels.llamaSPMName))
        try endOfGeneration(name: GeneratedModels.llamaSPMName, expected: [2])
    }

    func llama2cDefaults(_ tokenizer: Tokenizer) {
        #expect(tokenizer.bos == 1 && tokenizer.eos == 2 && tokenizer.addBOS && tokenizer.addSpacePrefix)
        #expect(tokenizer.model == .sentencePiece && tokenizer.vocabularySize == 512)
    }

    @Test("special ids and flags of the other models")
    func specialIDs() throws {
        let llama3 = try TokenizerFixtures.tokenizer("llama-bpe")
        #expect(llama3.addBOS, "Llama 3's pre-tokenizer adds BOS by default")
        #expect(try llama3.encode("Hi") == [128000] + llama3.encode("Hi", addSpecial: false))
    }
}
