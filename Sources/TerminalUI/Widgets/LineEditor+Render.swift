/// Drawing the editor: only the visible rows are touched, whatever the buffer size.
extension LineEditor {
    /// Rows the editor wants on screen: its line count, capped at `maxVisibleRows`.
    public var visibleRowCount: Int {
        guard layout.isComplete else { return maxVisibleRows }
        return max(1, min(maxVisibleRows, layout.rowStarts.count - scrollTop))
    }

    /// The cursor's visual row and column within the whole (unscrolled) text.
    public var cursorRowAndColumn: GridPosition {
        GridPosition(row: layout.row(containing: cursor), col: column(of: cursor))
    }

    /// Draws into `rect` and returns where the terminal cursor goes (nil if outside `rect`).
    ///
    /// When `rect` is narrower or wider than `width`, a re-laid-out copy is drawn instead (slower,
    /// but correct), so a stale `width` never corrupts the screen. An empty editor shows
    /// `placeholder`.
    public func render(
        into grid: inout ScreenGrid, rect: Rect, style: Style = .plain,
        placeholder: String = "", placeholderStyle: Style = Style(attributes: .dim)
    ) -> GridPosition? {
        guard !rect.isEmpty else { return nil }
        if rect.width != width || rect.height < min(maxVisibleRows, visibleRowCount) {
            var copy = self
            copy.setWidth(rect.width)
            copy.setMaxVisibleRows(rect.height)
            return copy.render(
                into: &grid, rect: rect, style: style, placeholder: placeholder,
                placeholderStyle: placeholderStyle)
        }
        grid.fill(rect, style: style)
        if characters.isEmpty && !placeholder.isEmpty {
            grid.write(placeholder, row: rect.row, col: rect.col, style: placeholderStyle, clip: rect)
        }
        let rows = min(rect.height, maxVisibleRows)
        for offset in 0..<rows {
            let row = scrollTop + offset
            guard row < layout.rowStarts.count else { break }
            if row + 1 >= layout.rowStarts.count && !layout.isComplete { break }
            var column = rect.col
            for index in layout.range(ofRow: row, in: characters) {
                let character = characters[index]
                if character == "\t" {
                    column = grid.write("    ", row: rect.row + offset, col: column, style: style, clip: rect)
                } else {
                    column += grid.put(character, row: rect.row + offset, col: column, style: style, clip: rect)
                }
            }
        }
        let position = cursorRowAndColumn
        let screenRow = rect.row + position.row - scrollTop
        let screenCol = rect.col + min(position.col, rect.width - 1)
        guard rect.contains(row: screenRow, col: screenCol) else { return nil }
        return GridPosition(row: screenRow, col: screenCol)
    }
}
