/// A one-line text input that scrolls horizontally, for editing a value in place.
public struct TextField: Hashable, Sendable {
    private(set) var characters: [Character]
    public private(set) var cursor: Int
    /// The whole text is selected: typing or pasting replaces it, Backspace or Delete clears it,
    /// and a movement key keeps it. So editing an old value never appends to it by accident.
    public private(set) var isSelected: Bool

    public init(text: String = "", selected: Bool = false) {
        characters = Array(LineEditor.sanitize(text).map { $0 == "\n" ? " " : $0 })
        cursor = characters.count
        isSelected = selected && !characters.isEmpty
    }

    public var text: String { String(characters) }

    /// Applies an editing key; returns whether it was used (Enter and Escape are not).
    public mutating func handle(_ key: KeyEvent) -> Bool {
        if isSelected {
            isSelected = false
            switch key {
            case .backspace, .delete, .ctrl("d"):
                clear()
                return true
            default:
                if key.typedCharacter != nil { clear() }
            }
        }
        if let character = key.typedCharacter {
            characters.insert(character, at: cursor)
            cursor += 1
            return true
        }
        switch key {
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .ctrl("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"): characters.removeSubrange(cursor...)
        default: return false
        }
        return true
    }

    /// Inserts pasted text (newlines become spaces).
    public mutating func insert(_ text: String) {
        if isSelected {
            isSelected = false
            clear()
        }
        let incoming = Array(LineEditor.sanitize(text).map { $0 == "\n" ? " " : $0 })
        characters.insert(contentsOf: incoming, at: cursor)
        cursor += incoming.count
    }

    private mutating func clear() {
        characters = []
        cursor = 0
    }

    /// Draws the field in one row of `rect`, scrolled so the cursor shows; returns the cursor.
    public func render(into grid: inout ScreenGrid, rect: Rect, style: Style = .plain) -> GridPosition? {
        guard !rect.isEmpty else { return nil }
        let line = Rect(row: rect.row, col: rect.col, width: rect.width, height: 1)
        grid.fill(line, style: style)
        // Scroll so the cursor sits at most in the last column.
        var start = 0
        var widthBeforeCursor = characters[0..<cursor].reduce(0) { $0 + DisplayWidth.of($1) }
        while widthBeforeCursor > rect.width - 1 && start < cursor {
            widthBeforeCursor -= DisplayWidth.of(characters[start])
            start += 1
        }
        let textStyle = isSelected ? style.adding(.reverse) : style
        grid.write(String(characters[start...]), row: line.row, col: line.col, style: textStyle, clip: line)
        return GridPosition(row: line.row, col: line.col + widthBeforeCursor)
    }
}
