import Chat
import TerminalUI

/// Drawing the modal screens over the chat.
extension ChatUI {
    static func modal(_ base: Modal, theme: Theme) -> Modal {
        var modal = base
        modal.borderStyle = theme[.modalBorder]
        modal.titleStyle = theme[.modalTitle]
        modal.fillStyle = theme[.modalText]
        return modal
    }

    /// Draws `overlay` and returns where the cursor goes (nil hides it).
    static func drawOverlay(_ overlay: Overlay, state: AppState, size: TerminalSize, into grid: inout ScreenGrid)
        -> GridPosition?
    {
        let theme = state.theme
        let screen = OverlayGeometry.area(size)
        switch overlay {
        case .help(let scroll):
            let area = modal(OverlayGeometry.helpModal(size), theme: theme).draw(into: &grid, screen: screen)
            let lines = HelpScreen.lines(width: area.width, theme: theme, bindings: state.bindings)
            let rows = max(1, area.height - 1)
            let top = min(max(0, scroll), max(0, lines.count - rows))
            for offset in 0..<rows where top + offset < lines.count {
                grid.write(lines[top + offset], row: area.row + offset, col: area.col, clip: area)
            }
            let position = lines.count > rows ? "  \(top + 1)–\(min(lines.count, top + rows)) of \(lines.count)" : ""
            hint("Esc closes · ↑↓ PgUp PgDn scroll" + position, row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return nil
        case .systemPrompt(let editor):
            let area = modal(OverlayGeometry.systemPromptModal(size), theme: theme).draw(into: &grid, screen: screen)
            let editorArea = OverlayGeometry.systemPromptEditor(size)
            let cursor = editor.render(
                into: &grid, rect: editorArea, style: theme[.modalText],
                placeholder: "(none: the model's own default)", placeholderStyle: theme[.modalHint])
            hint("Applies from the next answer and is saved with the conversation.", row: area.bottom - 2, area: area,
                 theme: theme, into: &grid)
            hint("Ctrl+S save · Esc cancel · Enter new line", row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return cursor
        case .parameters(let panel):
            let area = modal(OverlayGeometry.parametersModal(size), theme: theme).draw(into: &grid, screen: screen)
            let formArea = Rect(row: area.row, col: area.col, width: area.width, height: max(1, area.height - 2))
            let styles = Form.Styles(
                label: theme[.modalText], value: theme[.modalText].adding(.bold), hint: theme[.modalHint],
                selected: theme[.modalSelected], editing: theme[.modalEditing], error: theme[.modalError])
            let cursor = panel.form.draw(into: &grid, rect: formArea, styles: styles)
            hint("Changes apply from the next answer.", row: area.bottom - 2, area: area, theme: theme, into: &grid)
            hint(parameterHint(panel), row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return cursor
        case .browser(let browser):
            return drawBrowser(browser, size: size, theme: theme, into: &grid)
        case .tokenInspector(let inspector):
            TokenInspectorView.draw(inspector, theme: theme, size: size, into: &grid)
            return nil
        case .promptInspector(let inspector):
            PromptInspectorView.draw(inspector, theme: theme, size: size, into: &grid)
            return nil
        case .confirmDelete(let browser, let summary):
            _ = drawBrowser(browser, size: size, theme: theme, into: &grid)
            let area = modal(OverlayGeometry.confirmModal(size), theme: theme).draw(into: &grid, screen: screen)
            grid.write(DisplayWidth.truncate("“\(summary.title)”", to: area.width), row: area.row + 1, col: area.col,
                       style: theme[.modalText].adding(.bold), clip: area)
            grid.write("This deletes the file for good.", row: area.row + 2, col: area.col, style: theme[.modalText],
                       clip: area)
            hint("y delete · n keep", row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return nil
        case .unsaved(let prompt):
            return drawUnsaved(prompt, state: state, size: size, into: &grid)
        case .copyPicker(let picker):
            let area = modal(Modal(title: "Copy to the clipboard", width: min(size.width - 2, 110), height: size.height - 2),
                             theme: theme).draw(into: &grid, screen: screen)
            let filterEnd = grid.write("Filter: ", row: area.row, col: area.col, style: theme[.modalHint], clip: area)
            let end = grid.write(picker.list.filter, row: area.row, col: filterEnd, style: theme[.modalText], clip: area)
            let styles = ListView.Styles(
                normal: theme[.modalText], selected: theme[.modalSelected], detail: theme[.modalHint], empty: theme[.modalHint])
            picker.list.draw(into: &grid, rect: OverlayGeometry.browserList(size), styles: styles, emptyText: "(nothing matches)")
            hint("Enter copy · Esc close · type to filter", row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return GridPosition(row: area.row, col: min(end, area.right - 1))
        case .modelPicker(let picker):
            return ModelPickerView.draw(picker, theme: theme, size: size, into: &grid)
        }
    }

    private static func drawBrowser(_ browser: TranscriptBrowser, size: TerminalSize, theme: Theme,
                                    into grid: inout ScreenGrid) -> GridPosition? {
        let area = modal(OverlayGeometry.browserModal(size), theme: theme).draw(
            into: &grid, screen: OverlayGeometry.area(size))
        let filterEnd = grid.write("Filter: ", row: area.row, col: area.col, style: theme[.modalHint], clip: area)
        let end = grid.write(browser.list.filter, row: area.row, col: filterEnd, style: theme[.modalText], clip: area)
        let listArea = OverlayGeometry.browserList(size)
        let styles = ListView.Styles(
            normal: theme[.modalText], selected: theme[.modalSelected], detail: theme[.modalHint],
            empty: theme[.modalHint])
        let empty = browser.isLoading ? "loading…" : (browser.summaries.isEmpty ? "(no saved conversations yet)" : browser.isSearching ? "searching…" : "(no matches)")
        browser.list.draw(into: &grid, rect: listArea, styles: styles, emptyText: empty)
        var footer = "Enter open · Delete delete · Esc close · type to filter"
        if !browser.problems.isEmpty { footer = "\(browser.problems.count) unreadable file(s) skipped · " + footer }
        hint(footer, row: area.bottom - 1, area: area, theme: theme, into: &grid)
        return GridPosition(row: area.row, col: min(end, area.right - 1))
    }

    /// The panel's last line says which mode it is in: typing a value, confirming a reset, or
    /// moving between rows.
    static func parameterHint(_ panel: ParameterPanel) -> String {
        if panel.confirmingReset { return "Reset every parameter to its default? y or Enter: yes · any other key: no" }
        if panel.form.isEditing { return "TYPING A VALUE · Enter apply · Esc cancel (keeps the old value)" }
        return "↑↓ select · ←→ step · Enter or type a value · Ctrl+R reset all · Esc close"
    }

    static func hint(_ text: String, row: Int, area: Rect, theme: Theme, into grid: inout ScreenGrid) {
        grid.write(DisplayWidth.truncate(text, to: area.width), row: row, col: area.col, style: theme[.modalHint],
                   clip: area)
    }
}
