import Inference
import TestSupport
import Testing

/// llama.cpp's own tokenizer test vectors: 46 strings for each of six vocabularies, tokenized
/// without BOS and without parsing special tokens.
@Suite("llama.cpp vocab test vectors", .requires([.vocabularies]))
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

    @Test("SmolLM2 Q4_1 loads without warnings", .requires(.smolLM2Q4_1))
    func smolLM2Q4_1LoadsCleanly() throws {
        try loadsCleanly(name: TestModel.smolLM2Q4_1.fileName)
    }

    @Test("SmolLM2 Q4_K_M loads without warnings", .requires(.smolLM2Q4_K_M))
    func smolLM2Q4_K_MLoadsCleanly() throws {
        try loadsCleanly(name: TestModel.smolLM2Q4_K_M.fileName)
    }

    @Test("stories260K loads without warnings", .requires(.stories260K))
    func stories260KLoadsCleanly() throws {
        try loadsCleanly(name: TestModel.stories260K.fileName)
    }

    /// The vocabulary make_synthetic_models.py trains: well-formed as llama.cpp reads it.
    @Test("the generated tiny llama loads without warnings", .requires([.syntheticLlamaSPM]))
    func generatedLlamaLoadsCleanly() throws {
        try loadsCleanly(name: GeneratedModels.llamaSPMName)
    }

    @Test("vocabularies load without warnings", arguments: TokenizerFixtures.vocabNames)
    func loadsCleanly(name: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(name)
        #expect(tokenizer.warnings.isEmpty, "\(tokenizer.warnings)")
    }
}
