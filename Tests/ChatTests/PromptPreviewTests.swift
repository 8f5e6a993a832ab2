import Foundation
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// The prompt inspector's data on the real SmolLM2 model, against llama.cpp's own prompt tokens.
@Suite(.serialized)
struct PromptPreviewTests {
    struct Reference: Decodable {
        var prompt: String
        var prompt_tokens: [Int32]
    }

    @Test func thePreviewIsExactlyWhatLlamaCppTokenizes() throws {
        let data = try Data(
            contentsOf: TestPaths.reference.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.greedy.json"))
        let references = try JSONDecoder().decode([Reference].self, from: data)
        let reference = try #require(references.first { $0.prompt.contains("What is 2+2?") })
        let session = try ChatSession(
            options: SessionOptions(
                modelPath: TestPaths.model("SmolLM2-135M-Instruct.Q4_1.gguf").path, contextLength: 1024, threads: 2))
        // No system prompt: the template adds SmolLM2's default one, as in the reference prompt.
        let conversation = Conversation(messages: [.user("What is 2+2?")])
        let preview = try session.promptPreview(conversation)
        #expect(preview.tokens == reference.prompt_tokens)
        #expect(preview.text == reference.prompt)
        #expect(preview.pieces.count == preview.tokens.count && preview.pieces[0] == Array("<|im_start|>".utf8))
        #expect(session.promptTokenCount(conversation) == preview.tokens.count)
        #expect(preview.droppedMessages == 0)
    }

    @Test func aPromptTooLongForTheWindowIsAClearError() throws {
        let session = try ChatSession(
            options: SessionOptions(
                modelPath: TestPaths.model("SmolLM2-135M-Instruct.Q4_1.gguf").path, contextLength: 64, threads: 2))
        var conversation = Conversation(messages: [.user(String(repeating: "word ", count: 200))])
        conversation.parameters.maxTokens = 16
        #expect(throws: ChatError.self) { try session.promptPreview(conversation) }
    }
}
