import TerminalUI

/// Draws the model picker (Ctrl+P): the filter, the models (● the current one), then a line for
/// a pull in progress (a bar and its numbers) or the last pull's failure, and the keys.
enum ModelPickerView {
    static func draw(_ picker: ModelPicker, theme: Theme, size: TerminalSize, into grid: inout ScreenGrid)
        -> GridPosition?
    {
        let area = ChatUI.modal(OverlayGeometry.modelModal(size), theme: theme)
            .draw(into: &grid, screen: OverlayGeometry.area(size))
        guard area.width > 0, area.height > 0 else { return nil }
        let filterEnd = grid.write("Filter: ", row: area.row, col: area.col, style: theme[.modalHint], clip: area)
        let end = grid.write(picker.list.filter, row: area.row, col: filterEnd, style: theme[.modalText], clip: area)
        let styles = ListView.Styles(
            normal: theme[.modalText], selected: theme[.modalSelected], detail: theme[.modalHint],
            empty: theme[.modalHint])
        picker.list.draw(
            into: &grid, rect: OverlayGeometry.modelList(size), styles: styles,
            emptyText: "(nothing matches; type owner/repo[:QUANT] to pull a model)")
        if let pull = picker.pull {
            grid.write(
                DisplayWidth.truncate(line(pull), to: area.width), row: area.bottom - 2,
                col: area.col, style: theme[.modalText].adding(.bold), clip: area)
        } else if let problem = picker.problem {
            grid.write(
                DisplayWidth.truncate(problem, to: area.width), row: area.bottom - 2, col: area.col,
                style: theme[.modalError], clip: area)
        }
        let hint =
            picker.pull == nil
            ? "Enter switch · type to filter, or owner/repo:QUANT to pull · Esc close"
            : "Esc cancels the pull (the bytes received are kept for the next one)"
        ChatUI.hint(hint, row: area.bottom - 1, area: area, theme: theme, into: &grid)
        return GridPosition(row: area.row, col: min(end, area.right - 1))
    }

    /// The pull's line: a bar when the fraction is known, then the executable's text.
    static func line(_ status: ModelPullStatus) -> String {
        guard let fraction = status.fraction else { return status.text }
        let cells = 20
        let filled = min(cells, max(0, Int(fraction * Double(cells))))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: cells - filled) + "]"
        return "\(bar) \(Int(fraction * 100))% \(status.text)"
    }
}
