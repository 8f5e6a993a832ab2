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
            state.contextStart = dropped
        case .started(let promptTokens, let cachedTokens):
            answer.promptTokens = promptTokens
            answer.cachedTokens = cachedTokens
            state.contextUsed = promptTokens
            state.answer = answer
        case .promptProgress(let evaluated, let total):
            answer.promptProgress = evaluated < total ? PromptProgress(evaluated: evaluated, total: total) : nil
            state.answer = answer
        case .promptScored:
            // Only the text API asks for the prompt's own scores; the chat never does.
            break
        case .delta(let delta):
            answer.promptProgress = nil
            if delta.choice == 0 {
                answer.text += delta.text
            } else {
                answer.otherTexts[delta.choice, default: ""] += delta.text
            }
            answer.tokens += 1
            if !delta.logprobs.isEmpty { answer.streamedLogprobs[delta.choice, default: []] += delta.logprobs }
            if answer.firstTokenAt == nil { answer.firstTokenAt = state.now.value }
            if state.activity == .thinking { state.activity = .generating }
            state.contextUsed = (answer.promptTokens ?? 0) + answer.tokens
            state.answer = answer
        case .finished(let completion):
            return finish(&state, answer, completion)
        }
        return []
    }

    private static func finish(_ state: inout AppState, _ answer: AnswerProgress, _ completion: Completion) -> [Effect]
    {
        state.answer = nil
        state.activity = .idle
        let wroteNothing = completion.text.isEmpty && completion.reason != .stop && completion.reason != .length
        if wroteNothing, let previous = answer.previous {
            // Regenerating failed or was stopped at once: the answer it would have joined stays.
            state.conversation.messages.append(previous)
        }
        if wroteNothing {
            // Nothing was written: keep the question so Ctrl+R can ask again.
            if completion.reason == .error || completion.reason == .connectionLost {
                let message = completion.error ?? "generation failed"
                state.failure = message
                state.lastError = message
            } else {
                note(&state, "stopped before any text")
            }
        } else {
            // Choices stopped before writing anything are not worth flipping to.
            let all = completion.alternatives(parameters: answer.parameters)
            let written = all.filter { !$0.content.isEmpty }
            let alternatives = written.isEmpty ? Array(all.prefix(1)) : written
            if var previous = answer.previous {
                previous.add(alternatives)
                if answer.viewing > 0 { previous.choose(previous.answers.count - alternatives.count + answer.viewing) }
                state.conversation.messages.append(previous)
            } else {
                state.conversation.messages.append(.answer(alternatives, chosen: answer.viewing))
            }
            if completion.timings.decodeTokensPerSecond > 0 {
                state.lastTokensPerSecond = completion.timings.decodeTokensPerSecond
            }
            state.lastDrafts = ChatUI.drafts(completion.timings)
            let shown = state.conversation.messages.last?.chosenAnswer.record?.usage.completionTokens
            state.contextUsed = completion.usage.promptTokens + (shown ?? completion.usage.completionTokens)
            if completion.reason == .error || completion.reason == .connectionLost {
                // The text received is kept (marked in the pane); the status bar says why it ended.
                state.lastError = completion.error ?? "generation failed"
            }
        }
        state.isDirty = true
        return saveIfNeeded(&state)
    }

    /// The finish reason a record stands for: "length" before `maxTokens` were written means
    /// the context window filled up, not the limit the person set.
    static let contextFullReason = "context-full"

    static func shownFinishReason(_ record: AnswerRecord?) -> String? {
        guard let record else { return nil }
        if record.finishReason == .length && record.usage.completionTokens < record.parameters.maxTokens {
            return contextFullReason
        }
        return record.finishReason.rawValue
    }
}

extension ChatUI {
    /// An answer's drafts as its timings record them; nil when it drafted nothing.
    static func drafts(_ timings: Timings) -> DraftCounts? {
        guard let drafted = timings.draftedTokens, let accepted = timings.acceptedDraftTokens, drafted > 0 else {
            return nil
        }
        return DraftCounts(accepted: accepted, drafted: drafted)
    }
}
