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
            let detail = Self.fittedDetail(item, width: rect.width)
            let detailWidth = DisplayWidth.of(detail)
            let titleRoom = detail.isEmpty ? rect.width - 2 : rect.width - detailWidth - 4
            let title = DisplayWidth.truncate(item.title, to: max(0, titleRoom))
            grid.write(title, row: line.row, col: rect.col + 1, style: style, clip: line)
            if !detail.isEmpty && titleRoom > 0 {
                let detailStyle = isSelected ? styles.selected : styles.detail
                grid.write(
                    detail, row: line.row, col: rect.right - 1 - detailWidth, style: detailStyle, clip: line)
            }
        }
    }

    /// Separates the parts of a detail; the last parts are dropped first when room is short.
    public static let detailSeparator = " · "

    /// The detail that fits beside the title on a row `width` wide: the title gets its room
    /// first (its whole width, up to half the row and at least 16 columns), then the detail's
    /// ` · `-separated parts are dropped from the end until the rest fits, possibly all of them.
    static func fittedDetail(_ item: ListItem, width: Int) -> String {
        guard !item.detail.isEmpty else { return "" }
        let titleNeed = min(DisplayWidth.of(item.title), max(16, width / 2))
        var parts = item.detail.split(separator: detailSeparator).map(String.init)
        while !parts.isEmpty {
            let detail = parts.joined(separator: detailSeparator)
            if titleNeed + DisplayWidth.of(detail) + 4 <= width { return detail }
            parts.removeLast()
        }
        return ""
    }
}
