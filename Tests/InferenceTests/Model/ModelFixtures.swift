import Foundation
import GGUF
import TestSupport
import Testing

/// Parent of the suites that run the real shared models, serialized: each test already uses
/// every core through the worker pool, and spinning pools oversubscribing two cores would make
/// every test several times slower.
@Suite(.serialized) enum RealModelTests {}

/// Locations of the model tests' committed fixtures and of the shared real models.
enum ModelFixtures {
    /// `Tests/InferenceTests/Fixtures/Model`, found from this file's path (works from any cwd).
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Model
        .deletingLastPathComponent() // InferenceTests
        .appendingPathComponent("Fixtures/Model")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Opens a synthetic model. They are generated (not committed) by `Scripts/test.sh`, which
    /// runs `Scripts/reference/make_synthetic_models.py`; a missing one says so.
    static func synthetic(_ name: String) throws -> GGUFFile {
        let path = url("\(name).gguf").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SyntheticModelMissing(path: path)
        }
        return try GGUFFile(path: path)
    }

    /// The four synthetic models, as a test condition: a machine where `Scripts/test.sh` could
    /// not generate them (no PyPI `gguf`) skips their tests with this reason.
    static let syntheticModels: [TestRequirement] = [
        .generatedFiles(
            ["synthetic-llama3", "synthetic-qwen2", "synthetic-qwen3", "synthetic-llama-q8"].map { url("\($0).gguf") },
            makeItWith: "Scripts/test.sh (it generates them with PyPI gguf)")
    ]

    /// The families of issue #16 (gemma2, gemma3, smollm3, granite, olmo2, phi3), generated likewise.
    static let familyModelNames = [
        "synthetic-gemma2", "synthetic-gemma3", "synthetic-smollm3", "synthetic-granite",
        "synthetic-olmo2", "synthetic-phi3", "synthetic-phi3-long", "synthetic-phi3-q8", "synthetic-gemma3-ring"
    ]
    static let familyModels: [TestRequirement] = [
        .generatedFiles(
            familyModelNames.map { url("\($0).gguf") },
            makeItWith: "Scripts/test.sh (it generates them with PyPI gguf)")
    ]

    struct SyntheticModelMissing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: run Scripts/test.sh (or Scripts/reference/make_synthetic_models.py) to generate it"
        }
    }

    /// Opens a real model, wherever `TestPaths` finds it (tests that need a SmolLM2 file carry
    /// `.requires(...)`, so they are skipped rather than failed when it is absent).
    static func real(_ name: String) throws -> GGUFFile {
        try GGUFFile(path: TestPaths.model(name).path)
    }

    static let smolQ4_1 = TestModel.smolLM2Q4_1.fileName
    static let smolQ4_K_M = TestModel.smolLM2Q4_K_M.fileName
    static let stories = TestModel.stories260K.fileName

    /// A file of llama.cpp's reference outputs (committed in `Tests/Fixtures/reference`).
    static func referenceURL(_ name: String) -> URL {
        TestPaths.referenceFile(name)
    }

    /// A JSON file of llama.cpp's reference outputs.
    static func referenceJSON(_ name: String) throws -> Any {
        let data = try Data(contentsOf: TestPaths.referenceFile(name))
        return try JSONSerialization.jsonObject(with: data)
    }
}

/// The synthetic models' expected logits, written by `Scripts/reference/make_synthetic_models.py`.
struct SyntheticLogits: Decodable {
    let model: String
    let tokens: [Int32]
    let tolerance: Double
    let logits: [[Float]]

    static func load(_ name: String) throws -> SyntheticLogits {
        let data = try Data(contentsOf: ModelFixtures.url("\(name).logits.json"))
        return try JSONDecoder().decode(SyntheticLogits.self, from: data)
    }
}
