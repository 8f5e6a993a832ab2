/// Where the visual rows of a line editor's buffer start, computed lazily and incrementally.
///
/// The buffer is wrapped at `textWidth` columns after the last space that fits (a word longer
/// than a row is cut where the row ends; a newline always ends a row). A row's end depends
/// only on the text up to the character that did not fit, which lies in the next row, so an
/// edit invalidates rows from two before the edit onward, and only the rows actually needed
/// (up to the cursor and the visible window) are recomputed: typing into a 1 MB buffer does not
/// re-layout the whole buffer.
struct EditorLayout: Hashable, Sendable {
    /// Columns a row may hold; one less than the editor's width so the cursor always fits.
    private(set) var textWidth: Int
    /// Index of the first character of each computed row; never empty.
    private(set) var rowStarts: [Int] = [0]
    /// The next character index to lay out.
    private(set) var scanIndex = 0
    /// The column reached in the last row at `scanIndex`.
    private var column = 0
    /// Where the last row may break (just after its last space; 0 when it has none) and the
    /// column there.
    private var breakIndex = 0
    private var breakColumn = 0
    /// Whether the last row has a character other than a space yet.
    private var rowHasWord = false
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
        // The row before may now take the start of this one (a word got shorter).
        let row = max(0, self.row(containing: anchor) - 1)
        rowStarts.removeSubrange((row + 1)...)
        scanIndex = rowStarts[row]
        column = 0
        breakIndex = 0
        rowHasWord = false
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
                    breakIndex = 0
                    rowHasWord = false
                    scanIndex += 1
                    continue
                }
                let width = Self.width(of: character)
                if character == " " && column + width > textWidth && column > 0 {
                    // A space that does not fit ends its row (drawn in the column kept for the
                    // cursor), so the next row starts with the next word, not a space.
                    scanIndex += 1
                    rowStarts.append(scanIndex)
                    column = 0
                    breakIndex = 0
                    rowHasWord = false
                    continue
                }
                if column + width > textWidth && column > 0 {
                    let rowStart = rowStarts.last ?? 0
                    if breakIndex > rowStart && column - breakColumn + width <= textWidth {
                        // The word moves down whole: the row ends after its last space.
                        rowStarts.append(breakIndex)
                        column -= breakColumn
                        rowHasWord = column > 0
                    } else {
                        rowStarts.append(scanIndex) // no space to break at, or a word longer than a row
                        column = 0
                        rowHasWord = false
                    }
                    breakIndex = 0
                }
                column += width
                scanIndex += 1
                // A row may break after a space that follows a word on it (not after indentation).
                if character == " " {
                    if rowHasWord {
                        breakIndex = scanIndex
                        breakColumn = column
                    }
                } else {
                    rowHasWord = true
                }
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
