import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// Whole interactions through `update`: answering, stopping, quitting, actions and their effects.
struct UpdateFlowTests {
    @Test func anAnswerStreamsThenIsSavedWithItsRecord() throws {
        var state = Fixture.state()
        state.type("What is 2+2?")
        let sent = state.press(.enter)
        let seed = try #require(state.answer?.seed)
        #expect(sent == [.send(state.conversation, seed: seed)])
        #expect(state.transcript.title == "What is 2+2?" && state.activity == .thinking)
        state.apply(.session(.started(promptTokens: 20, cachedTokens: 0)), .session(.delta(AnswerDelta(text: "4"))))
        #expect(state.activity == .generating && state.contextUsed == 21)
        let effects = state.apply(.session(.finished(Fixture.completion("4", .stop, tokens: 1))))
        let message = try #require(state.conversation.messages.last)
        #expect(message.content == "4" && message.record?.seed == 7)
        #expect(state.activity == .idle && state.answer == nil && state.lastTokensPerSecond == 42.5)
        #expect(effects == [.save(state.transcriptSnapshot(), to: nil)])
        state.apply(.transcriptSaved(id: "test-id", url: URL(fileURLWithPath: "/tmp/x.json")))
        #expect(state.transcript.url == URL(fileURLWithPath: "/tmp/x.json"))
    }

    @Test func escapeStopsAndKeepsThePartialAnswer() throws {
        var state = Fixture.state()
        state.type("Tell me a story")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Once upon"))))
        #expect(state.press(.escape) == [.cancel])
        #expect(state.activity == .stopping)
        #expect(state.press(.escape).isEmpty)
        state.apply(.session(.finished(Fixture.completion("Once upon a", .cancelled))))
        #expect(state.conversation.messages.last?.record?.finishReason == .cancelled)
        #expect(state.screen.text.contains("Once upon a\n [stopped]"))
    }

    @Test func ctrlCStopsThenAsksBeforeQuitting() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.type("Go")
        state.press(.enter)
        #expect(state.press(.ctrl("c")) == [.cancel])
        state.apply(.session(.finished(Fixture.completion("Gone", .cancelled))))
        #expect(state.press(.ctrl("c")).isEmpty)
        #expect(state.screen.text.contains("Press Ctrl+C again to quit"))
        state.apply(.tick(now: .seconds(4), wallClock: Fixture.created))
        #expect(state.quitArmedUntil == nil && !state.screen.text.contains("again to quit"))
        state.press(.ctrl("c"))
        state.press(.character("x")) // any other key disarms
        #expect(state.quitArmedUntil == nil)
        state.press(.ctrl("c"))
        // The stopped answer was saved when it ended, so quitting has nothing left to write.
        #expect(state.press(.ctrl("c")) == [.quit] && state.isQuitting)
    }

    @Test(arguments: [TerminalSignal.terminate, .hangup])
    func signalsSaveThePartialAnswerAndQuit(_ signal: TerminalSignal) throws {
        var state = Fixture.state()
        state.type("Hi")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Hello the"))))
        let effects = state.apply(.input(.signal(signal)))
        let saved = try #require(state.conversation.messages.last)
        #expect(saved.content == "Hello the" && saved.record?.finishReason == .cancelled)
        // Quitting waits for the save's result, then leaves.
        #expect(effects == [.cancel, .save(state.transcriptSnapshot(), to: nil)])
        #expect(!state.isQuitting && state.exitSignal == signal)
        #expect(
            state.apply(.transcriptSaved(id: state.transcript.id, url: URL(fileURLWithPath: "/tmp/t.json"))) == [.quit])
        #expect(state.isQuitting)
        // The session's late events for the abandoned answer are ignored.
        state.apply(
            .session(.delta(AnswerDelta(text: "re"))),
            .session(.finished(Fixture.completion("Hello there", .cancelled))))
        #expect(state.conversation.messages.count == 2)
    }

    @Test func quittingAnEmptyChatWritesNothing() {
        var state = Fixture.state()
        #expect(state.press(.ctrl("q")) == [.quit])
    }

    @Test func newConversationDuringAnAnswerSkipsItsLateEvents() {
        var state = Fixture.state()
        state.type("First")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "Par"))))
        let effects = state.press(.ctrl("n"))
        #expect(effects.first == .cancel && state.conversation.messages.isEmpty)
        state.apply(
            .session(.delta(AnswerDelta(text: "tial"))), .session(.finished(Fixture.completion("Partial", .cancelled))))
        #expect(state.conversation.messages.isEmpty && state.activity == .idle)
        state.type("Second")
        state.press(.enter)
        state.apply(.session(.delta(AnswerDelta(text: "ok"))), .session(.finished(Fixture.completion("ok", .stop))))
        #expect(state.conversation.messages.map(\.content) == ["Second", "ok"])
    }

    @Test func sendingWaitsForTheModelAndForTheCurrentAnswer() {
        var state = Fixture.state(model: nil)
        state.type("Early")
        #expect(state.press(.enter).isEmpty && state.input.text == "Early")
        state.apply(.modelLoaded(Fixture.model))
        #expect(state.activity == .idle)
        state.press(.enter)
        state.type("Too soon")
        #expect(state.press(.enter).isEmpty && state.input.text == "Too soon")
        #expect(state.notice?.text.contains("Esc stops it") == true)
    }

    @Test func hotKeysClampAndShowInTheStatusBar() {
        var state = Fixture.state()
        for _ in 0..<30 { state.press(.function(6)) }
        #expect(state.conversation.parameters.temperature == 2)
        #expect(state.screen.text.contains("temp 2 "))
        for _ in 0..<30 { state.press(.alt("[")) }
        #expect(state.conversation.parameters.temperature == 0)
        for _ in 0..<10 { state.press(.function(8)) }
        #expect(state.conversation.parameters.maxTokens == 2048)
        for _ in 0..<10 { state.press(.alt("-")) }
        #expect(state.conversation.parameters.maxTokens == 16)
        #expect(state.screen.text.contains("max 16 "))
        state.type("Hi")
        state.press(.enter)
        #expect(state.answer?.parameters.maxTokens == 16 && state.answer?.parameters.temperature == 0)
    }

    @Test func typedParameterValuesAreCheckedBeforeTheyApply() {
        var state = Fixture.state()
        state.press(.function(3), .down, .down, .enter, .ctrl("u"))
        state.type("many")
        state.press(.enter)
        #expect(state.screen.text.contains("max_tokens: 'many' is not a whole number"))
        state.press(.ctrl("u"))
        state.type("4096")
        state.press(.enter)
        #expect(state.screen.text.contains("max_tokens must be at most the context length (2048)"))
        #expect(state.conversation.parameters.maxTokens == 512)
        state.press(.ctrl("u"))
        state.type("300")
        state.press(.enter)
        #expect(state.conversation.parameters.maxTokens == 300)
        state.press(.down, .down, .down, .down, .down, .down, .down, .down, .enter)
        state.type(#"["\n\n", "User:"]"#)
        state.press(.enter)
        #expect(state.conversation.parameters.stop == ["\n\n", "User:"])
        state.press(.up, .enter, .ctrl("u"))
        state.type("12")
        state.press(.enter)
        #expect(state.conversation.parameters.seed == 12)
        state.press(.escape)
        #expect(state.overlay == nil && state.isDirty)
    }

    @Test func historyRecallsSentMessagesAndTheDraft() {
        var state = Fixture.state()
        for text in ["one", "two"] {
            state.type(text)
            state.press(.enter)
            state.apply(.session(.finished(Fixture.completion("ok", .stop))))
        }
        state.type("dra")
        state.press(.up)
        #expect(state.input.text == "two")
        state.press(.up, .up)
        #expect(state.input.text == "one")
        state.press(.down, .down)
        #expect(state.input.text == "dra")
    }

    @Test func openingATranscriptContinuesItWithItsSettings() {
        var state = Fixture.state()
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0.3
        parameters.maxTokens = 64
        let saved = Transcript(
            id: "saved", title: "Earlier chat", created: Fixture.created,
            conversation: Conversation(systemPrompt: "Be terse.", messages: Fixture.pairs(2), parameters: parameters))
        let url = URL(fileURLWithPath: "/tmp/saved.json")
        let effects = state.apply(.transcriptOpened(saved, url))
        #expect(effects == [.countTokens(saved.conversation)])
        #expect(state.conversation == saved.conversation && state.transcript.url == url)
        #expect(state.history == ["Question 0", "Question 1"])
        let screen = state.screen.text
        #expect(screen.contains("temp 0.3") && screen.contains("max 64") && screen.contains("Be terse."))
        state.apply(.promptTokens(99, for: saved.conversation))
        #expect(state.screen.text.contains("ctx 99/2048"))
    }

    @Test func systemPromptEditsApplyToTheNextAnswer() throws {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.press(.function(2))
        state.type("Answer in French.")
        let effects = state.press(.ctrl("s"))
        #expect(state.conversation.systemPrompt == "Answer in French.")
        #expect(effects == [.save(state.transcriptSnapshot(), to: nil), .countTokens(state.conversation)])
        state.type("Hello")
        state.press(.enter)
        let sent = try #require(state.answer)
        #expect(sent.parameters == state.conversation.parameters)
        #expect(state.conversation.templateMessages.first == .system("Answer in French."))
        state.press(.escape)
        state.apply(.session(.finished(Fixture.completion("", .cancelled))))
        state.press(.function(2), .ctrl("u"), .escape)
        #expect(state.conversation.systemPrompt == "Answer in French.")
    }

    @Test func browserOpensDeletesAndRefreshes() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.isDirty = true
        state.press(.ctrl("o"))
        let alpha = Fixture.summary("Alpha", 2, minutes: 3)
        state.apply(.transcriptsListed([alpha, Fixture.summary("Beta", 4, minutes: 2)], problems: ["bad.json"]))
        #expect(state.screen.text.contains("1 unreadable file(s) skipped"))
        state.press(.delete)
        #expect(state.press(.character("y")) == [.deleteTranscript(alpha.url)])
        #expect(state.apply(.transcriptDeleted(alpha.url)) == [.listTranscripts])
        state.apply(.transcriptsListed([Fixture.summary("Beta", 4, minutes: 2)], problems: []))
        let effects = state.press(.enter)
        #expect(
            effects == [
                .save(state.transcriptSnapshot(), to: nil), .loadTranscript(Fixture.summary("Beta", 4, minutes: 2).url)
            ])
    }

    @Test func modelFailureEndsTheApp() {
        var state = Fixture.state(model: nil)
        #expect(state.apply(.modelFailed("cannot load model x.gguf: bad magic")) == [.quit])
        #expect(state.fatalError == "cannot load model x.gguf: bad magic")
    }

    @Test func editAndRegenerateRefuseWhileAnswering() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        state.type("More")
        state.press(.enter)
        #expect(state.press(.alt("e")).isEmpty && state.press(.ctrl("r")).isEmpty)
        #expect(state.conversation.messages.count == 3)
    }

    @Test func emptyAnswersKeepTheQuestionForRetry() {
        var state = Fixture.state()
        state.type("Hi")
        state.press(.enter)
        state.apply(.session(.finished(Fixture.completion("", .error, tokens: 0, error: "boom"))))
        #expect(state.failure == "boom" && state.conversation.messages.count == 1)
        let effects = state.press(.ctrl("r"))
        #expect(effects == [.send(state.conversation, seed: state.answer?.seed ?? 0)])
        #expect(state.failure == nil)
    }
}

extension UpdateFlowTests {
    @Test func maxTokensIsLoweredToASmallContext() {
        var state = Fixture.state(model: nil)
        state.apply(.modelLoaded(ModelSummary(fileName: "tiny.gguf", contextLength: 256)))
        #expect(state.conversation.parameters.maxTokens == 256)
        #expect(state.notice?.text == "max tokens lowered to 256 to fit the context window")
        state.press(.function(8))
        #expect(state.conversation.parameters.maxTokens == 256)
    }

    /// Issue #16: a GGUF without a chat template (Gemma 3 270M base) is announced as a base model.
    @Test func aBaseModelIsAnnouncedWhenItLoads() {
        var state = Fixture.state(model: nil)
        state.apply(
            .modelLoaded(
                ModelSummary(
                    fileName: "gemma-3-270m-q4_k_m.gguf", contextLength: 4096,
                    isBaseModel: true)))
        let notice = state.notice?.text ?? ""
        #expect(notice.hasPrefix("gemma-3-270m-q4_k_m.gguf has no chat template: a base model"))
        var chat = Fixture.state(model: nil)
        chat.apply(.modelLoaded(ModelSummary(fileName: "chat.gguf", contextLength: 4096)))
        #expect(chat.notice == nil)
        // The notice goes after a few seconds; the welcome screen and the status bar keep saying it.
        state.apply(.tick(now: .seconds(60), wallClock: Fixture.created))
        chat.apply(.tick(now: .seconds(60), wallClock: Fixture.created))
        #expect(state.notice == nil)
        let screen = state.screen.text
        #expect(screen.contains("gemma-3-270m-q4_k_m is a base model: it has no chat template."))
        #expect(screen.contains("To continue a text: parley run --raw, or /v1/completions in parley serve."))
        #expect(screen.contains("gemma-3-270m-q4_k_m (base)"))
        #expect(!chat.screen.text.contains("base model") && !chat.screen.text.contains("(base)"))
    }
}
