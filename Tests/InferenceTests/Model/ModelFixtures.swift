import Foundation
import GGUF
import Testing
import TestSupport

/// Parent of the suites that run the real shared models, serialized: each test already uses
/// every core through the worker pool, and spinning pools oversubscribing two cores would make
/// every test several times slower.
@Suite(.serialized) enum RealModelTests {}

/// Locations of the model tests' committed fixtures and of the shared real models.
enum ModelFixtures {
    /// `Tests/InferenceTests/Fixtures/Model`, found from this file's path (works from any cwd).
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()            // Model
        .deletingLastPathComponent()            // InferenceTests
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

    struct SyntheticModelMissing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: run Scripts/test.sh (or Scripts/reference/make_synthetic_models.py) to generate it"
        }
    }

    /// Opens a shared real model (`PARLEY_MODELS_DIR`, default `../shared/models`).
    static func real(_ name: String) throws -> GGUFFile {
        try GGUFFile(path: TestPaths.model(name).path)
    }

    static let smolQ4_1 = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let smolQ4_K_M = "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf"
    static let stories = "stories260K.gguf"

    /// A file in the shared reference folder (`PARLEY_REFERENCE_DIR`, default `../shared/reference`).
    static func referenceURL(_ name: String) -> URL {
        TestPaths.reference.appendingPathComponent(name)
    }

    /// A JSON file from the shared reference folder.
    static func referenceJSON(_ name: String) throws -> Any {
        let data = try Data(contentsOf: TestPaths.reference.appendingPathComponent(name))
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
