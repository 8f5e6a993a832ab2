/// A bordered box centred on the screen, for dialogs and pickers drawn over the chat.
public struct Modal: Hashable, Sendable {
    public var title: String
    /// Wanted outer size; shrunk to fit the screen.
    public var width: Int
    public var height: Int
    public var borderStyle: Style
    public var titleStyle: Style
    /// Style of the cleared interior.
    public var fillStyle: Style

    public init(
        title: String, width: Int, height: Int, borderStyle: Style = .plain,
        titleStyle: Style = Style(attributes: .bold), fillStyle: Style = .plain
    ) {
        self.title = title
        self.width = width
        self.height = height
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
        self.fillStyle = fillStyle
    }

    /// The outer rectangle, centred in `screen` and no larger than it.
    public func frame(in screen: Rect) -> Rect {
        let w = min(width, screen.width)
        let h = min(height, screen.height)
        return Rect(
            row: screen.row + (screen.height - h) / 2, col: screen.col + (screen.width - w) / 2, width: w, height: h)
    }

    /// Clears the frame, draws the border and title, and returns the content area inside the
    /// border with one column of padding on each side.
    @discardableResult
    public func draw(into grid: inout ScreenGrid, screen: Rect) -> Rect {
        let outer = frame(in: screen)
        guard outer.width >= 2 && outer.height >= 2 else {
            return Rect(row: outer.row, col: outer.col, width: 0, height: 0)
        }
        grid.fill(outer, style: fillStyle)
        grid.drawBox(outer, style: borderStyle, title: title, titleStyle: titleStyle)
        let inner = outer.inset(by: 1)
        return Rect(row: inner.row, col: inner.col + 1, width: inner.width - 2, height: inner.height)
    }
}

extension ScreenGrid {
    /// Draws a box border (Unicode box drawing) on the edge of `rect`, with an optional title
    /// centred in the top border.
    public mutating func drawBox(_ rect: Rect, style: Style = .plain, title: String = "", titleStyle: Style? = nil) {
        guard rect.width >= 2 && rect.height >= 2 else { return }
        let top = rect.row
        let bottom = rect.bottom - 1
        let left = rect.col
        let right = rect.right - 1
        for col in (left + 1)..<right {
            put("─", row: top, col: col, style: style)
            put("─", row: bottom, col: col, style: style)
        }
        for row in (top + 1)..<bottom {
            put("│", row: row, col: left, style: style)
            put("│", row: row, col: right, style: style)
        }
        put("┌", row: top, col: left, style: style)
        put("┐", row: top, col: right, style: style)
        put("└", row: bottom, col: left, style: style)
        put("┘", row: bottom, col: right, style: style)
        guard !title.isEmpty, rect.width >= 6 else { return }
        let label = " " + DisplayWidth.truncate(title, to: rect.width - 4) + " "
        let start = left + (rect.width - DisplayWidth.of(label)) / 2
        write(
            label, row: top, col: start, style: titleStyle ?? style,
            clip: Rect(row: top, col: left + 1, width: rect.width - 2, height: 1))
    }
}
