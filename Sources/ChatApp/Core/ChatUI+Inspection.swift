import Chat
import TerminalUI

/// A prompt the backend could not render (for example a message too long for the context).
struct PromptPreviewProblem: Error {
    var message: String
}

/// The token inspector (an answer's tokens and their top alternatives) and the prompt inspector
/// (the exact prompt the model receives).
extension ChatUI {
    /// Alt+I: inspects the last answer's tokens, when they were recorded.
    static func openTokenInspector(_ state: inout AppState) -> [Effect] {
        guard let index = state.conversation.messages.lastIndex(where: { $0.role == .assistant }) else {
            note(&state, "no answer to inspect yet")
            return [.bell]
        }
        guard let tokens = state.conversation.messages[index].chosenAnswer.logprobs, !tokens.isEmpty else {
            let key = state.keyHints.key(.toggleProbabilityView)
            note(&state, "this answer has no token probabilities: \(key) records them from the next answer")
            return [.bell]
        }
        state.overlay = .tokenInspector(TokenInspector(message: index, tokens: tokens))
        return []
    }

    /// Alt+M: shows the prompt of the next answer (with the message being typed, if any), or,
    /// when the conversation ends with an answer and nothing is typed, the prompt of that answer.
    static func openPromptInspector(_ state: inout AppState) -> [Effect] {
        guard state.model != nil else {
            note(&state, "the model is still loading…")
            return []
        }
        var conversation = state.conversation
        let typed = state.input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let purpose: String
        if !typed.isEmpty {
            conversation.messages.append(.user(typed))
            purpose = "the next answer, with the message being typed"
        } else if conversation.messages.last?.role == .assistant {
            conversation.messages.removeLast()
            purpose = "the last answer"
        } else {
            purpose = "the next answer"
        }
        state.overlay = .promptInspector(PromptInspector(conversation: conversation, purpose: purpose))
        return [.previewPrompt(conversation)]
    }

    static func showPromptPreview(
        _ state: inout AppState, _ result: Result<PromptPreview, PromptPreviewProblem>, for conversation: Conversation
    ) {
        guard case .promptInspector(var inspector) = state.overlay, inspector.conversation == conversation else {
            return
        }
        switch result {
        case .success(let preview): inspector.preview = preview
        case .failure(let problem): inspector.error = problem.message
        }
        state.overlay = .promptInspector(inspector)
    }

    static func performInspectionAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        switch state.overlay {
        case .tokenInspector(var inspector):
            switch action {
            case .tokenPrevious: inspector.move(by: -1)
            case .tokenNext: inspector.move(by: 1)
            case .tokenFirst: inspector.move(by: -inspector.tokens.count)
            case .tokenLast: inspector.move(by: inspector.tokens.count)
            case .closeTokenInspector:
                state.overlay = nil
                return []
            default: return nil
            }
            state.overlay = .tokenInspector(inspector)
            return []
        case .promptInspector(var inspector):
            let rows = PromptInspectorView.textRows(state.size)
            let total = PromptInspectorView.lineCount(inspector, size: state.size)
            let page = max(1, rows - 1)
            switch action {
            case .promptLineUp: inspector.scroll -= 1
            case .promptLineDown: inspector.scroll += 1
            case .promptPageUp: inspector.scroll -= page
            case .promptPageDown: inspector.scroll += page
            case .promptTop: inspector.scroll = 0
            case .promptBottom: inspector.scroll = total
            case .closePromptInspector:
                state.overlay = nil
                return []
            default: return nil
            }
            inspector.scroll = min(max(0, inspector.scroll), max(0, total - rows))
            state.overlay = .promptInspector(inspector)
            return []
        default:
            return nil
        }
    }
}
