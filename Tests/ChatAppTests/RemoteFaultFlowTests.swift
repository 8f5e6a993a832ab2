import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Remote faults as the chat screen shows them (issue #14 item 3): kept, marked, said.
struct RemoteFaultFlowTests {
    @Test func aCutAnswerKeepsItsTextMarkedAndTheStatusBarSaysWhy() throws {
        var state = Fixture.state()
        state.type("Tell me a story")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Once upon"))))
        let effects = state.apply(
            .session(
                .finished(
                    Fixture.completion(
                        "Once upon", .connectionLost, error: "connection to gpu-box:8000 lost mid-answer"))))
        let saved = try #require(state.conversation.messages.last)
        #expect(saved.content == "Once upon" && saved.record?.finishReason == .connectionLost)
        #expect(effects == [.save(state.transcriptSnapshot(), to: nil)])
        #expect(state.screen.text.contains("Once upon\n [connection lost]"))
        #expect(state.screen.text.contains("error: connection to gpu-box:8000 lost mid-answer"))
    }

    @Test func aFaultBeforeAnyTextKeepsTheQuestionAndShowsTheMessage() throws {
        var state = Fixture.state()
        state.type("Hi")
        state.press(.enter)
        state.apply(
            .session(
                .finished(
                    Fixture.completion(
                        "", .error, tokens: 0, error: "rate limited by gpu-box (429); retry after 7 s"))))
        #expect(state.conversation.messages.map(\.content) == ["Hi"])
        #expect(state.screen.text.contains("retry after 7 s"))
    }
}

/// Where the model runs, in the status bar.
struct RemoteStatusBarTests {
    @Test func aRemoteModelShowsItsHost() {
        let state = Fixture.state(
            width: 120,
            model: ModelSummary(
                fileName: "meta-llama/Llama-3.3-70B-Instruct", contextLength: 32768, location: "gpu-box:8000"))
        let screen = state.screen.text
        #expect(screen.contains("meta-llama/Llama-3.3") && screen.contains(" @ gpu-box:8000"), "\(screen)")
    }
}
