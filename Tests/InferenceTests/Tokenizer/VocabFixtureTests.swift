import Inference
import Testing

/// llama.cpp's own tokenizer test vectors: 46 strings for each of six vocabularies, tokenized
/// without BOS and without parsing special tokens.
@Suite("llama.cpp vocab test vectors")
struct VocabFixtureTests {
    @Test("all 46 cases match", arguments: TokenizerFixtures.vocabNames)
    func vocabCasesMatch(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        let cases = try TokenizerFixtures.vocabCases(name)
        #expect(cases.count == 46)
        for (index, testCase) in cases.enumerated() {
            let ids = try tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false)
            #expect(ids == testCase.ids, "\(name) case \(index): \(testCase.text.debugDescription)")
        }
    }

    @Test("vocabularies load without warnings", arguments: TokenizerFixtures.vocabNames + [
        "SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf", "stories260K.gguf",
    ])
    func loadsCleanly(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        #expect(tokenizer.warnings.isEmpty, "\(tokenizer.warnings)")
    }
}
