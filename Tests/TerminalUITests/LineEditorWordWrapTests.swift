import Testing

@testable import TerminalUI

/// Issue #17, "Deliver" 7: long input wraps at word boundaries; a word longer than a row is
/// still cut where the row ends, and editing re-wraps the rows it changes.
struct LineEditorWordWrapTests {
    static func rows(_ text: String, width: Int) -> [String] {
        let editor = LineEditor(text: text, width: width, maxVisibleRows: 20)
        var grid = ScreenGrid(width: width, height: 20)
        _ = editor.render(into: &grid, rect: grid.bounds)
        return grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.isEmpty }
    }

    @Test func wordsMoveDownWhole() {
        #expect(
            Self.rows("The quick brown fox jumps over the lazy dog", width: 10)
                == ["The quick", "brown fox", "jumps", "over the", "lazy dog"])
    }

    @Test func aWordLongerThanARowIsCut() {
        #expect(Self.rows("see supercalifragilistic now", width: 10) == ["see", "supercali", "fragilist", "ic now"])
    }

    @Test func indentationIsNotABreakPoint() {
        #expect(Self.rows("    indented words here", width: 14) == ["    indented", "words here"])
        #expect(Self.rows("    abcdefghijklmnop", width: 14) == ["    abcdefghi", "jklmnop"])
    }

    @Test func editingRewrapsTheRowBefore() {
        var editor = LineEditor(text: "hello wonderful", width: 12, maxVisibleRows: 5)
        #expect(editor.visibleRowCount == 2)
        for _ in 0..<6 { _ = editor.handle(.backspace) } // "hello won": fits on one row again
        #expect(editor.text == "hello won" && editor.visibleRowCount == 1)
        editor.insert("derful")
        #expect(editor.visibleRowCount == 2)
        #expect(editor.cursorRowAndColumn == GridPosition(row: 1, col: 9))
    }
}
