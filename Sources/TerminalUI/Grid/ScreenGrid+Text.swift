/// Plain-text renderings of a grid for snapshot tests and logs.
extension ScreenGrid {
    /// Each row as text, wide clusters once, continuation cells skipped, trailing spaces kept.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for cell in self.row(row) where !cell.isContinuation {
                line += cell.text
            }
            return line
        }
    }

    /// All rows with trailing spaces removed, joined by newlines: the snapshot format.
    public var text: String {
        lines.map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }

    /// The text of `rect` only, for asserting on one widget inside a larger screen.
    public func text(in rect: Rect) -> String {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return "" }
        return (area.row..<area.bottom).map { row in
            var line = ""
            for col in area.col..<area.right where !self[row, col].isContinuation {
                line += self[row, col].text
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
