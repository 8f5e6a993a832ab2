import Chat
import TerminalUI

/// Alternatives and the probability view: flipping between an answer's alternatives and
/// colouring answer tokens by their probability.
extension ChatUI {
    /// Alt+, / Alt+.: shows the previous or next alternative of the last answer (wrapping). The
    /// conversation continues from the one shown. While `n` answers stream, it picks which one
    /// the pane follows.
    static func flipAlternative(_ state: inout AppState, by delta: Int) -> [Effect] {
        if var answer = state.answer {
            guard answer.parameters.n > 1 else {
                let keys = state.keyHints
                note(
                    &state,
                    "one answer is being written; alternatives come with n > 1 "
                        + "(\(keys.key(.showParameters))) or \(keys.key(.regenerate))")
                return []
            }
            answer.viewing = (answer.viewing + delta + answer.parameters.n) % answer.parameters.n
            state.answer = answer
            return []
        }
        guard let index = state.conversation.messages.indices.last,
            state.conversation.messages[index].role == .assistant
        else {
            note(&state, "no answer to flip through yet")
            return [.bell]
        }
        var message = state.conversation.messages[index]
        let count = message.answers.count
        guard count > 1 else {
            note(
                &state,
                "this answer has no alternatives: \(state.keyHints.key(.regenerate)) adds one, or set n in "
                    + state.keyHints.key(.showParameters))
            return []
        }
        message.choose((message.chosen + delta + count) % count)
        state.conversation.messages[index] = message
        state.isDirty = true
        state.scroll = ConversationScroll()
        note(&state, "alternative \(message.chosen + 1) of \(count): the chat continues from it")
        return [.countTokens(state.conversation)]
    }

    /// The alternative marker shown beside an answer's label, e.g. `‹ 2/3 ›`.
    static func alternativeMarker(chosen: Int, count: Int) -> String? {
        count > 1 ? "‹ \(chosen + 1)/\(count) ›" : nil
    }

    /// Alt+L / F4: toggles the probability view. Turning it on also records log probabilities
    /// (with the top 5 alternatives for the token inspector) from the next answer.
    static func toggleProbabilityView(_ state: inout AppState) -> [Effect] {
        state.probabilityView.toggle()
        guard state.probabilityView else {
            note(&state, "probability view off")
            return []
        }
        var parameters = state.conversation.parameters
        if !parameters.logprobs {
            parameters.logprobs = true
            if parameters.topLogprobs == 0 { parameters.topLogprobs = 5 }
            changeParameters(&state, parameters)
            note(&state, "probability view on: token probabilities are recorded from the next answer")
        } else {
            note(&state, "probability view on")
        }
        return []
    }

    /// The perplexity of the answer on screen (the last answer's chosen alternative, or the
    /// last answer written), for the status bar.
    static func shownPerplexity(_ state: AppState) -> Double? {
        guard state.answer == nil else { return nil }
        return state.conversation.messages.last(where: { $0.role == .assistant })?.chosenAnswer.perplexity
    }
}
