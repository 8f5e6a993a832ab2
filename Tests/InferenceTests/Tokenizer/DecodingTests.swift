import Inference
import TestSupport
import Testing

/// Pieces and decoding as llama.cpp's `llama_token_to_piece` and `llama_detokenize`.
@Suite("pieces and decoding", .requires([.vocabularies]))
struct DecodingTests {
    @Test("byte-level BPE pieces map GPT-2 characters back to bytes")
    func bytePairPieces() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("smollm2")
        let the = try #require(tokenizer.tokenID(forText: "Ġthe"))
        #expect(tokenizer.tokenText(the) == "Ġthe")
        #expect(tokenizer.piece(the) == Array(" the".utf8))
        let newline = try #require(tokenizer.tokenID(forText: "Ċ"))
        #expect(tokenizer.piece(newline) == [0x0A])
        #expect(tokenizer.piece(1) == [])
        #expect(tokenizer.piece(1, special: true) == Array("<|im_start|>".utf8))
    }

    @Test("SentencePiece pieces: ▁ is a space, <0xNN> a byte")
    func sentencePiecePieces() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("llama-spm")
        let hello = try #require(tokenizer.tokenID(forText: "▁Hello"))
        #expect(tokenizer.piece(hello) == Array(" Hello".utf8))
        let newline = try #require(tokenizer.tokenID(forText: "<0x0A>"))
        #expect(tokenizer.attributes(newline).contains(.byte))
        #expect(tokenizer.piece(newline) == [0x0A])
        #expect(tokenizer.piece(2) == [])
        #expect(tokenizer.piece(2, special: true) == Array("</s>".utf8))
        #expect(tokenizer.decode([1, hello], special: true) == "<s> Hello")
        #expect(tokenizer.decode([hello, hello]) == "Hello Hello")
    }

    @Test("ids outside the vocabulary decode to nothing")
    func outOfRange() throws {
        for name in ["smollm2", "llama-spm"] {
            let tokenizer = try TokenizerFixtures.tokenizer(name)
            let size = Int32(tokenizer.vocabularySize)
            for id in [-1, Int32.min, size, Int32.max] {
                #expect(tokenizer.piece(id, special: true).isEmpty)
                #expect(tokenizer.tokenText(id).isEmpty)
                #expect(tokenizer.attributes(id).isEmpty)
            }
            #expect(tokenizer.decode([-5, size, Int32.max]) == "")
        }
    }

    @Test("empty input gives no tokens, or just BOS")
    func emptyInput() throws {
        #expect(try TokenizerFixtures.tokenizer("smollm2").encode("") == [])
        #expect(try TokenizerFixtures.tokenizer("llama-spm").encode("") == [1])
        #expect(try TokenizerFixtures.tokenizer("llama-spm").encode("", addSpecial: false) == [])
        #expect(try TokenizerFixtures.tokenizer("smollm2").decode([]) == "")
    }
}
