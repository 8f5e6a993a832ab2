/// Where the visual rows of a line editor's buffer start, computed lazily and incrementally.
///
/// The buffer is character-wrapped at `textWidth` columns (a newline always ends a row), so a
/// row start depends only on what precedes it. An edit therefore invalidates rows from the one
/// before the edit onward, and only the rows actually needed (up to the cursor and the visible
/// window) are recomputed: typing into a 1 MB buffer does not re-layout the whole buffer.
struct EditorLayout: Hashable, Sendable {
    /// Columns a row may hold; one less than the editor's width so the cursor always fits.
    private(set) var textWidth: Int
    /// Index of the first character of each computed row; never empty.
    private(set) var rowStarts: [Int] = [0]
    /// The next character index to lay out.
    private(set) var scanIndex = 0
    /// The column reached in the last row at `scanIndex`.
    private var column = 0
    /// Whether the whole buffer is laid out.
    private(set) var isComplete = false

    init(textWidth: Int) {
        self.textWidth = max(1, textWidth)
    }

    /// Display width of a buffer character; tabs are drawn as four spaces.
    static func width(of character: Character) -> Int {
        character == "\t" ? 4 : DisplayWidth.of(character)
    }

    /// Forgets every row that an edit at `index` may change.
    mutating func invalidate(from index: Int) {
        let anchor = max(0, index - 1)
        if anchor >= scanIndex && !isComplete { return }
        let row = self.row(containing: anchor)
        rowStarts.removeSubrange((row + 1)...)
        scanIndex = rowStarts[row]
        column = 0
        isComplete = false
    }

    /// Lays out rows until `done` holds or the buffer ends.
    mutating func extend(_ characters: [Character], until done: (EditorLayout) -> Bool) {
        let count = characters.count
        while scanIndex < count {
            if done(self) { return }
            // Lay out one row at a time so `done` is checked often but cheaply.
            let rowsBefore = rowStarts.count
            while scanIndex < count && rowStarts.count == rowsBefore {
                let character = characters[scanIndex]
                if character == "\n" {
                    rowStarts.append(scanIndex + 1)
                    column = 0
                    scanIndex += 1
                    continue
                }
                let width = Self.width(of: character)
                if column + width > textWidth && column > 0 {
                    rowStarts.append(scanIndex)
                    column = 0
                }
                column += width
                scanIndex += 1
            }
        }
        isComplete = true
    }

    /// Lays out enough rows to know the row of `index` and where row `row` ends.
    mutating func ensure(_ characters: [Character], index: Int, row: Int) {
        extend(characters) { layout in
            (layout.rowStarts.last ?? 0) > index && layout.rowStarts.count > row + 1
        }
    }

    /// The row holding `index` among the computed rows (the last row start at or before it).
    func row(containing index: Int) -> Int {
        var low = 0
        var high = rowStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if rowStarts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The characters of `row` to draw: from its start to the next row's start, minus a newline.
    func range(ofRow row: Int, in characters: [Character]) -> Range<Int> {
        let start = rowStarts[row]
        var end = row + 1 < rowStarts.count ? rowStarts[row + 1] : (isComplete ? characters.count : scanIndex)
        if end > start && characters[end - 1] == "\n" { end -= 1 }
        return start..<end
    }
}
