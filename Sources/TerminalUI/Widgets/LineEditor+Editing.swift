/// Cursor movement and editing commands, each also reachable through `handle(_:)`.
extension LineEditor {
    public mutating func moveLeft() { moveCursor(to: cursor - 1) }
    public mutating func moveRight() { moveCursor(to: cursor + 1) }

    /// Start of the current logical line (Home, Ctrl-A).
    public mutating func moveToLineStart() { moveCursor(to: lineStart(before: cursor)) }
    /// End of the current logical line (End, Ctrl-E).
    public mutating func moveToLineEnd() { moveCursor(to: lineEnd(after: cursor)) }

    /// Back to the start of the previous word (Alt-B, Ctrl-Left).
    public mutating func moveWordLeft() { moveCursor(to: wordStart(before: cursor)) }
    /// Forward past the end of the next word (Alt-F, Ctrl-Right).
    public mutating func moveWordRight() { moveCursor(to: wordEnd(after: cursor)) }

    /// Up one visual row at the same column; `false` on the first row (the caller recalls history).
    public mutating func moveUp() -> Bool { moveVertically(by: -1) }
    /// Down one visual row at the same column; `false` on the last row.
    public mutating func moveDown() -> Bool { moveVertically(by: 1) }

    public mutating func insertNewline() { insert("\n") }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        remove((cursor - 1)..<cursor)
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        remove(cursor..<(cursor + 1))
    }

    /// Ctrl-K: kill to the end of the line, or the newline itself when already at the end.
    public mutating func killToLineEnd() {
        let end = lineEnd(after: cursor)
        kill(cursor..<(end == cursor ? min(characters.count, cursor + 1) : end))
    }

    /// Ctrl-U: kill from the start of the line to the cursor.
    public mutating func killToLineStart() { kill(lineStart(before: cursor)..<cursor) }

    /// Ctrl-W: kill the whitespace-delimited word before the cursor.
    public mutating func killWordBackward() {
        var start = cursor
        while start > 0 && characters[start - 1].isWhitespace { start -= 1 }
        while start > 0 && !characters[start - 1].isWhitespace { start -= 1 }
        kill(start..<cursor)
    }

    /// Alt-Backspace: kill back to the start of the previous word (letters and digits).
    public mutating func deleteWordBackward() { kill(wordStart(before: cursor)..<cursor) }
    /// Alt-D: kill forward to the end of the next word.
    public mutating func deleteWordForward() { kill(cursor..<wordEnd(after: cursor)) }

    /// Ctrl-Y: insert the last killed text.
    public mutating func yank() { insert(killBuffer) }

    private mutating func kill(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        killBuffer = remove(range)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    func lineStart(before index: Int) -> Int {
        var start = index
        while start > 0 && characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    func lineEnd(after index: Int) -> Int {
        var end = index
        while end < characters.count && characters[end] != "\n" { end += 1 }
        return end
    }

    func wordStart(before index: Int) -> Int {
        var start = index
        while start > 0 && !Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0 && Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    func wordEnd(after index: Int) -> Int {
        var end = index
        while end < characters.count && !Self.isWordCharacter(characters[end]) { end += 1 }
        while end < characters.count && Self.isWordCharacter(characters[end]) { end += 1 }
        return end
    }

    /// The column of `index` within its visual row.
    func column(of index: Int) -> Int {
        let row = layout.row(containing: index)
        var column = 0
        var position = layout.rowStarts[row]
        while position < index {
            column += EditorLayout.width(of: characters[position])
            position += 1
        }
        return column
    }

    private mutating func moveVertically(by delta: Int) -> Bool {
        let row = layout.row(containing: cursor)
        let target = row + delta
        guard target >= 0 else { return false }
        layout.ensure(characters, index: cursor, row: target + 1)
        guard target < layout.rowStarts.count else { return false }
        let goal = goalColumn ?? column(of: cursor)
        let range = layout.range(ofRow: target, in: characters)
        var index = range.lowerBound
        var column = 0
        while index < range.upperBound {
            let width = EditorLayout.width(of: characters[index])
            if column + width > goal { break }
            column += width
            index += 1
        }
        // The end of a soft-wrapped row belongs to the next row: stay before its last cluster.
        let softWrapped = target + 1 < layout.rowStarts.count && layout.rowStarts[target + 1] == range.upperBound
        if softWrapped && index == range.upperBound && index > range.lowerBound { index -= 1 }
        moveCursor(to: index, keepGoal: true)
        goalColumn = goal
        return true
    }
}
