import Foundation
import Inference
import TestSupport
import Testing

/// llama.cpp's ids for the shared tokenizer vectors and the prompts of the greedy references.
@Suite("llama.cpp reference tokenizations", .requires([.vocabularies]))
struct ReferenceVectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var ids: [Int32]
        var idsWithoutSpecial: [Int32]
        var testDescription: String { name }
    }

    static func cases(_ file: String) throws -> [Case] {
        let json = try #require(try TokenizerFixtures.referenceJSON(file) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        return try cases.map { item in
            Case(
                name: try #require(item["name"] as? String), text: try #require(item["text"] as? String),
                ids: try #require(item["ids"] as? [Int]).map(Int32.init),
                idsWithoutSpecial: try #require(item["ids_no_parse_special"] as? [Int]).map(Int32.init))
        }
    }

    @Test("vectors in both parse modes, SmolLM2 model file", .requires(.smolLM2Q4_1))
    func smolLM2ModelVectors() throws {
        try vectors(tokenizerName: TestModel.smolLM2Q4_1.fileName, file: "vectors-smollm2.json")
    }

    /// (tokenizer, vectors file): SmolLM2 through its vocab file (its model file above).
    static let sources = [
        ("smollm2", "vectors-smollm2.json")
    ]

    /// stories260K's vectors are llama.cpp's ids for its own 512-token vocabulary: only that file has them.
    @Test("vectors in both parse modes, stories260K", .requires(.stories260K))
    func stories260KVectors() throws {
        try vectors(tokenizerName: TestModel.stories260K.fileName, file: "vectors-stories260K.json")
    }

    @Test("vectors in both parse modes", arguments: sources)
    func vectors(tokenizerName: String, file: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(tokenizerName)
        let cases = try Self.cases(file)
        #expect(cases.count == 12)
        for testCase in cases {
            let parsed = try tokenizer.encode(testCase.text, addSpecial: true, parseSpecial: true)
            #expect(parsed == testCase.ids, "\(tokenizerName) \(testCase.name) (parse_special)")
            let plain = try tokenizer.encode(testCase.text, addSpecial: true, parseSpecial: false)
            #expect(plain == testCase.idsWithoutSpecial, "\(tokenizerName) \(testCase.name) (no parse_special)")
        }
    }

    @Test("prompt tokens of the SmolLM2 Q4_1 greedy references", .requires(.smolLM2Q4_1))
    func smolLM2Q4_1GreedyPrompts() throws {
        try greedyPrompts(model: TestModel.smolLM2Q4_1.fileName, file: "SmolLM2-135M-Instruct.Q4_1.greedy.json")
    }

    @Test("prompt tokens of the SmolLM2 Q4_K_M greedy references", .requires(.smolLM2Q4_K_M))
    func smolLM2Q4_K_MGreedyPrompts() throws {
        try greedyPrompts(
            model: TestModel.smolLM2Q4_K_M.fileName,
            file: "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.greedy.json")
    }

    @Test("prompt tokens of the stories260K greedy references", .requires(.stories260K))
    func stories260KGreedyPrompts() throws {
        try greedyPrompts(model: TestModel.stories260K.fileName, file: "stories260K.greedy.json")
    }

    func greedyPrompts(model: String, file: String) throws {
        let tokenizer = try TokenizerFixtures.tokenizer(model)
        let entries = try #require(try TokenizerFixtures.referenceJSON(file) as? [[String: Any]])
        #expect(!entries.isEmpty)
        for entry in entries {
            let prompt = try #require(entry["prompt"] as? String)
            let addSpecial = try #require(entry["add_special"] as? Bool)
            let parseSpecial = try #require(entry["parse_special"] as? Bool)
            let expected = try #require(entry["prompt_tokens"] as? [Int]).map(Int32.init)
            let ids = try tokenizer.encode(prompt, addSpecial: addSpecial, parseSpecial: parseSpecial)
            #expect(ids == expected, "\(file): \(prompt.debugDescription)")
        }
    }

    @Test("perplexity text tokens, SmolLM2", .requires(.smolLM2Q4_1))
    func smolLM2PerplexityText() throws {
        try perplexityText(
            model: TestModel.smolLM2Q4_1.fileName, file: "ppl-text.SmolLM2-135M-Instruct.Q4_1.tokens.json",
            addBOS: false)
    }

    @Test("perplexity text tokens, stories260K", .requires(.stories260K))
    func storiesPerplexityText() throws {
        try perplexityText(
            model: TestModel.stories260K.fileName, file: "ppl-text.stories260K.tokens.json", addBOS: true)
    }

    func perplexityText(model: String, file: String, addBOS: Bool) throws {
        let text = try String(contentsOf: TestPaths.referenceFile("ppl-text.txt"), encoding: .utf8)
        let tokenizer = try TokenizerFixtures.tokenizer(model)
        #expect(tokenizer.addBOS == addBOS)
        let json = try TokenizerFixtures.referenceJSON(file)
        let expected = try Self.tokenList(json)
        let ids = try tokenizer.encode(text, addSpecial: true, parseSpecial: false)
        #expect(ids.count == expected.count, "\(model)")
        #expect(ids == expected, "\(model)")
    }

    /// The token list of a `ppl-text.*.tokens.json` file (a bare JSON array).
    static func tokenList(_ json: Any) throws -> [Int32] {
        try #require(json as? [Int]).map(Int32.init)
    }
}
