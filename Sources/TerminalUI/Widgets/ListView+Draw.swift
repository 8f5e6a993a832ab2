/// Drawing a `ListView`.
extension ListView {
    /// The looks of a list.
    public struct Styles: Hashable, Sendable {
        public var normal: Style
        public var selected: Style
        public var detail: Style
        public var empty: Style

        public init(
            normal: Style = .plain, selected: Style = Style(attributes: .reverse),
            detail: Style = Style(attributes: .dim), empty: Style = Style(attributes: .dim)
        ) {
            self.normal = normal
            self.selected = selected
            self.detail = detail
            self.empty = empty
        }
    }

    /// Draws the visible rows: title on the left, detail right-aligned, selection highlighted.
    public func draw(
        into grid: inout ScreenGrid, rect: Rect, styles: Styles = Styles(), emptyText: String = "(no matches)"
    ) {
        guard !rect.isEmpty else { return }
        grid.fill(rect, style: styles.normal)
        if visibleIndices.isEmpty {
            grid.write(emptyText, row: rect.row, col: rect.col + 1, style: styles.empty, clip: rect)
            return
        }
        let top = min(scrollTop, max(0, visibleIndices.count - rect.height))
        for offset in 0..<rect.height {
            let row = top + offset
            guard row < visibleIndices.count else { break }
            let item = items[visibleIndices[row]]
            let isSelected = row == selectedRow
            let style = isSelected ? styles.selected : styles.normal
            let line = Rect(row: rect.row + offset, col: rect.col, width: rect.width, height: 1)
            grid.fill(line, style: style)
            let detailWidth = DisplayWidth.of(item.detail)
            let titleRoom = item.detail.isEmpty ? rect.width - 2 : rect.width - detailWidth - 4
            let title = DisplayWidth.truncate(item.title, to: max(0, titleRoom))
            grid.write(title, row: line.row, col: rect.col + 1, style: style, clip: line)
            if !item.detail.isEmpty && titleRoom > 0 {
                let detailStyle = isSelected ? styles.selected : styles.detail
                grid.write(
                    item.detail, row: line.row, col: rect.right - 1 - detailWidth, style: detailStyle, clip: line)
            }
        }
    }
}
