import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Every screen and modal as a plain-text snapshot (`RECORD_SNAPSHOTS=1` re-records).
struct ScreenSnapshotTests {
    static let conversation: [ChatMessage] = [
        .user("What can you do?"),
        Fixture.answer(
            """
            I can help with **many** things:

            - answer *questions*
            - write `code`

            ```swift
            print("hi")
            ```
            """),
        .user("Tell me a long story"),
        Fixture.answer("Once upon a time there was a", reason: .cancelled),
        .user("Count to three"),
        Fixture.answer("One, two", reason: .length, completionTokens: 512)
    ]

    @Test func chatWithMessages() {
        var state = Fixture.state(messages: Self.conversation, systemPrompt: "Be brief.")
        state.transcript.title = "What can you do?"
        state.contextUsed = 120
        state.lastTokensPerSecond = 87.25
        assertSnapshot(state.screen, named: "chat-messages")
    }

    @Test func emptyChatWhileTheModelLoads() {
        let state = Fixture.state(model: nil)
        assertSnapshot(state.screen, named: "chat-loading")
    }

    @Test func streamingAnswer() {
        var state = Fixture.state(messages: Array(Self.conversation.prefix(2)))
        state.type("And in French?")
        state.press(.enter)
        assertSnapshot(state.screen, named: "chat-thinking")
        state.apply(
            .session(.started(promptTokens: 60, cachedTokens: 50)), .session(.delta(AnswerDelta(text: "Je peux "))),
            .session(.delta(AnswerDelta(text: "aider avec **beaucoup**"))))
        state.type("next question")
        assertSnapshot(state.screen, named: "chat-streaming")
    }

    @Test func failedAnswerIsMarked() {
        var state = Fixture.state()
        state.type("Hello")
        state.press(.enter)
        state.apply(.session(.finished(Fixture.completion("", .error, tokens: 0, error: "the message is too long"))))
        assertSnapshot(state.screen, named: "chat-failed")
    }

    @Test func helpScreen() {
        var state = Fixture.state()
        state.press(.function(1))
        assertSnapshot(state.screen, named: "help-top")
        state.press(.pageDown, .pageDown)
        assertSnapshot(state.screen, named: "help-scrolled")
    }

    @Test func systemPromptEditor() {
        var state = Fixture.state(messages: Array(Self.conversation.prefix(2)), systemPrompt: "Be brief.")
        state.press(.function(2))
        state.press(.enter)
        state.type("Answer in French.")
        let frame = ChatUI.render(state, size: state.size)
        assertSnapshot(frame.grid, named: "system-prompt-editor")
        #expect(frame.cursor != nil)
    }

    @Test func parameterPanelWithInlineError() {
        var state = Fixture.state()
        state.press(.function(3), .enter, .ctrl("u"))
        state.type("3")
        state.press(.enter)
        assertSnapshot(state.screen, named: "parameters-error")
        #expect(state.conversation.parameters.temperature == 0.8)
    }

    @Test func transcriptBrowserWithFilter() {
        var state = Fixture.state()
        state.press(.ctrl("o"))
        assertSnapshot(state.screen, named: "browser-loading")
        state.apply(
            .transcriptsListed(
                [
                    Fixture.summary("Rust lifetimes", 12, minutes: 90),
                    Fixture.summary("Swift concurrency", 4, minutes: 60),
                    Fixture.summary("中文 对话 🎉", 2, minutes: 30)
                ],
                problems: []))
        assertSnapshot(state.screen, named: "browser-list")
        state.type("swift")
        assertSnapshot(state.screen, named: "browser-filtered")
    }

    @Test func deleteConfirmation() {
        var state = Fixture.state()
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([Fixture.summary("Rust lifetimes", 12, minutes: 90)], problems: []))
        state.press(.delete)
        assertSnapshot(state.screen, named: "browser-delete-confirm")
    }

    @Test func tooSmallTerminal() {
        var state = Fixture.state(messages: Self.conversation)
        state.apply(.input(.resize(TerminalSize(width: 39, height: 9))))
        assertSnapshot(state.screen, named: "too-small")
        state.apply(.input(.resize(TerminalSize(width: 12, height: 3))))
        #expect(state.screen.text.contains("Terminal"))
        state.apply(.input(.resize(TerminalSize(width: 0, height: 0))))
        #expect(state.screen.width == 0)
    }
}
