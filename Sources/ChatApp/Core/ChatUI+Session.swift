import Chat
import TerminalUI

/// Events from the chat session: the answer streams into `state.answer` and joins the
/// conversation when it finishes, after which the transcript is saved.
extension ChatUI {
    static func handleSession(_ state: inout AppState, _ event: ChatEvent) -> [Effect] {
        if state.discardedAnswers > 0 {
            if case .finished = event { state.discardedAnswers -= 1 }
            return []
        }
        guard var answer = state.answer else { return [] }
        switch event {
        case .notice(let message):
            note(&state, message)
        case .contextTrimmed(let dropped):
            note(&state, "\(dropped) oldest messages left out to fit the context window")
        case let .started(promptTokens, cachedTokens):
            answer.promptTokens = promptTokens
            answer.cachedTokens = cachedTokens
            state.contextUsed = promptTokens
            state.answer = answer
        case .delta(let delta):
            answer.text += delta.text
            answer.tokens += 1
            if answer.firstTokenAt == nil { answer.firstTokenAt = state.now.value }
            if state.activity == .thinking { state.activity = .generating }
            state.contextUsed = (answer.promptTokens ?? 0) + answer.tokens
            state.answer = answer
        case .finished(let completion):
            return finish(&state, answer, completion)
        }
        return []
    }

    private static func finish(_ state: inout AppState, _ answer: AnswerProgress, _ completion: Completion) -> [Effect] {
        state.answer = nil
        state.activity = .idle
        if completion.text.isEmpty && completion.reason != .stop && completion.reason != .length {
            // Nothing was written: keep the question so Ctrl+R can ask again.
            if completion.reason == .error {
                let message = completion.error ?? "generation failed"
                state.failure = message
                state.lastError = message
            } else {
                note(&state, "stopped before any text")
            }
        } else {
            state.conversation.messages.append(completion.message(parameters: answer.parameters))
            if completion.timings.decodeTokensPerSecond > 0 {
                state.lastTokensPerSecond = completion.timings.decodeTokensPerSecond
            }
            state.contextUsed = completion.usage.promptTokens + completion.usage.completionTokens
            if completion.reason == .error { state.lastError = completion.error ?? "generation failed" }
        }
        state.isDirty = true
        return saveIfNeeded(&state)
    }
}
