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
        let keys = state.keyHints
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
            let scrolling =
                "\(keys.pair(.helpLineUp, .helpLineDown)) \(keys.key(.helpPageUp)) "
                + "\(keys.key(.helpPageDown)) scroll"
            hint(
                "\(keys.key(.closeHelp)) closes · " + scrolling + position, row: area.bottom - 1, area: area,
                theme: theme, into: &grid)
            return nil
        case .systemPrompt(let editor):
            let area = modal(OverlayGeometry.systemPromptModal(size), theme: theme).draw(into: &grid, screen: screen)
            let editorArea = OverlayGeometry.systemPromptEditor(size)
            // An empty prompt means the template's default: shown dimmed where the text would be.
            let templateDefault = editor.text.isEmpty ? state.model?.defaultSystemPrompt : nil
            let cursor = editor.render(
                into: &grid, rect: editorArea, style: theme[.modalText],
                placeholder: templateDefault == nil ? "(none: the model's own default)" : "",
                placeholderStyle: theme[.modalHint])
            if let templateDefault { drawTemplateDefault(templateDefault, in: editorArea, theme: theme, into: &grid) }
            hint(
                "Applies from the next answer and is saved with the conversation.", row: area.bottom - 2, area: area,
                theme: theme, into: &grid)
            hint(
                "\(keys.key(.saveSystemPrompt)) save · \(keys.key(.cancelSystemPrompt)) cancel · "
                    + "\(keys.key(.insertNewline, in: .systemPrompt)) new line",
                row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return cursor
        case .parameters(let panel):
            let area = modal(OverlayGeometry.parametersModal(size), theme: theme).draw(into: &grid, screen: screen)
            let formArea = Rect(row: area.row, col: area.col, width: area.width, height: max(1, area.height - 2))
            let styles = Form.Styles(
                label: theme[.modalText], value: theme[.modalText].adding(.bold), hint: theme[.modalHint],
                selected: theme[.modalSelected], editing: theme[.modalEditing], error: theme[.modalError])
            let cursor = panel.form.draw(into: &grid, rect: formArea, styles: styles)
            hint("Changes apply from the next answer.", row: area.bottom - 2, area: area, theme: theme, into: &grid)
            hint(parameterHint(panel, keys: keys), row: area.bottom - 1, area: area, theme: theme, into: &grid)
            return cursor
        case .browser(let browser):
            return drawBrowser(browser, size: size, theme: theme, keys: keys, into: &grid)
        case .tokenInspector(let inspector):
            TokenInspectorView.draw(inspector, theme: theme, keys: keys, size: size, into: &grid)
            return nil
        case .promptInspector(let inspector):
            PromptInspectorView.draw(inspector, theme: theme, keys: keys, size: size, into: &grid)
            return nil
        case .confirmDelete(let browser, let summary):
            _ = drawBrowser(browser, size: size, theme: theme, keys: keys, into: &grid)
            let area = modal(OverlayGeometry.confirmModal(size), theme: theme).draw(into: &grid, screen: screen)
            grid.write(
                DisplayWidth.truncate("“\(summary.title)”", to: area.width), row: area.row + 1, col: area.col,
                style: theme[.modalText].adding(.bold), clip: area)
            grid.write(
                "This deletes the file for good.", row: area.row + 2, col: area.col, style: theme[.modalText],
                clip: area)
            hint(
                "\(keys.key(.confirmYes)) delete · \(keys.key(.confirmNo)) keep", row: area.bottom - 1, area: area,
                theme: theme, into: &grid)
            return nil
        case .unsaved(let prompt):
            return drawUnsaved(prompt, state: state, size: size, into: &grid)
        case .copyPicker(let picker):
            let area = modal(
                Modal(title: "Copy to the clipboard", width: min(size.width - 2, 110), height: size.height - 2),
                theme: theme
            ).draw(into: &grid, screen: screen)
            let filterEnd = grid.write("Filter: ", row: area.row, col: area.col, style: theme[.modalHint], clip: area)
            let end = grid.write(
                picker.list.filter, row: area.row, col: filterEnd, style: theme[.modalText], clip: area)
            let styles = ListView.Styles(
                normal: theme[.modalText], selected: theme[.modalSelected], detail: theme[.modalHint],
                empty: theme[.modalHint])
            picker.list.draw(
                into: &grid, rect: OverlayGeometry.browserList(size), styles: styles, emptyText: "(nothing matches)")
            hint(
                "\(keys.key(.copyChoose)) copy · \(keys.key(.copyClose)) close · type to filter", row: area.bottom - 1,
                area: area, theme: theme, into: &grid)
            return GridPosition(row: area.row, col: min(end, area.right - 1))
        case .modelPicker(let picker):
            return ModelPickerView.draw(picker, theme: theme, size: size, into: &grid)
        }
    }

    /// The template's default system prompt, dimmed under a label that says whose it is; typing
    /// replaces it (the editor starts empty, so saving it empty keeps the default).
    static let templateDefaultLabel = "template default (used while empty; typing replaces it):"

    private static func drawTemplateDefault(_ text: String, in rect: Rect, theme: Theme, into grid: inout ScreenGrid) {
        let lines = [templateDefaultLabel] + TextWrapper.wrap(text, width: rect.width)
        for (offset, line) in lines.prefix(rect.height).enumerated() {
            let style = offset == 0 ? theme[.modalHint].adding(.italic) : theme[.modalHint]
            grid.write(
                DisplayWidth.truncate(line, to: rect.width), row: rect.row + offset, col: rect.col, style: style,
                clip: rect)
        }
    }

    private static func drawBrowser(
        _ browser: TranscriptBrowser, size: TerminalSize, theme: Theme, keys: KeyHints,
        into grid: inout ScreenGrid
    ) -> GridPosition? {
        let area = modal(OverlayGeometry.browserModal(size), theme: theme).draw(
            into: &grid, screen: OverlayGeometry.area(size))
        let filterEnd = grid.write("Filter: ", row: area.row, col: area.col, style: theme[.modalHint], clip: area)
        let end = grid.write(browser.list.filter, row: area.row, col: filterEnd, style: theme[.modalText], clip: area)
        let listArea = OverlayGeometry.browserList(size)
        let styles = ListView.Styles(
            normal: theme[.modalText], selected: theme[.modalSelected], detail: theme[.modalHint],
            empty: theme[.modalHint])
        let empty =
            browser.isLoading
            ? "loading…"
            : (browser.summaries.isEmpty
                ? "(no saved conversations yet)" : browser.isSearching ? "searching…" : "(no matches)")
        browser.list.draw(into: &grid, rect: listArea, styles: styles, emptyText: empty)
        var footer =
            "\(keys.key(.browserOpen)) open · \(keys.key(.browserDelete)) delete · \(keys.key(.browserClose)) close"
            + " · type to filter"
        if !browser.problems.isEmpty { footer = "\(browser.problems.count) unreadable file(s) skipped · " + footer }
        hint(footer, row: area.bottom - 1, area: area, theme: theme, into: &grid)
        return GridPosition(row: area.row, col: min(end, area.right - 1))
    }

    /// The panel's last line says which mode it is in: typing a value, confirming a reset, or
    /// moving between rows.
    static func parameterHint(_ panel: ParameterPanel, keys: KeyHints) -> String {
        if panel.confirmingReset { return "Reset every parameter to its default? y or Enter: yes · any other key: no" }
        let (edit, cancel) = (keys.key(.parameterEdit), keys.key(.parameterCancel))
        if panel.form.isEditing { return "TYPING A VALUE · \(edit) apply · \(cancel) cancel (keeps the old value)" }
        return
            "\(keys.pair(.parameterPrevious, .parameterNext)) select · \(keys.pair(.parameterDecrease, .parameterIncrease)) "
            + "step · \(edit) or type a value · \(keys.key(.parametersReset)) reset all · \(cancel) close"
    }

    static func hint(_ text: String, row: Int, area: Rect, theme: Theme, into grid: inout ScreenGrid) {
        grid.write(
            DisplayWidth.truncate(text, to: area.width), row: row, col: area.col, style: theme[.modalHint],
            clip: area)
    }
}
