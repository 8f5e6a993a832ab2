import Chat
import TerminalUI

/// Geometry of the "not saved" question asked when quitting after a failed save.
extension OverlayGeometry {
    static func unsavedModal(_ size: TerminalSize) -> Modal {
        Modal(title: "The conversation is not saved", width: min(size.width - 4, 72), height: min(size.height - 2, 12))
    }

    /// The path field of "save to another path": one row, two rows above the hint.
    static func unsavedPathEditor(_ size: TerminalSize) -> Rect {
        let content = content(of: unsavedModal(size), in: size)
        return Rect(row: content.bottom - 3, col: content.col, width: content.width, height: 1)
    }
}

extension ChatUI {
    /// The failed save's error, then either the choices or the path being typed.
    static func drawUnsaved(_ prompt: UnsavedPrompt, state: AppState, size: TerminalSize, into grid: inout ScreenGrid)
        -> GridPosition?
    {
        let theme = state.theme
        let area = modal(OverlayGeometry.unsavedModal(size), theme: theme).draw(
            into: &grid, screen: OverlayGeometry.area(size))
        var row = area.row
        for line in TextWrapper.wrap(prompt.error, width: max(1, area.width)).prefix(max(1, area.height - 5)) {
            grid.write(line, row: row, col: area.col, style: theme[.modalError], clip: area)
            row += 1
        }
        guard let editor = prompt.path else {
            let keys = state.keyHints
            let choices = [
                "\(keys.key(.unsavedRetry))  try again", "\(keys.key(.unsavedSaveAs))  save to another path",
                "\(keys.key(.unsavedDiscard))  quit without saving", "\(keys.key(.unsavedCancel))  back to the chat"
            ]
            for (offset, choice) in choices.enumerated() where row + 1 + offset < area.bottom {
                grid.write(choice, row: row + 1 + offset, col: area.col, style: theme[.modalText], clip: area)
            }
            return nil
        }
        let field = OverlayGeometry.unsavedPathEditor(size)
        grid.write("Save to:", row: field.row - 1, col: area.col, style: theme[.modalHint], clip: area)
        let cursor = editor.render(
            into: &grid, rect: field, style: theme[.modalText].adding(.bold),
            placeholder: "a file path, e.g. ~/chat.json",
            placeholderStyle: theme[.modalHint])
        let hint = "\(state.keyHints.key(.savePathConfirm)) save and quit · \(state.keyHints.key(.savePathCancel)) back"
        grid.write(
            DisplayWidth.truncate(hint, to: area.width), row: area.bottom - 1,
            col: area.col, style: theme[.modalHint], clip: area)
        return cursor
    }
}
