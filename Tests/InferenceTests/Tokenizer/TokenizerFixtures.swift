import Foundation
import GGUF
import Inference
import TestSupport

/// Shared inputs of the tokenizer tests: the vocab and model files (`TestPaths`), loaded once.
enum TokenizerFixtures {
    /// The six llama.cpp test vocabularies in `models/vocab/` (installed by `Scripts/test.sh`).
    static let vocabNames = TestPaths.vocabularyNames

    static func vocabURL(_ name: String) -> URL {
        TestPaths.model("vocab/ggml-vocab-\(name).gguf")
    }

    /// This package's `Tests/InferenceTests/Fixtures/Tokenizer` folder, found from this file.
    static let fixturesDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Tokenizer")

    private static let cache = TokenizerCache()

    /// The tokenizer of a vocab file (`llama-spm`...), a model file (`stories260K.gguf`) or the
    /// generated tiny llama (`GeneratedModels.llamaSPMName`).
    static func tokenizer(_ name: String) throws -> Tokenizer {
        try cache.tokenizer(name) {
            let url =
                name == GeneratedModels.llamaSPMName
                ? GeneratedModels.llamaSPM
                : name.hasSuffix(".gguf") ? TestPaths.model(name) : vocabURL(name)
            return try Tokenizer(gguf: GGUFFile(path: url.path))
        }
    }

    /// llama.cpp's `test-tokenizer-0` cases of a vocab: the input strings and the expected ids.
    static func vocabCases(_ name: String) throws -> [(text: String, ids: [Int32])] {
        // The vectors are committed text, found on their own (the vocabulary itself is installed).
        let input = try String(contentsOf: TestPaths.model("vocab/ggml-vocab-\(name).gguf.inp"), encoding: .utf8)
        let output = try String(contentsOf: TestPaths.model("vocab/ggml-vocab-\(name).gguf.out"), encoding: .utf8)
        var texts = input.components(separatedBy: "\n__ggml_vocab_test__\n")
        if texts.last == "" { texts.removeLast() }
        var lines = output.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        precondition(texts.count == lines.count, "\(name): \(texts.count) inputs, \(lines.count) outputs")
        return zip(texts, lines).map { text, line in
            (text, line.split(separator: " ").compactMap { Int32($0) })
        }
    }

    /// The strings of llama.cpp's vocab tests (the same file for every vocab).
    static func vocabTestStrings() throws -> [String] {
        try vocabCases("smollm2").map(\.text)
    }

    /// A JSON file of the shared reference folder.
    static func referenceJSON(_ name: String) throws -> Any {
        let data = try Data(contentsOf: TestPaths.referenceFile(name))
        return try JSONSerialization.jsonObject(with: data)
    }
}

/// Loaded tokenizers by name, so that each file is parsed once per test run; different files
/// load in parallel, and tests wanting the same file wait for the one load.
private final class TokenizerCache: @unchecked Sendable {
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var tokenizer: Tokenizer?
    }

    private let lock = NSLock()
    private var slots: [String: Slot] = [:]

    func tokenizer(_ name: String, make: () throws -> Tokenizer) throws -> Tokenizer {
        let slot = lock.withLock {
            if let slot = slots[name] { return slot }
            let slot = Slot()
            slots[name] = slot
            return slot
        }
        slot.lock.lock()
        defer { slot.lock.unlock() }
        if let tokenizer = slot.tokenizer { return tokenizer }
        let tokenizer = try make()
        slot.tokenizer = tokenizer
        return tokenizer
    }
}
