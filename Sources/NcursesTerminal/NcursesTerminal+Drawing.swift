import CNcurses
import TerminalUI

/// Drawing grids: only the runs that differ from the last grid reach ncurses.
extension NcursesTerminal {
    public func draw(_ grid: ScreenGrid) {
        guard !isShutDown else { return }
        let screenSize = size
        for run in grid.diff(from: lastGrid) where run.row < screenSize.height {
            var col = run.col
            for cell in run.cells {
                defer { col += 1 }
                if cell.isContinuation || col + cell.width > screenSize.width { continue }
                put(cell, row: run.row, col: col)
            }
        }
        lastGrid = grid
        applyCursor()
        wrefresh(parley_stdscr())
    }

    /// Draws one cluster as a `cchar_t`: its first code point plus the zero-width ones after it.
    ///
    /// ncurses (and terminals like tmux) measure each code point with the C library's
    /// `wcwidth`, which knows nothing of emoji ZWJ sequences, skin tones, flags or VS16. So a
    /// cluster is reduced to what that model can show (👨‍👩‍👧 draws as 👨), and when the C
    /// library thinks the glyph is narrow although the grid gave it two cells (❤️), the second
    /// cell is drawn as a space: ncurses' idea of the screen then matches the grid, and every
    /// following cell stays in its column.
    private func put(_ cell: Cell, row: Int, col: Int) {
        let scalars = Array(cell.text.unicodeScalars)
        guard let first = scalars.first else { return }
        var chars = [wchar_t(bitPattern: first.value)]
        for scalar in scalars.dropFirst() {
            let value = wchar_t(bitPattern: scalar.value)
            if scalar.value == 0x200D || parley_wcwidth(value) != 0 || chars.count >= Int(parley_ccharw_max()) { break }
            chars.append(value)
        }
        let attributes = Self.attributes(for: cell.style.attributes)
        let pair = colors?.pair(for: cell.style) ?? 0
        chars.withUnsafeBufferPointer { buffer in
            _ = parley_put_cell(Int32(row), Int32(col), buffer.baseAddress, Int32(buffer.count), attributes, pair)
        }
        if cell.isWide && parley_wcwidth(chars[0]) < 2 {
            var space: [wchar_t] = [wchar_t(bitPattern: 0x20)]
            space.withUnsafeMutableBufferPointer { buffer in
                _ = parley_put_cell(Int32(row), Int32(col + 1), buffer.baseAddress, 1, attributes, pair)
            }
        }
    }

    func applyCursor() {
        let screenSize = size
        if let cursor, cursor.row >= 0, cursor.row < screenSize.height, cursor.col >= 0, cursor.col < screenSize.width {
            wmove(parley_stdscr(), Int32(cursor.row), Int32(cursor.col))
            curs_set(1)
        } else {
            curs_set(0)
        }
    }

    static func attributes(for attributes: TextAttributes) -> attr_t {
        var result = parley_a_normal()
        if attributes.contains(.bold) { result |= parley_a_bold() }
        if attributes.contains(.dim) { result |= parley_a_dim() }
        if attributes.contains(.italic) { result |= parley_a_italic() }
        if attributes.contains(.underline) { result |= parley_a_underline() }
        if attributes.contains(.reverse) { result |= parley_a_reverse() }
        return result
    }

    /// Forgets what is on screen so the next draw repaints everything (after a resize).
    func invalidateScreen() {
        lastGrid = nil
        clearok(parley_stdscr(), true)
    }
}

/// Colour pairs allocated on demand: ncurses draws colours through numbered (fg, bg) pairs.
struct ColorPairs {
    let colorCount: Int
    let pairLimit: Int
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int = 1

    private struct PairKey: Hashable {
        let foreground: Int
        let background: Int
    }

    init(colorCount: Int, pairLimit: Int) {
        self.colorCount = colorCount
        self.pairLimit = min(pairLimit, Int(Int16.max))
    }

    /// The pair for a style's colours, allocating it the first time; 0 (default colours) when
    /// both are default or the terminal has no pairs left.
    mutating func pair(for style: Style) -> Int16 {
        let key = PairKey(
            foreground: style.foreground.paletteIndex(forColorCount: colorCount) ?? -1,
            background: style.background.paletteIndex(forColorCount: colorCount) ?? -1)
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let existing = pairs[key] { return existing }
        guard nextPair < pairLimit else { return 0 }
        let number = Int16(nextPair)
        guard init_pair(number, Int16(key.foreground), Int16(key.background)) == parley_ok() else { return 0 }
        nextPair += 1
        pairs[key] = number
        return number
    }
}
