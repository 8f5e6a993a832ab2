import Chat
import TerminalUI

/// One-step undo of destructive chat actions: editing the last message (which removes the
/// last exchange, and which Esc quickly followed by `e` also triggers as Alt+E), starting a new
/// chat and resetting the parameters. Nothing is lost to a slip of the keyboard.
extension ChatUI {
    /// Remembers the state before a destructive action named `label`.
    static func rememberForUndo(_ label: String, escapeUndoes: Bool = false, _ state: inout AppState) {
        state.undo = UndoStep(
            label: label, conversation: state.conversation, transcript: state.transcript,
            input: state.input.text, isDirty: state.isDirty, escapeUndoes: escapeUndoes)
    }

    /// Puts back what the last destructive action took away; nothing when there is none.
    static func performUndo(_ state: inout AppState) -> [Effect] {
        guard let step = state.undo, !state.isAnswering else {
            note(
                &state,
                state.isAnswering
                    ? "an answer is being written: \(state.keyHints.key(.stop, in: .chat)) stops it" : "nothing to undo"
            )
            return [.bell]
        }
        state.undo = nil
        var effects: [Effect] = []
        if step.transcript.id != state.transcript.id {
            // Undoing a new chat: the new one is left (saved if it holds anything).
            effects += saveIfNeeded(&state)
        }
        state.conversation = step.conversation
        state.transcript = step.transcript
        state.input.setText(step.input)
        // Saving again what may already be on disk is harmless; losing the put-back state is not.
        state.isDirty = !state.conversation.messages.isEmpty || step.isDirty
        state.failure = nil
        state.scroll = ConversationScroll()
        note(&state, "undid the \(step.label)")
        return effects + [.countTokens(state.conversation)]
    }
}
