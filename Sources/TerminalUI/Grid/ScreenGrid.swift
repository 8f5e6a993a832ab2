/// A width × height array of cells: what the app's `view` returns and the backend draws.
///
/// All writes keep one invariant: every wide cluster is followed by its continuation cell, and no
/// continuation cell is orphaned. Overwriting half of a wide cluster blanks the other half, and a
/// wide cluster that would cross the right edge (of the grid or of a clip rectangle) is replaced
/// by a space, exactly as a terminal would leave it.
public struct ScreenGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    /// A grid of blank cells in `style`.
    public init(width: Int, height: Int, style: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank(style), count: self.width * self.height)
    }

    public init(size: TerminalSize, style: Style = .plain) {
        self.init(width: size.width, height: size.height, style: style)
    }

    public var size: TerminalSize { TerminalSize(width: width, height: height) }
    /// The whole grid as a rectangle, the default clip for writes.
    public var bounds: Rect { Rect(row: 0, col: 0, width: width, height: height) }

    /// The cell at (`row`, `col`), which must be inside the grid.
    public subscript(row: Int, col: Int) -> Cell {
        precondition(row >= 0 && row < height && col >= 0 && col < width, "cell outside the grid")
        return cells[row * width + col]
    }

    /// One row of cells, continuation cells included.
    public func row(_ row: Int) -> ArraySlice<Cell> {
        precondition(row >= 0 && row < height, "row outside the grid")
        return cells[(row * width)..<((row + 1) * width)]
    }

    /// Writes one cluster at (`row`, `col`) and returns how many columns it took (0, 1 or 2).
    ///
    /// Zero-width clusters (controls, lone combining marks) are skipped. A wide cluster with only
    /// one column left inside `clip` becomes a space in `style`.
    @discardableResult
    public mutating func put(
        _ character: Character, row: Int, col: Int, style: Style = .plain, clip: Rect? = nil
    ) -> Int {
        let area = clipArea(clip)
        guard area.contains(row: row, col: col) else { return 0 }
        let measured = DisplayWidth.of(character)
        if measured == 0 { return 0 }
        if measured == 2 && col + 1 >= area.right {
            replace(row: row, from: col, with: [.blank(style)])
            return 1
        }
        let cell = Cell(character, style: style)
        replace(row: row, from: col, with: measured == 2 ? [cell, .continuation(style)] : [cell])
        return measured
    }

    /// Writes `text` from (`row`, `col`) on one row, clipped to `clip`, and returns the column
    /// after it (as if unclipped). Newlines and other controls are skipped, not interpreted.
    @discardableResult
    public mutating func write(
        _ text: some StringProtocol, row: Int, col: Int, style: Style = .plain, clip: Rect? = nil
    ) -> Int {
        let area = clipArea(clip)
        var column = col
        guard row >= area.row && row < area.bottom else { return column + DisplayWidth.of(text) }
        for character in text {
            let measured = DisplayWidth.of(character)
            if measured == 0 { continue }
            if column >= area.right {
                column += measured
                continue
            }
            if column < area.col {
                if column + measured > area.col { // a wide cluster cut by the left edge
                    replace(row: row, from: area.col, with: [.blank(style)])
                }
            } else {
                put(character, row: row, col: column, style: style, clip: area)
            }
            column += measured
        }
        return column
    }

    /// Fills `rect` (clipped to the grid) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.row..<area.bottom {
            var col = area.col
            while col < area.right {
                col += max(1, put(character, row: row, col: col, style: style, clip: area))
            }
        }
    }

    /// Copies `other` with its top-left corner at `origin`, clipped to `clip` and the grid.
    public mutating func blit(_ other: ScreenGrid, at origin: GridPosition, clip: Rect? = nil) {
        let area = clipArea(clip)
        for r in 0..<other.height {
            let row = origin.row + r
            guard row >= area.row && row < area.bottom else { continue }
            for c in 0..<other.width {
                let cell = other[r, c]
                if cell.isContinuation { continue }
                if let character = cell.text.first {
                    put(character, row: row, col: origin.col + c, style: cell.style, clip: area)
                }
            }
        }
    }

    private func clipArea(_ clip: Rect?) -> Rect {
        guard let clip else { return bounds }
        return clip.intersection(bounds)
    }

    /// Replaces cells from `col` on, first blanking any wide cluster the new cells cut in half.
    private mutating func replace(row: Int, from col: Int, with newCells: [Cell]) {
        let base = row * width
        let last = col + newCells.count - 1
        let first = cells[base + col]
        if first.isContinuation && col > 0 {
            cells[base + col - 1] = .blank(cells[base + col - 1].style)
        }
        let end = cells[base + last]
        if end.isWide && last + 1 < width {
            cells[base + last + 1] = .blank(cells[base + last + 1].style)
        }
        for (offset, cell) in newCells.enumerated() {
            cells[base + col + offset] = cell
        }
    }
}
