import Inference
import TestSupport
import Testing

/// `decode(encode(x))` gives `x` back wherever llama.cpp would: always for byte-level BPE, and for
/// SentencePiece once the space prefix is dropped again (which `decode` does for a first token).
@Suite("decode(encode(x)) round trip", .requires([.vocabularies]))
struct RoundTripTests {
    @Test("llama.cpp test strings round-trip", arguments: TokenizerFixtures.vocabNames)
    func vocabStrings(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        for text in try TokenizerFixtures.vocabTestStrings() {
            let ids = try tokenizer.encode(text, addSpecial: false)
            #expect(tokenizer.decode(ids) == text, "\(name): \(text.debugDescription)")
        }
    }

    @Test("with BOS, SentencePiece keeps the prefix space, stories260K", .requires(.stories260K))
    func sentencePieceWithBOSStories260K() throws {
        try sentencePieceWithBOS(name: TestModel.stories260K.fileName)
    }

    @Test("with BOS, SentencePiece keeps the prefix space", arguments: ["llama-spm", "phi-3"])
    func sentencePieceWithBOS(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        #expect(tokenizer.addBOS)
        for text in try TokenizerFixtures.vocabTestStrings() where !text.isEmpty {
            let ids = try tokenizer.encode(text, addSpecial: true)
            #expect(ids.first == tokenizer.bos)
            // As llama_detokenize: BOS renders empty but uses up the one-space strip.
            #expect(tokenizer.decode(ids) == " " + text, "\(name): \(text.debugDescription)")
        }
    }

    @Test("ChatML with special tokens round-trips when rendered")
    func chatML() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        let prompt =
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi 👋<|im_end|>\n<|im_start|>assistant\n"
        let ids = try tokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
        #expect(ids.filter { $0 == 1 }.count == 3)
        #expect(tokenizer.decode(ids, special: true) == prompt)
        #expect(tokenizer.decode(ids) == "system\nBe brief.\nuser\nHi 👋\nassistant\n")
    }
}
