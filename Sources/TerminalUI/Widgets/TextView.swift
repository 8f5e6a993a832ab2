/// A scrollable view of display lines (already wrapped), such as a chat transcript.
///
/// It follows the bottom while the user is at the bottom, so streaming text stays in view, and
/// stops following as soon as the user scrolls up; scrolling back to the bottom resumes it.
/// The app keeps `viewportHeight` up to date on resize so clamping happens in `update`.
public struct TextView: Hashable, Sendable {
    public private(set) var lines: [StyledLine]
    /// Index of the first visible line.
    public private(set) var scrollOffset: Int
    public private(set) var viewportHeight: Int
    /// Whether new lines keep the view pinned to the bottom.
    public private(set) var isFollowingBottom: Bool
    /// Draw a one-column scrollbar on the right when the lines do not fit.
    public var showsScrollbar: Bool
    public var scrollbarStyle: Style

    public init(
        lines: [StyledLine] = [], viewportHeight: Int = 0, showsScrollbar: Bool = false,
        scrollbarStyle: Style = Style(attributes: .dim)
    ) {
        self.lines = lines
        self.viewportHeight = max(0, viewportHeight)
        self.scrollOffset = 0
        self.isFollowingBottom = true
        self.showsScrollbar = showsScrollbar
        self.scrollbarStyle = scrollbarStyle
        clampAndFollow()
    }

    /// The largest useful scroll offset: the last line at the bottom of the viewport.
    public var maxScrollOffset: Int { max(0, lines.count - viewportHeight) }
    public var isAtBottom: Bool { scrollOffset >= maxScrollOffset }

    /// Columns available for text in a view `width` wide (one less with a scrollbar), so the app
    /// wraps lines to the right width.
    public func contentWidth(forWidth width: Int) -> Int {
        showsScrollbar ? max(0, width - 1) : width
    }

    /// Replaces the lines, staying at the bottom when following it.
    public mutating func setLines(_ newLines: [StyledLine]) {
        lines = newLines
        clampAndFollow()
    }

    public mutating func setViewportHeight(_ height: Int) {
        viewportHeight = max(0, height)
        clampAndFollow()
    }

    /// Scrolls by `delta` lines (negative is up).
    public mutating func scroll(by delta: Int) {
        scrollOffset = min(max(0, scrollOffset + delta), maxScrollOffset)
        isFollowingBottom = isAtBottom
    }

    /// Scrolls by whole pages (negative is up), keeping one line of overlap for context.
    public mutating func scrollPages(_ pages: Int) {
        scroll(by: pages * max(1, viewportHeight - 1))
    }

    public mutating func scrollToTop() {
        scrollOffset = 0
        isFollowingBottom = isAtBottom
    }

    public mutating func scrollToBottom() {
        scrollOffset = maxScrollOffset
        isFollowingBottom = true
    }

    /// Handles the usual scrolling keys; returns whether the key was used.
    public mutating func handle(_ key: KeyEvent) -> Bool {
        switch key {
        case .up: scroll(by: -1)
        case .down: scroll(by: 1)
        case .pageUp: scrollPages(-1)
        case .pageDown: scrollPages(1)
        case .home, KeyEvent(.home, modifiers: .control): scrollToTop()
        case .end, KeyEvent(.end, modifiers: .control): scrollToBottom()
        default: return false
        }
        return true
    }

    private mutating func clampAndFollow() {
        if isFollowingBottom {
            scrollOffset = maxScrollOffset
        } else {
            scrollOffset = min(scrollOffset, maxScrollOffset)
        }
    }

    /// Draws the visible lines into `rect` (which need not match `viewportHeight`).
    public func draw(into grid: inout ScreenGrid, rect: Rect) {
        guard !rect.isEmpty else { return }
        let needsBar = showsScrollbar && lines.count > rect.height
        let textRect = Rect(
            row: rect.row, col: rect.col, width: needsBar ? rect.width - 1 : rect.width, height: rect.height)
        let maxOffset = max(0, lines.count - rect.height)
        let offset = isFollowingBottom ? maxOffset : min(scrollOffset, maxOffset)
        for index in 0..<rect.height where offset + index < lines.count {
            grid.write(lines[offset + index], row: rect.row + index, col: rect.col, clip: textRect)
        }
        if needsBar {
            drawScrollbar(into: &grid, column: rect.right - 1, rect: rect, offset: offset, maxOffset: maxOffset)
        }
    }

    private func drawScrollbar(into grid: inout ScreenGrid, column: Int, rect: Rect, offset: Int, maxOffset: Int) {
        let height = rect.height
        let thumb = max(1, height * height / max(1, lines.count))
        let position = maxOffset == 0 ? 0 : (height - thumb) * offset / maxOffset
        for index in 0..<height {
            let isThumb = index >= position && index < position + thumb
            grid.put(isThumb ? "┃" : "│", row: rect.row + index, col: column, style: scrollbarStyle)
        }
    }
}
