import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Texts that name keys (status bar, placeholders, hints, notices, F1 headings) name the key in
/// effect after `config.json` overrides, not the built-in one.
struct KeyHintTests {
    static let overridden = KeyOverridesTests.overrides(
        #"""
        {"keys": {"stop": "Ctrl+G", "showHelp": "F10", "editSystemPrompt": "Alt+Y", "showParameters": "F11",
                  "showTranscripts": "Alt+O", "saveSystemPrompt": "F12", "undo": "Alt+Z"}}
        """#)

    private func state(messages: [ChatMessage] = []) -> AppState {
        #expect(Self.overridden.problems.isEmpty, "\(Self.overridden.problems)")
        var state = Fixture.state(messages: messages)
        state.bindings = Self.overridden.table
        return state
    }

    @Test func emptyChatNamesTheOverriddenKeys() {
        let screen = state().screen
        assertSnapshot(screen, named: "key-hints-overridden")
        let text = screen.text
        #expect(text.contains("F10 help · Alt+Y system prompt · F11 parameters · Alt+O saved chats"), "\(text)")
        #expect(text.contains("Message · Enter sends · Alt+Enter new line · F10 help"))
        #expect(!text.contains("F1 help") && !text.contains("F2 system") && !text.contains("Ctrl+O"), "\(text)")
    }

    @Test func answeringNamesTheOverriddenStopKey() {
        var state = state()
        state.type("Hello")
        state.press(.enter)
        #expect(state.screen.text.contains("Ctrl+G stops the answer"), "\(state.screen.text)")
        state.press(.ctrl("r"))
        #expect(state.notice?.text == "an answer is being written: Ctrl+G stops it")
        state.apply(
            .session(.started(promptTokens: 900, cachedTokens: 0)),
            .session(.promptProgress(evaluated: 256, total: 900)),
            .tick(now: .seconds(2), wallClock: Fixture.created))
        #expect(state.screen.text.contains("reading prompt 256/900"), "\(state.screen.text)")
        #expect(state.screen.text.contains("(Ctrl+G stops)"), "\(state.screen.text)")
    }

    @Test func modalsAndHelpNameTheOverriddenKeys() {
        var state = state(messages: Fixture.pairs(1))
        state.press(.alt("y"))
        #expect(state.screen.text.contains("F12 save · Esc cancel · Enter new line"), "\(state.screen.text)")
        state.press(.escape, .function(10))
        let help = (0..<12).map { _ in
            defer { state.press(.pageDown) }
            return state.screen.text
        }.joined(separator: "\n")
        #expect(help.contains("System-prompt editor (Alt+Y)") && help.contains("Parameter panel (F11)"))
        #expect(help.contains("Transcript browser (Alt+O)"))
        #expect(help.contains("(Alt+Z brings"))
        #expect(!help.contains("(F2)") && !help.contains("(Alt+U brings"), "\(help)")
    }
}
