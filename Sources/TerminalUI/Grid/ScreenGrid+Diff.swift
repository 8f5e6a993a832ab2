/// A horizontal run of changed cells: the unit the backend draws.
public struct GridRun: Hashable, Sendable {
    public var row: Int
    public var col: Int
    /// The new cells, continuation cells included, so `cells.count` is the run's width.
    public var cells: [Cell]

    public init(row: Int, col: Int, cells: [Cell]) {
        self.row = row
        self.col = col
        self.cells = cells
    }
}

/// Differences between two grids, so only changed cells reach the terminal.
extension ScreenGrid {
    /// The runs of cells that differ from `previous`: maximal spans of changed cells per row.
    ///
    /// A run never starts on a continuation cell nor ends on the left half of a wide cluster, so
    /// the backend can draw each run as it stands. When `previous` is `nil` or has another size,
    /// every row is one run (a full redraw).
    public func diff(from previous: ScreenGrid?) -> [GridRun] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).compactMap { row in
                width > 0 ? GridRun(row: row, col: 0, cells: Array(self.row(row))) : nil
            }
        }
        var runs: [GridRun] = []
        for row in 0..<height {
            let new = self.row(row)
            let old = previous.row(row)
            let base = new.startIndex
            let oldBase = old.startIndex
            var col = 0
            while col < width {
                if new[base + col] == old[oldBase + col] {
                    col += 1
                    continue
                }
                var start = col
                if new[base + start].isContinuation && start > 0 { start -= 1 }
                var end = col + 1
                while end < width && new[base + end] != old[oldBase + end] { end += 1 }
                if new[base + end - 1].isWide && end < width { end += 1 }
                if let last = runs.last, last.row == row, last.col + last.cells.count >= start {
                    // Adjacent to the previous run after widening: extend it instead.
                    let from = last.col + last.cells.count
                    runs[runs.count - 1].cells.append(contentsOf: new[(base + from)..<(base + end)])
                } else {
                    runs.append(GridRun(row: row, col: start, cells: Array(new[(base + start)..<(base + end)])))
                }
                col = end
            }
        }
        return runs
    }

    /// Applies runs to this grid, as the terminal applies them to its screen (for tests).
    public mutating func apply(_ runs: [GridRun]) {
        for run in runs {
            var col = run.col
            for cell in run.cells {
                if !cell.isContinuation, let character = cell.text.first {
                    put(character, row: run.row, col: col, style: cell.style)
                }
                col += 1
            }
        }
    }
}
