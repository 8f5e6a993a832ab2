import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Alternatives, regenerating, the probability view and the inspectors, through `update`.
struct AlternativesFlowTests {
    static let three = ["First answer.", "Second answer.", "Third answer."]

    func stateWithAlternatives(_ texts: [String] = three, logprobs: Bool = true) -> AppState {
        Fixture.state(messages: [.user("Say something"), Fixture.alternatives(texts, logprobs: logprobs)])
    }

    @Test func flippingShowsEachAlternativeWithItsMarker() throws {
        var state = stateWithAlternatives()
        #expect(state.screen.text.contains("Assistant  ‹ 1/3 ›") && state.screen.text.contains("First answer."))
        state.press(.alt("."))
        #expect(state.conversation.messages[1].content == "Second answer.")
        #expect(state.screen.text.contains("Assistant  ‹ 2/3 ›") && !state.screen.text.contains("First answer."))
        state.press(.alt(","), .alt(","))
        #expect(state.conversation.messages[1].chosen == 2 && state.screen.text.contains("‹ 3/3 ›"))
        #expect(state.isDirty)
    }

    @Test func aPlainAnswerHasNoMarkerAndFlippingSaysWhy() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        #expect(!state.screen.text.contains("‹"))
        state.press(.alt("."))
        #expect(state.notice?.text.contains("no alternatives") == true && state.conversation.messages[1].chosen == 0)
    }

    @Test func ctrlRAddsAnAlternativeInsteadOfReplacing() throws {
        var state = Fixture.state(messages: Fixture.pairs(1))
        let original = state.conversation.messages[1]
        let effects = state.press(.ctrl("r"))
        let seed = try #require(state.answer?.seed)
        #expect(effects == [.send(Conversation(messages: [.user("Question 0")]), seed: seed)])
        #expect(state.conversation.messages.count == 1, "the old answer waits aside while the new one streams")
        state.apply(.session(.delta(AnswerDelta(text: "A new"))))
        #expect(state.screen.text.contains("A new") && !state.screen.text.contains(original.content))
        state.apply(.session(.finished(Fixture.completion("A new answer.", .stop))))
        let message = try #require(state.conversation.messages.last)
        #expect(state.conversation.messages.count == 2)
        #expect(message.answers.map(\.content) == [original.content, "A new answer."])
        #expect(message.chosen == 1 && message.content == "A new answer." && message.record?.seed == 7)
        #expect(state.screen.text.contains("‹ 2/2 ›"))
        state.press(.alt(","))
        #expect(state.conversation.messages[1].content == original.content)
        #expect(state.conversation.messages[1].record == original.record)
    }

    @Test func aRegenerationThatFailsOrIsStoppedKeepsTheOldAnswer() throws {
        var state = Fixture.state(messages: Fixture.pairs(1))
        let original = state.conversation.messages[1]
        state.press(.ctrl("r"))
        state.apply(.session(.finished(Fixture.completion("", .error, tokens: 0, error: "boom"))))
        #expect(state.conversation.messages.last == original)

        state.press(.ctrl("r"))
        state.apply(.session(.delta(AnswerDelta(text: "Half"))))
        state.press(.escape)
        state.apply(.session(.finished(Fixture.completion("Half", .cancelled))))
        let message = try #require(state.conversation.messages.last)
        #expect(message.answers.map(\.content) == [original.content, "Half"])
        #expect(message.answers[1].record?.finishReason == .cancelled)

        // Quitting mid-regeneration keeps both too (the partial one as a stopped alternative).
        state.press(.ctrl("r"))
        state.apply(.session(.delta(AnswerDelta(text: "Third"))))
        let effects = state.press(.ctrl("q"))
        #expect(state.conversation.messages.last?.answers.map(\.content) == [original.content, "Half", "Third"])
        #expect(effects.contains(.save(state.transcriptSnapshot(), to: nil)))
    }

    @Test func theConversationContinuesFromTheAlternativeOnScreen() throws {
        var state = stateWithAlternatives()
        state.press(.alt("."))
        state.type("And then?")
        let effects = state.press(.enter)
        guard case .send(let sent, _) = try #require(effects.first) else {
            Issue.record("no send")
            return
        }
        #expect(sent.templateMessages.map(\.content) == ["Say something", "Second answer.", "And then?"])
        // The saved transcript keeps every alternative, the second chosen.
        let snapshot = state.transcriptSnapshot()
        #expect(snapshot.conversation.messages[1].answers.count == 3 && snapshot.conversation.messages[1].chosen == 1)
    }

    @Test func nAlternativesStreamTogetherAndTheOneViewedIsChosen() throws {
        var state = Fixture.state()
        state.conversation.parameters.n = 3
        state.type("Hi")
        state.press(.enter)
        for choice in 0..<3 { state.apply(.session(.delta(AnswerDelta(choice: choice, text: "Text \(choice + 1)")))) }
        #expect(state.screen.text.contains("‹ 1/3 ›") && state.screen.text.contains("Text 1"))
        state.press(.alt("."))
        #expect(state.screen.text.contains("‹ 2/3 ›") && state.screen.text.contains("Text 2"))
        let choices = (0..<3).map {
            Completion.Choice(index: $0, text: "Text \($0 + 1)", reason: .stop, completionTokens: 2, crossEntropy: 0.5)
        }
        state.apply(
            .session(
                .finished(
                    Completion(
                        choices: choices, usage: Usage(promptTokens: 10, completionTokens: 6, cachedTokens: 0),
                        timings: Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1), seed: 5))))
        let message = try #require(state.conversation.messages.last)
        #expect(message.answers.map(\.content) == ["Text 1", "Text 2", "Text 3"] && message.chosen == 1)
        #expect(message.answers.map(\.choiceIndex) == [0, 1, 2])
        #expect(state.screen.text.contains("ppl 1.65"))
    }

    @Test func theProbabilityViewTurnsLogprobsOnAndColoursTokens() throws {
        var state = stateWithAlternatives()
        state.press(.alt("l"))
        #expect(state.probabilityView && state.conversation.parameters.logprobs)
        #expect(state.conversation.parameters.topLogprobs == 5)
        #expect(state.screen.text.contains("≥90%") && state.screen.text.contains("<10%"))

        // A streaming answer is coloured as its tokens arrive.
        state.type("More")
        state.press(.enter)
        let unsure = TokenLogprob(token: "Sure", bytes: Array("Sure".utf8), logprob: log(0.3))
        state.apply(.session(.delta(AnswerDelta(text: "Sure", logprobs: [unsure]))))
        let grid = state.screen
        let row = try #require((0..<grid.height).first { grid.row($0).map(\.text).joined().contains(" Sure▍") })
        #expect(grid[row, 1].text == "S" && grid[row, 1].style == state.theme[.probabilityLow])
        state.apply(.session(.finished(Fixture.completion("Sure", .stop))))
        state.press(.alt("l"))
        #expect(!state.probabilityView && state.conversation.parameters.logprobs, "recording stays on")
    }

    @Test func theTokenInspectorNeedsRecordedTokens() {
        var state = stateWithAlternatives(logprobs: false)
        #expect(state.press(.alt("i")) == [.bell])
        // The notice names the key that turns recording on, as the bindings have it (F4 built in).
        #expect(
            state.overlay == nil && state.notice?.text.contains("F4 records them") == true,
            "\(state.notice?.text ?? "")")
    }

    @Test func thePromptInspectorShowsWhatTheBackendRendered() throws {
        var state = stateWithAlternatives()
        state.type("Next question")
        let effects = state.press(.alt("m"))
        var expected = state.conversation
        expected.messages.append(.user("Next question"))
        #expect(effects == [.previewPrompt(expected)])
        #expect(state.screen.text.contains("rendering…"))
        // A preview of some other conversation (a stale answer) is ignored.
        state.apply(.promptPreviewed(PromptPreview(tokens: [1], pieces: [Array("x".utf8)]), for: Conversation()))
        #expect(state.screen.text.contains("rendering…"))
        state.apply(.promptPreviewFailed("the message is too long", for: expected))
        #expect(state.screen.text.contains("cannot render the prompt: the message is too long"))
    }

    @Test func openingAVersion1TranscriptSavesNothingUntilItContinues() throws {
        let data = try Data(contentsOf: TestPaths.repositoryFile("transcripts/example-arithmetic.json"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let transcript = try decoder.decode(Transcript.self, from: data)
        #expect(transcript.version == 1)
        var state = Fixture.state()
        state.apply(.transcriptOpened(transcript, URL(fileURLWithPath: "/tmp/v1.json")))
        #expect(!state.press(.ctrl("q")).contains { if case .save = $0 { return true } else { return false } })

        var continued = Fixture.state()
        continued.apply(.transcriptOpened(transcript, URL(fileURLWithPath: "/tmp/v1.json")))
        continued.type("And 3+3?")
        continued.press(.enter)
        let effects = continued.apply(.session(.finished(Fixture.completion("6", .stop))))
        guard case .save(let saved, let url) = try #require(effects.first) else {
            Issue.record("no save")
            return
        }
        #expect(url == URL(fileURLWithPath: "/tmp/v1.json"))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let written = try #require(try JSONSerialization.jsonObject(with: encoder.encode(saved)) as? [String: Any])
        #expect(written["version"] as? Int == Transcript.currentVersion)
    }
}
