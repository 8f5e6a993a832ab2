import Chat
import ChatApp
import Foundation
import TerminalUI
import Testing

/// The status bar shows the last answer's speculative drafts: the share accepted, with the
/// counts; an answer that drafted nothing (speculation off, a remote engine) shows none.
struct SpeculationStatusTests {
    func answer(_ state: inout AppState, drafted: Int?, accepted: Int?) {
        state.type("Summarise this")
        state.press(.enter)
        var completion = Fixture.completion("A summary.", .stop)
        completion.timings.draftedTokens = drafted
        completion.timings.acceptedDraftTokens = accepted
        state.apply(.session(.finished(completion)))
    }

    @Test func theLastAnswersAcceptanceRateIsShown() {
        // Wide enough for every segment: a narrow bar drops this one first.
        var state = Fixture.state(width: 140)
        answer(&state, drafted: 89, accepted: 64)
        #expect(state.lastDrafts == DraftCounts(accepted: 64, drafted: 89))
        #expect(state.screen.text.contains("spec 72% (64/89)"))
        answer(&state, drafted: nil, accepted: nil)
        #expect(state.lastDrafts == nil)
        #expect(!state.screen.text.contains("spec "))
    }

    /// Reopened from its transcript, the conversation shows its last answer's drafts again.
    @Test func theRateSurvivesTheTranscript() throws {
        var state = Fixture.state()
        answer(&state, drafted: 10, accepted: 3)
        let data = try JSONEncoder().encode(state.transcriptSnapshot())
        #expect(String(decoding: data, as: UTF8.self).contains("\"drafted_tokens\":10"))
        var reopened = Fixture.state()
        reopened.open(try JSONDecoder().decode(Transcript.self, from: data), url: nil)
        #expect(reopened.lastDrafts == DraftCounts(accepted: 3, drafted: 10))
    }
}
