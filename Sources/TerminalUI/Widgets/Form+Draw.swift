/// Drawing a `Form`: label, value and hint columns, with errors on the row below.
extension Form {
    /// The looks of a form.
    public struct Styles: Hashable, Sendable {
        public var label: Style
        public var value: Style
        public var hint: Style
        public var selected: Style
        public var editing: Style
        public var error: Style

        public init(
            label: Style = .plain, value: Style = Style(attributes: .bold),
            hint: Style = Style(attributes: .dim), selected: Style = Style(attributes: .reverse),
            editing: Style = Style(attributes: .underline),
            error: Style = Style(foreground: .red, attributes: .bold)
        ) {
            self.label = label
            self.value = value
            self.hint = hint
            self.selected = selected
            self.editing = editing
            self.error = error
        }
    }

    /// Rows the form needs: one per field plus one per error.
    public var rowCount: Int { fields.count + fields.filter { $0.error != nil }.count }

    /// Draws the form into `rect` and returns the cursor when a field is being edited.
    public func draw(into grid: inout ScreenGrid, rect: Rect, styles: Styles = Styles()) -> GridPosition? {
        guard !rect.isEmpty else { return nil }
        let labelWidth = min(fields.map { DisplayWidth.of($0.label) }.max() ?? 0, rect.width / 2)
        let hintWidth = min(fields.map { DisplayWidth.of($0.hint) }.max() ?? 0, rect.width / 4)
        let valueCol = rect.col + 2 + labelWidth + 2
        let valueWidth = max(1, rect.right - valueCol - (hintWidth > 0 ? hintWidth + 2 : 1))
        var cursor: GridPosition?
        var row = rect.row
        // Errors wrap inside the form rather than being cut at its border.
        let errorWidth = max(1, rect.width - 4)
        let errorLines = fields.map { field in field.error.map { TextWrapper.wrap("⚠ " + $0, width: errorWidth) } ?? []
        }
        // Keep the selected field (and its error lines) on screen.
        let selectedRow = errorLines[..<min(selection, fields.count)].reduce(0) { $0 + 1 + $1.count }
        let selectedRows = fields.indices.contains(selection) ? 1 + errorLines[selection].count : 1
        let skip = max(0, selectedRow + max(2, selectedRows) - rect.height)
        var logicalRow = 0
        for (index, field) in fields.enumerated() {
            let rowsForField = 1 + errorLines[index].count
            defer { logicalRow += rowsForField }
            if logicalRow < skip { continue }
            guard row < rect.bottom else { break }
            let isSelected = index == selection
            let line = Rect(row: row, col: rect.col, width: rect.width, height: 1)
            grid.fill(line, style: isSelected && editor == nil ? styles.selected : styles.label)
            let labelStyle = isSelected && editor == nil ? styles.selected : styles.label
            grid.write(isSelected ? "›" : " ", row: row, col: rect.col, style: labelStyle, clip: line)
            grid.write(
                DisplayWidth.truncate(field.label, to: labelWidth), row: row, col: rect.col + 2,
                style: labelStyle, clip: line)
            let valueRect = Rect(row: row, col: valueCol, width: valueWidth, height: 1).intersection(line)
            if isSelected, let field = editor {
                cursor = field.render(into: &grid, rect: valueRect, style: styles.editing)
            } else {
                let valueStyle = isSelected ? styles.selected : styles.value
                grid.write(
                    DisplayWidth.truncate(field.value, to: valueWidth), row: row, col: valueCol,
                    style: valueStyle, clip: line)
            }
            if hintWidth > 0 {
                grid.write(
                    DisplayWidth.truncate(field.hint, to: hintWidth), row: row, col: rect.right - hintWidth,
                    style: isSelected && editor == nil ? styles.selected : styles.hint, clip: line)
            }
            row += 1
            for text in errorLines[index] where row < rect.bottom {
                grid.write(
                    "  " + text, row: row, col: rect.col + 2, style: styles.error,
                    clip: Rect(row: row, col: rect.col, width: rect.width, height: 1))
                row += 1
            }
        }
        return cursor
    }
}
