import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// Switching models in the app moves the conversation's saved KV cache from the old backend to
/// the new one (issue #14 item 4): a cache is restored only into the model that wrote it, by its
/// header fingerprint, even when another file has the same geometry (a requant of the same model).
@Suite(.serialized, .requires(.smolLM2Q4_1))
struct PromptCacheAcrossModelsTests {
    private let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-kv-\(UUID().uuidString)")

    private func session(_ model: TestModel) throws -> ChatSession {
        try session(path: model.path)
    }

    private func session(path: String) throws -> ChatSession {
        try ChatSession(options: SessionOptions(modelPath: path, contextLength: 256, threads: 2))
    }

    /// A short greedy answer of SmolLM2 Q4_1, its KV cache saved in `folder`; returns the file.
    private func cacheWrittenBySmolLM2Q4_1() throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("chat.json.kv")
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = 4
        let writer = try session(.smolLM2Q4_1)
        _ = writer.respond(to: Conversation(messages: [.user("What is 2+2?")], parameters: parameters)) { _ in }
        writer.savePromptCache(to: url)
        return url
    }

    /// The other model is the generated small llama (no model is committed; issue #10's fixture rule).
    @Test(.requires([.syntheticLlamaSPM])) func aCacheGoesBackOnlyIntoItsOwnModel() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try cacheWrittenBySmolLM2Q4_1()
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect(
            try session(path: GeneratedModels.llamaSPM.path).restorePromptCache(from: url) == 0,
            "another model never reads it")
        #expect(try session(.smolLM2Q4_1).restorePromptCache(from: url) > 30, "its own model does")
    }

    @Test(.requires(.smolLM2Q4_K_M)) func aRequantWithTheSameGeometryDoesNotReadIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try cacheWrittenBySmolLM2Q4_1()
        #expect(try session(.smolLM2Q4_K_M).restorePromptCache(from: url) == 0)
    }
}
