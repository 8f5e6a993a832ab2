import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Issue #10, finding 5b: a conversation whose save failed is never lost on quitting. Ctrl+Q
/// waits for the save, asks when it failed (retry, another path, quit without saving, cancel),
/// and a signal rescues the conversation to a fallback file and exits with 128 + its number.
struct QuitSafetyTests {
    static let failure = "cannot write /readonly/chat.json: Read-only file system"

    /// A chat with one unsaved exchange whose Ctrl+Q save has just failed.
    static func askingState() -> AppState {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.isDirty = true
        let effects = state.press(.ctrl("q"))
        #expect(effects == [.save(state.transcriptSnapshot(), to: nil)])
        #expect(!state.isQuitting && state.pendingQuit)
        #expect(state.apply(.saveFailed(failure)).isEmpty)
        return state
    }

    @Test func quittingWaitsForTheSaveAndLeavesWhenItWorked() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.isDirty = true
        #expect(state.press(.ctrl("q")) == [.save(state.transcriptSnapshot(), to: nil)])
        #expect(!state.isQuitting)
        let url = URL(fileURLWithPath: "/tmp/parley/test-id.json")
        #expect(state.apply(.transcriptSaved(id: "test-id", url: url)) == [.quit])
        #expect(state.isQuitting && state.overlay == nil)
    }

    @Test func aFailedSaveOnQuitAsksWhatToDo() {
        let state = Self.askingState()
        #expect(state.overlay == .unsaved(UnsavedPrompt(error: Self.failure)))
        #expect(!state.isQuitting && state.isDirty)
        let rows = state.screen.text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let expected = [
            "┌─────────────────── The conversation is not saved ────────────────────┐",
            "│ cannot write /readonly/chat.json: Read-only file system              │",
            "│                                                                      │",
            "│ r  try again                                                         │",
            "│ s  save to another path                                              │",
            "│ q  quit without saving                                               │",
            "│ Esc  back to the chat                                                │"
        ]
        let top = rows.firstIndex { $0.contains("The conversation is not saved") }
        #expect(top != nil, "\(state.screen.text)")
        if let top {
            #expect(Array(rows[top..<min(rows.count, top + expected.count)]) == expected, "\(state.screen.text)")
        }
    }

    @Test func retrySavesAgainAndQuitsWhenItWorks() {
        var state = Self.askingState()
        #expect(state.press(.character("r")) == [.save(state.transcriptSnapshot(), to: nil)])
        #expect(state.overlay == nil && !state.isQuitting)
        // Failing again asks again; succeeding quits.
        state.apply(.saveFailed(Self.failure))
        #expect(state.overlay == .unsaved(UnsavedPrompt(error: Self.failure)))
        state.press(.enter)
        #expect(state.apply(.transcriptSaved(id: "test-id", url: URL(fileURLWithPath: "/tmp/x.json"))) == [.quit])
        #expect(state.isQuitting)
    }

    @Test func saveToAnotherPathTypesAPathThenSavesThereAndQuits() {
        var state = Self.askingState()
        state.press(.character("s"))
        guard case .unsaved(let prompt) = state.overlay, prompt.path != nil else {
            Issue.record("no path field: \(String(describing: state.overlay))")
            return
        }
        #expect(state.screen.text.contains("Save to:"))
        // Letters are typed into the field, not taken as choices.
        state.type("/tmp/rescue-q.json")
        #expect(state.screen.text.contains("/tmp/rescue-q.json"))
        let target = URL(fileURLWithPath: "/tmp/rescue-q.json")
        #expect(state.press(.enter) == [.save(state.transcriptSnapshot(), to: target)])
        #expect(!state.isQuitting && state.overlay == nil)
        #expect(state.apply(.transcriptSaved(id: "test-id", url: target)) == [.quit])
        #expect(state.isQuitting && state.transcript.url == target)
    }

    @Test func pathFieldEscapeGoesBackToTheChoices() {
        var state = Self.askingState()
        state.press(.character("s"))
        state.press(.escape)
        #expect(state.overlay == .unsaved(UnsavedPrompt(error: Self.failure)))
    }

    @Test func quitWithoutSavingLeavesAndRemembersWhy() {
        var state = Self.askingState()
        #expect(state.press(.character("q")) == [.quit])
        #expect(state.isQuitting && state.unsavedDiscarded && state.unsavedError == Self.failure)
    }

    @Test func cancelGoesBackToTheChatWithTheChangeStillUnsaved() {
        var state = Self.askingState()
        #expect(state.press(.escape).isEmpty)
        #expect(state.overlay == nil && !state.isQuitting && state.isDirty)
        #expect(state.screen.text.contains("error: cannot write /readonly/chat.json"))
        // The next answer's autosave retries; quitting again asks again if it still fails.
        #expect(state.press(.ctrl("q")) == [.save(state.transcriptSnapshot(), to: nil)])
    }

    @Test(arguments: [TerminalSignal.terminate, .hangup])
    func aSignalAfterAFailedSaveRescuesTheConversation(_ signal: TerminalSignal) {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.isDirty = true
        #expect(state.apply(.input(.signal(signal))) == [.save(state.transcriptSnapshot(), to: nil)])
        let effects = state.apply(.saveFailed(Self.failure))
        #expect(effects == [.rescue(state.transcriptSnapshot(), reason: Self.failure), .quit])
        #expect(state.isQuitting && state.exitSignal == signal)
    }

    @Test func aSignalWhileAskingRescuesToo() {
        var state = Self.askingState()
        #expect(state.apply(.input(.signal(.terminate))) == [.save(state.transcriptSnapshot(), to: nil)])
        let effects = state.apply(.saveFailed(Self.failure))
        #expect(effects == [.rescue(state.transcriptSnapshot(), reason: Self.failure), .quit])
    }

    @Test func aSignalWithNothingUnsavedQuitsAtOnceAndKeepsTheSignal() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        #expect(state.apply(.input(.signal(.hangup))) == [.quit])
        #expect(state.isQuitting && state.exitSignal == .hangup)
    }
}

extension QuitSafetyTests {
    @Test func aTranscriptThatCannotBeOpenedStaysInTheStatusBar() {
        var state = Fixture.state()
        let message =
            "another Parley (process 4242) is using /home/someone/.local/share/parley/transcripts/5f0c1d2e.json; try again"
        state.apply(.transcriptFailed(message))
        let bar = state.screen.text.split(separator: "\n").map(String.init).first { $0.contains("error:") }
        #expect(bar?.contains("error: another Parley (process 4242) is using") == true, "\(state.screen.text)")
    }
}
