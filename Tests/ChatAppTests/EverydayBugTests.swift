import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Regression tests for the bugs a new user hit (issue #17, "Bugs").
struct EverydayBugTests {
    /// Bug 4: deleting the open conversation from Ctrl+O must not leave it on screen, and the
    /// next message must not write it back under the same id.
    @Test func deletingTheOpenConversationStartsANewChat() throws {
        let summary = Fixture.summary("Alpha", 2, minutes: 3)
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.apply(.transcriptSaved(id: "test-id", url: summary.url))
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([summary], problems: []))
        state.press(.delete)
        let effects = state.press(.character("y"))
        #expect(effects.contains(.deleteTranscript(summary.url)))
        #expect(!effects.contains { if case .save = $0 { return true } else { return false } })
        #expect(state.conversation.messages.isEmpty)
        #expect(state.transcript.id != "test-id" && state.transcript.url == nil)
        state.apply(.transcriptDeleted(summary.url))
        state.press(.escape)
        #expect(!state.screen.text.contains("Question 0"))
        state.type("Hello")
        state.press(.enter)
        state.apply(.session(.finished(Fixture.completion("Hi", .stop))))
        #expect(state.conversation.messages.map(\.content) == ["Hello", "Hi"])
        #expect(state.transcriptSnapshot().id != "test-id")
    }

    /// Deleting another conversation leaves the open one alone.
    @Test func deletingAnotherConversationKeepsTheOpenOne() {
        let summary = Fixture.summary("Beta", 2, minutes: 3)
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([summary], problems: []))
        state.press(.delete)
        #expect(state.press(.character("y")) == [.deleteTranscript(summary.url)])
        #expect(state.conversation.messages.count == 2 && state.transcript.id == "test-id")
    }

    /// Bug 7: Ctrl+E on an empty input removed the last exchange with no way back; Esc now puts
    /// it back, and so does Alt+U.
    @Test func editingTheLastMessageIsUndoneByEscape() {
        var state = Fixture.state(messages: Fixture.pairs(2))
        let before = state.conversation
        state.press(.ctrl("e"))
        #expect(state.conversation.messages.count == 2 && state.input.text == "Question 1")
        state.press(.escape)
        #expect(state.conversation == before && state.input.text.isEmpty)
        #expect(state.screen.text.contains("Answer 1 is a short reply"))
    }

    /// Esc then `e` typed quickly arrives as Alt+E: the same edit, and the same way back.
    @Test func escapeThenEReadAsAltEIsUndoable() {
        var state = Fixture.state(messages: Fixture.pairs(2))
        let before = state.conversation
        let decoded = { () -> [InputEvent] in
            var decoder = InputDecoder()
            return decoder.feed(.scalar("\u{1B}")) + decoder.feed(.scalar("e"))
        }()
        for event in decoded { state.apply(.input(event)) }
        #expect(state.conversation.messages.count == 2)
        state.press(.alt("u"))
        #expect(state.conversation == before)
    }

    /// Starting a new chat and resetting the parameters are undone by Alt+U, one step.
    @Test func newChatAndParameterResetAreUndoable() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.press(.function(6))
        let warmer = state.conversation.parameters
        #expect(warmer != .defaults)
        state.press(.function(3))
        state.press(.ctrl("r"))
        state.type("y")
        #expect(state.conversation.parameters.temperature == SamplingParameters.defaults.temperature)
        state.press(.escape)
        state.press(.alt("u"))
        #expect(state.conversation.parameters == warmer)
        state.press(.ctrl("n"))
        #expect(state.conversation.messages.isEmpty)
        state.press(.alt("u"))
        #expect(state.conversation.messages.count == 2 && state.transcript.id == "test-id")
        #expect(state.press(.alt("u")) == [.bell])
    }

    /// Once a new message is sent, the undo is gone: Esc must not bring back an older state.
    @Test func sendingForgetsTheUndo() {
        var state = Fixture.state(messages: Fixture.pairs(2))
        state.press(.ctrl("e"))
        state.type(" again")
        state.press(.enter)
        state.apply(.session(.finished(Fixture.completion("Sure", .stop))))
        state.press(.escape)
        #expect(state.conversation.messages.last?.content == "Sure")
    }

    /// The parameter panel of `state`, or nil.
    private func panel(_ state: AppState) -> ParameterPanel? {
        if case .parameters(let panel) = state.overlay { return panel }
        return nil
    }

    /// Bug 1: letters typed on a row before Enter went to hot keys (`r` reset everything).
    /// Now they start typing a value, and the hint line says so.
    @Test func lettersTypedOnARowGoToTheValue() throws {
        var state = Fixture.state()
        state.press(.function(6))
        let warmer = state.conversation.parameters
        state.press(.function(3))
        #expect(!state.screen.text.contains("TYPING A VALUE"))
        state.type("r")
        #expect(state.conversation.parameters == warmer)
        let typing = try #require(panel(state))
        #expect(typing.form.editor?.text == "r")
        #expect(state.screen.text.contains("TYPING A VALUE"))
        state.press(.escape)
        #expect(panel(state)?.form.isEditing == false && state.conversation.parameters == warmer)
    }

    /// Bug 1: "reset all" asks first; only `y` or Enter resets.
    @Test func resetAllAsksFirst() {
        var state = Fixture.state()
        state.press(.function(6))
        let warmer = state.conversation.parameters
        state.press(.function(3))
        state.press(.ctrl("r"))
        #expect(state.screen.text.contains("Reset every parameter to its default?"))
        state.type("n")
        #expect(state.conversation.parameters == warmer)
        state.press(.ctrl("r"))
        state.press(.down)
        #expect(state.conversation.parameters == warmer)
        state.press(.ctrl("r"))
        state.type("y")
        #expect(state.conversation.parameters.temperature == SamplingParameters.defaults.temperature)
    }

    /// Bug 2: Enter on `seed` then `42` gave `random42`; the old value is selected and replaced.
    @Test func typingReplacesTheSelectedOldValue() throws {
        var state = Fixture.state()
        state.press(.function(3))
        let seedRow = try #require(ParameterField.allCases.firstIndex(of: .seed))
        for _ in 0..<seedRow { state.press(.down) }
        state.press(.enter)
        #expect(panel(state)?.form.editor?.text == "random")
        state.type("42")
        state.press(.enter)
        #expect(state.conversation.parameters.seed == 42)
        // Backspace on a selected value clears it; movement keeps it and unselects.
        state.press(.enter, .backspace)
        #expect(panel(state)?.form.editor?.text == "")
        state.press(.escape, .enter, .left)
        state.type("0")
        #expect(panel(state)?.form.editor?.text == "40" + "2")
    }

    /// Bug 2: a validation message wraps inside the panel instead of being cut at its border.
    @Test func validationMessagesWrapInsideThePanel() throws {
        var state = Fixture.state(width: 40, height: 24)
        state.press(.function(3))
        state.press(.enter, .ctrl("u"))
        state.type("5")
        state.press(.enter)
        let message = try #require(panel(state)?.form.fields.first?.error)
        #expect(message.contains("got 5"))
        // Read without spaces and borders, the screen holds the whole message, line after line.
        let squeezed = state.screen.text.filter { !$0.isWhitespace && $0 != "│" && $0 != "⚠" }
        #expect(squeezed.contains(message.filter { !$0.isWhitespace }))
    }

    /// A state on a 256-token window, with `maxTokens` as given.
    private func smallWindow(maxTokens: Int, messages: [ChatMessage] = []) -> AppState {
        var state = Fixture.state(
            messages: messages, model: ModelSummary(fileName: "SmolLM2-135M-Instruct.Q4_1.gguf", contextLength: 256))
        state.conversation.parameters.maxTokens = maxTokens
        return state
    }

    private func finished(_ text: String, prompt: Int, tokens: Int) -> AppEvent {
        .session(
            .finished(
                Completion(
                    text: text, reason: .length,
                    usage: Usage(promptTokens: prompt, completionTokens: tokens, cachedTokens: 0),
                    timings: Timings(prefillTokensPerSecond: 500, decodeTokensPerSecond: 40), seed: 7)))
    }

    /// Bug 6: an answer that ran into the end of the window said `[max tokens reached]` and the
    /// counter showed `ctx 257/256`.
    @Test func anAnswerThatFillsTheWindowSaysContextFull() {
        var state = smallWindow(maxTokens: 256)
        state.type("Tell me everything")
        state.press(.enter)
        state.apply(.session(.started(promptTokens: 200, cachedTokens: 0)))
        for _ in 0..<57 { state.apply(.session(.delta(AnswerDelta(text: "la ")))) }
        #expect(state.screen.text.contains("ctx 256/256") && !state.screen.text.contains("257"))
        state.apply(finished(String(repeating: "la ", count: 57), prompt: 200, tokens: 57))
        let screen = state.screen.text
        #expect(screen.contains("[context full]") && !screen.contains("[max tokens reached]"))
        #expect(screen.contains("ctx 256/256") && !screen.contains("ctx 257"))
    }

    /// The limit the person set is still reported as such.
    @Test func anAnswerThatHitsMaxTokensSaysSo() {
        var state = smallWindow(maxTokens: 16)
        state.type("Tell me everything")
        state.press(.enter)
        state.apply(finished("la la", prompt: 20, tokens: 16))
        #expect(state.screen.text.contains("[max tokens reached]") && !state.screen.text.contains("[context full]"))
    }

    /// An answer that ended its turn before any text (a base model in ChatML writes `<|im_end|>`
    /// at once) says so under its label, rather than a label over nothing; a stopped answer
    /// with text gets no marker.
    @Test func anAnswerEndedBeforeAnyTextSaysSo() {
        var state = smallWindow(maxTokens: 64)
        state.type("Tell me a story about a dragon.")
        state.press(.enter)
        state.apply(
            .session(
                .finished(
                    Completion(
                        text: "", reason: .stop, usage: Usage(promptTokens: 20, completionTokens: 6, cachedTokens: 0),
                        timings: Timings(prefillTokensPerSecond: 500, decodeTokensPerSecond: 40), seed: 7))))
        #expect(state.screen.text.contains("[empty answer: the model ended its turn at once]"))
        state.type("Again")
        state.press(.enter)
        state.apply(
            .session(
                .finished(
                    Completion(
                        text: "Once upon a time.", reason: .stop,
                        usage: Usage(promptTokens: 40, completionTokens: 5, cachedTokens: 0),
                        timings: Timings(prefillTokensPerSecond: 500, decodeTokensPerSecond: 40), seed: 7))))
        let screen = state.screen.text
        #expect(screen.contains("Once upon a time.") && screen.components(separatedBy: "[empty answer").count == 2)
    }

    /// Bug 6: when older turns are left out of the prompt, a dim rule marks the point in the
    /// conversation, and it stays after the status notice has gone.
    @Test func leftOutMessagesAreMarkedByARule() throws {
        var state = smallWindow(maxTokens: 64, messages: Fixture.pairs(2))
        state.type("And now?")
        state.press(.enter)
        state.apply(.session(.contextTrimmed(droppedMessages: 2)))
        state.apply(finished("Done", prompt: 190, tokens: 64))
        state.apply(.tick(now: .seconds(30), wallClock: Fixture.created))
        let lines = state.screen.text.split(separator: "\n").map(String.init)
        let rule = try #require(lines.firstIndex { $0.contains("earlier messages are not in the model's context") })
        let kept = try #require(lines.firstIndex { $0.contains("Question 1") })
        let dropped = try #require(lines.firstIndex { $0.contains("Answer 0") })
        #expect(dropped < rule && rule < kept)
        #expect(state.screen.text.contains("[max tokens reached]"))
    }

    /// Bug 5: at 60 columns the browser showed metadata and no titles; the title gets the room
    /// first and the metadata drops its last parts.
    @Test(arguments: [60, 50, 40])
    func narrowBrowserShowsTitles(width: Int) {
        var state = Fixture.state(width: width, height: 16)
        state.press(.ctrl("o"))
        state.apply(
            .transcriptsListed(
                [Fixture.summary("Garden party", 12, minutes: 9), Fixture.summary("Tax return", 3, minutes: 4)],
                problems: []))
        let screen = state.screen.text
        #expect(screen.contains("Garden party") && screen.contains("Tax return"))
    }

    /// At 80 columns and more nothing is dropped.
    @Test func wideBrowserKeepsAllMetadata() {
        var state = Fixture.state(width: 100, height: 16)
        state.press(.ctrl("o"))
        state.apply(.transcriptsListed([Fixture.summary("Garden party", 12, minutes: 9)], problems: []))
        #expect(
            state.screen.text.contains("Garden party") && state.screen.text.contains("12 msgs · SmolLM2-135M-Instruct"))
    }
}
