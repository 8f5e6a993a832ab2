import TerminalUI

/// Text-editing actions, applied to the editor that has the focus: the system-prompt editor
/// when it is open, the chat input otherwise.
extension ChatUI {
    /// Performs an editing action; false when `action` is not one.
    static func performEditingAction(_ action: Action, _ state: inout AppState) -> Bool {
        switch action {
        case .historyPrevious: recall(previous: true, &state)
        case .historyNext: recall(previous: false, &state)
        case .insertNewline: edit(&state) { $0.insertNewline() }
        case .cursorLeft: edit(&state) { $0.moveLeft() }
        case .cursorRight: edit(&state) { $0.moveRight() }
        case .wordLeft: edit(&state) { $0.moveWordLeft() }
        case .wordRight: edit(&state) { $0.moveWordRight() }
        case .lineStart: edit(&state) { $0.moveToLineStart() }
        case .lineEnd: edit(&state) { $0.moveToLineEnd() }
        case .deleteBackward: edit(&state) { $0.deleteBackward() }
        case .deleteForward: edit(&state) { $0.deleteForward() }
        case .deleteWordBackward: edit(&state) { $0.deleteWordBackward() }
        case .deleteWordForward: edit(&state) { $0.deleteWordForward() }
        case .killToLineEnd: edit(&state) { $0.killToLineEnd() }
        case .killToLineStart: edit(&state) { $0.killToLineStart() }
        case .killWordBackward: edit(&state) { $0.killWordBackward() }
        case .yank: edit(&state) { $0.yank() }
        default: return false
        }
        return true
    }

    /// Runs `body` on the focused editor.
    static func edit(_ state: inout AppState, _ body: (inout LineEditor) -> Void) {
        if case .systemPrompt(var editor) = state.overlay {
            state.overlay = nil // drop the enum's copy so the edit does not copy the buffer
            body(&editor)
            state.overlay = .systemPrompt(editor)
        } else if case .unsaved(var prompt) = state.overlay, var editor = prompt.path {
            body(&editor)
            prompt.path = editor
            state.overlay = .unsaved(prompt)
        } else {
            body(&state.input)
        }
    }

    /// Up/Down: move a row; from the first (last) row of the chat input, recall history.
    private static func recall(previous: Bool, _ state: inout AppState) {
        switch state.overlay {
        case .systemPrompt, .unsaved:
            edit(&state) { editor in _ = previous ? editor.moveUp() : editor.moveDown() }
            return
        default:
            break
        }
        if previous ? state.input.moveUp() : state.input.moveDown() { return }
        guard !state.history.isEmpty else { return }
        if previous {
            let index: Int
            if let current = state.historyIndex {
                guard current > 0 else { return }
                index = current - 1
            } else {
                state.historyDraft = state.input.text
                index = state.history.count - 1
            }
            state.historyIndex = index
            state.input.setText(state.history[index])
        } else {
            guard let current = state.historyIndex else { return }
            if current + 1 < state.history.count {
                state.historyIndex = current + 1
                state.input.setText(state.history[current + 1])
            } else {
                state.historyIndex = nil
                state.input.setText(state.historyDraft)
            }
        }
    }
}
