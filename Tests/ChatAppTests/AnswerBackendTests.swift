import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Every answer's record names the backend that wrote it, also an answer the app ends itself
/// (quitting or leaving mid-answer keeps the partial text as a stopped answer).
struct AnswerBackendTests {
    static let backend = BackendReference.remote(host: "gpu-box:8000", model: "meta-llama/Llama-3.3-70B")

    private func answering() -> AppState {
        var state = Fixture.state(
            model: ModelSummary(
                fileName: "meta-llama/Llama-3.3-70B", contextLength: 32768, location: "gpu-box:8000",
                backend: Self.backend))
        state.type("Tell me a story")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Once upon"))))
        return state
    }

    @Test func quittingMidAnswerSavesThePartialAnswerWithItsBackend() throws {
        var state = answering()
        let effects = state.press(.ctrl("q"))
        let saved = try #require(
            effects.compactMap { effect -> Transcript? in
                if case .save(let transcript, _) = effect { return transcript } else { return nil }
            }.first)
        let answer = try #require(saved.conversation.messages.last)
        #expect(answer.content == "Once upon" && answer.record?.finishReason == .cancelled)
        #expect(answer.record?.backend == Self.backend)
    }

    @Test func aNewChatMidAnswerKeepsTheBackendOfTheAnswerLeftBehind() throws {
        var state = answering()
        state.press(.ctrl("n"))
        state.press(.alt("u"))
        #expect(state.conversation.messages.last?.record?.backend == Self.backend)
    }
}
