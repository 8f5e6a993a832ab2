import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// F2 shows the system prompt the model's template uses when the conversation has none, dimmed
/// and labelled; the editor starts empty, so typing replaces the default and saving it empty
/// keeps the conversation on the template's default.
struct TemplateDefaultSystemPromptTests {
    static let smolLM2Default = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

    private func state(systemPrompt: String? = nil, templateDefault: String? = smolLM2Default) -> AppState {
        var model = Fixture.model
        model.defaultSystemPrompt = templateDefault
        return Fixture.state(messages: Fixture.pairs(1), systemPrompt: systemPrompt, model: model)
    }

    @Test func theDefaultShowsDimmedWhenTheConversationHasNone() throws {
        var state = state()
        state.press(.function(2))
        let grid = state.screen
        assertSnapshot(grid, named: "system-prompt-template-default")
        let text = grid.text
        #expect(text.contains("template default (used while empty; typing replaces it):"), "\(text)")
        #expect(text.contains("You are a helpful AI assistant named SmolLM"), "\(text)")
        // Dimmed: drawn in the modal's hint style, not as text being edited.
        let row = try #require(grid.lines.firstIndex { $0.contains("You are a helpful AI") })
        let col = try #require(
            (0..<grid.width).first { col in
                (col..<min(grid.width, col + 7)).map { grid[row, $0].text }.joined() == "You are"
            })
        #expect(grid[row, col].style == state.theme[.modalHint])
        #expect(grid[row, col].style != state.theme[.modalText])
    }

    @Test func typingReplacesItAndSavingEmptyKeepsTheDefault() {
        var state = state()
        state.press(.function(2))
        state.press(.ctrl("s"))
        #expect(state.conversation.systemPrompt == nil, "saving the untouched editor stores nothing")
        state.press(.function(2))
        state.type("Be brief.")
        #expect(!state.screen.text.contains("named SmolLM"), "the default goes once something is typed")
        state.press(.ctrl("s"))
        #expect(state.conversation.systemPrompt == "Be brief.")
    }

    @Test func aConversationSystemPromptOrNoDefaultShowsNoDefault() {
        var own = state(systemPrompt: "Answer in French.")
        own.press(.function(2))
        #expect(own.screen.text.contains("Answer in French.") && !own.screen.text.contains("named SmolLM"))
        var none = state(templateDefault: nil)
        none.press(.function(2))
        #expect(none.screen.text.contains("(none: the model's own default)"))
        #expect(!none.screen.text.contains("template default"))
    }

    /// The runtime asks the backend once the model is loaded: F2 then shows what it said.
    @Test func theRuntimeAsksTheBackendForTheDefault() {
        let transcripts = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-f2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: transcripts) }
        let terminal = ScriptedTerminal(steps: [
            .key(.function(2), when: "idle"),
            .key(.escape, when: "Knows only French."),
            .key(.ctrl("q"), when: "idle")
        ])
        let state = AppState(size: terminal.size, transcriptID: "f2-test", created: Fixture.created, randomSeed: 9)
        let backend = SimulatedBackend(templateDefault: "Knows only French.")
        let runtime = Runtime(
            terminal: terminal, state: state, loader: SimulatedBackend.loader(backend),
            store: TranscriptStore(directory: transcripts), configURL: nil)
        _ = runtime.run()
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        #expect(runtime.state.model?.defaultSystemPrompt == "Knows only French.")
    }
}
