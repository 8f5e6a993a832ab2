/// A cell position on screen, zero-based from the top-left corner.
public struct GridPosition: Hashable, Sendable {
    public var row: Int
    public var col: Int

    public init(row: Int, col: Int) {
        self.row = row
        self.col = col
    }
}

/// The terminal's size in cells.
public struct TerminalSize: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A rectangle of cells; widgets draw inside one so layouts compose by splitting rectangles.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var col: Int
    public var width: Int
    public var height: Int

    public init(row: Int, col: Int, width: Int, height: Int) {
        self.row = row
        self.col = col
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The whole area of a terminal of `size`.
    public init(size: TerminalSize) {
        self.init(row: 0, col: 0, width: size.width, height: size.height)
    }

    public var isEmpty: Bool { width == 0 || height == 0 }
    /// One past the last row.
    public var bottom: Int { row + height }
    /// One past the last column.
    public var right: Int { col + width }

    /// Whether the cell at (`row`, `col`) lies inside.
    public func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < bottom && c >= col && c < right
    }

    /// The overlap of two rectangles (empty when they do not overlap).
    public func intersection(_ other: Rect) -> Rect {
        let top = max(row, other.row)
        let left = max(col, other.col)
        let bottomEdge = min(bottom, other.bottom)
        let rightEdge = min(right, other.right)
        return Rect(row: top, col: left, width: rightEdge - left, height: bottomEdge - top)
    }

    /// The rectangle shrunk by `amount` cells on every side, as inside a border.
    public func inset(by amount: Int) -> Rect {
        Rect(row: row + amount, col: col + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// The top `count` rows, and the rest below them.
    public func splitTop(_ count: Int) -> (top: Rect, rest: Rect) {
        let n = min(max(0, count), height)
        return (
            Rect(row: row, col: col, width: width, height: n),
            Rect(row: row + n, col: col, width: width, height: height - n)
        )
    }

    /// The bottom `count` rows, and the rest above them.
    public func splitBottom(_ count: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(0, count), height)
        return (
            Rect(row: row, col: col, width: width, height: height - n),
            Rect(row: row + height - n, col: col, width: width, height: n)
        )
    }
}
