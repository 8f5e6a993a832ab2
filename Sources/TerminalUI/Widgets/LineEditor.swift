/// What the app should do after the editor saw a key.
public enum EditorResult: Hashable, Sendable {
    /// The editor used the key (text or cursor changed, or it was a no-op edit).
    case handled
    /// The key is not an editing key; the app may bind it (Enter to send, for example).
    case ignored
    /// Up on the first visual row: recall the previous history entry.
    case recallPrevious
    /// Down on the last visual row: recall the next history entry.
    case recallNext
}

/// A multi-line text input with a cursor, wrapped to a width and scrolled to a maximum height.
///
/// The buffer is an array of grapheme clusters, so cursor moves and deletions never split a
/// cluster, inserting is linear in the inserted text, and the layout is incremental (see
/// `EditorLayout`). The app sets `width` and `maxVisibleRows` when the screen changes; `render`
/// then only reads state, as a pure `view` requires.
public struct LineEditor: Hashable, Sendable {
    private(set) var characters: [Character] = []
    /// The cursor as an index into the buffer's grapheme clusters.
    public private(set) var cursor = 0
    /// The editor's width in columns (the last column is kept free for the cursor).
    public private(set) var width: Int
    /// How many rows the editor may show before it scrolls.
    public private(set) var maxVisibleRows: Int
    /// The first visible row.
    public private(set) var scrollTop = 0
    /// Text removed by the last kill command (Ctrl-K/U/W, Alt-D, Alt-Backspace), for Ctrl-Y.
    public internal(set) var killBuffer = ""
    var layout: EditorLayout
    /// The column Up/Down aim for, kept while moving vertically.
    var goalColumn: Int?

    public init(text: String = "", width: Int = 80, maxVisibleRows: Int = 5) {
        self.width = max(1, width)
        self.maxVisibleRows = max(1, maxVisibleRows)
        self.layout = EditorLayout(textWidth: max(1, width) - 1)
        insert(text)
    }

    /// The whole text (builds a `String`: linear in the buffer size).
    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    /// Number of grapheme clusters in the buffer.
    public var count: Int { characters.count }

    /// Replaces the text and puts the cursor at the end (history recall, clearing after send).
    public mutating func setText(_ text: String) {
        characters = []
        cursor = 0
        scrollTop = 0
        goalColumn = nil
        layout = EditorLayout(textWidth: width - 1)
        insert(text)
        // `insert` returns early for empty text; the (empty) layout must still be completed.
        if text.isEmpty { refresh() }
    }

    public mutating func setWidth(_ newWidth: Int) {
        guard newWidth != width else { return }
        width = max(1, newWidth)
        layout = EditorLayout(textWidth: width - 1)
        refresh()
    }

    public mutating func setMaxVisibleRows(_ rows: Int) {
        maxVisibleRows = max(1, rows)
        refresh()
    }

    /// Inserts text at the cursor. Newlines are normalised to `\n`, controls other than newline
    /// and tab are dropped, and the first inserted cluster joins the one before the cursor when
    /// Unicode says they form one (a combining mark typed after its base).
    public mutating func insert(_ text: String) {
        var incoming = Array(Self.sanitize(text))
        guard !incoming.isEmpty else { return }
        var firstChanged = cursor
        if cursor > 0 {
            var merged = characters[cursor - 1]
            var consumed = 0
            while consumed < incoming.count {
                let joined = String(merged) + String(incoming[consumed])
                guard joined.count == 1, let single = joined.first else { break }
                merged = single
                consumed += 1
            }
            if consumed > 0 {
                characters[cursor - 1] = merged
                incoming.removeFirst(consumed)
                firstChanged = cursor - 1
            }
        }
        characters.insert(contentsOf: incoming, at: cursor)
        layout.invalidate(from: firstChanged)
        cursor += incoming.count
        goalColumn = nil
        refresh()
    }

    /// Removes the clusters in `range`, moving the cursor to its start; returns the removed text.
    @discardableResult
    mutating func remove(_ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<characters.count)
        guard !clamped.isEmpty else { return "" }
        let removed = String(characters[clamped])
        characters.removeSubrange(clamped)
        cursor = clamped.lowerBound
        layout.invalidate(from: clamped.lowerBound)
        goalColumn = nil
        refresh()
        return removed
    }

    /// Moves the cursor to `index` (clamped), keeping the goal column only for vertical moves.
    mutating func moveCursor(to index: Int, keepGoal: Bool = false) {
        cursor = min(max(0, index), characters.count)
        if !keepGoal { goalColumn = nil }
        refresh()
    }

    /// Lays out what the cursor and the visible rows need and scrolls the cursor into view.
    mutating func refresh() {
        layout.ensure(characters, index: cursor, row: 0)
        let row = layout.row(containing: cursor)
        if row < scrollTop { scrollTop = row }
        if row >= scrollTop + maxVisibleRows { scrollTop = row - maxVisibleRows + 1 }
        layout.ensure(characters, index: cursor, row: scrollTop + maxVisibleRows)
        if layout.isComplete {
            let rows = layout.rowStarts.count
            scrollTop = max(0, min(scrollTop, rows - maxVisibleRows))
        }
    }

    /// Newlines to `\n`; controls other than `\n` and `\t` removed.
    static func sanitize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasReturn = false
        for scalar in text.unicodeScalars {
            defer { previousWasReturn = scalar == "\r" }
            if scalar == "\r" {
                scalars.append("\n")
            } else if scalar == "\n" {
                if !previousWasReturn { scalars.append("\n") }
            } else if scalar == "\t" || !DisplayWidth.isControl(scalar.value) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}

extension LineEditor {
    /// Equal when the text, cursor and view settings are; the layout cache is derived state, so
    /// two editors that lay out different amounts of the same text are still equal.
    public static func == (lhs: LineEditor, rhs: LineEditor) -> Bool {
        lhs.cursor == rhs.cursor && lhs.width == rhs.width && lhs.maxVisibleRows == rhs.maxVisibleRows
            && lhs.scrollTop == rhs.scrollTop && lhs.goalColumn == rhs.goalColumn
            && lhs.killBuffer == rhs.killBuffer && lhs.characters == rhs.characters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(characters.count)
        hasher.combine(cursor)
        hasher.combine(width)
    }
}
