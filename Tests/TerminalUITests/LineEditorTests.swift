import TestSupport
import Testing

@testable import TerminalUI

struct LineEditorTests {
    func editor(_ text: String = "", width: Int = 20, rows: Int = 5) -> LineEditor {
        LineEditor(text: text, width: width, maxVisibleRows: rows)
    }

    func type(_ text: String, into editor: inout LineEditor) {
        for character in text { _ = editor.handle(.character(character)) }
    }

    @Test func typingInsertsAtCursor() {
        var e = editor()
        type("helo", into: &e)
        e.moveLeft()
        _ = e.handle(.character("l"))
        #expect(e.text == "hello")
        #expect(e.cursor == 4)
        #expect(e.handle(.enter) == .ignored)
    }

    @Test func backspaceAndDeleteRemoveWholeClusters() {
        var e = editor("a👍🏽中👨‍👩‍👧")
        #expect(e.count == 4)
        _ = e.handle(.backspace)
        #expect(e.text == "a👍🏽中")
        _ = e.handle(.left)
        _ = e.handle(.left)
        _ = e.handle(.delete)
        #expect(e.text == "a中")
        #expect(e.cursor == 1)
    }

    @Test func combiningMarkJoinsPreviousCluster() {
        var e = editor()
        e.insert("e")
        e.insert("\u{301}")
        #expect(e.count == 1)
        #expect(e.text == "é")
        e.insert("👨")
        e.insert("\u{200D}")
        e.insert("👩")
        #expect(e.count == 2)
    }

    @Test func newlinesAndControlsAreNormalised() {
        var e = editor()
        e.insert("a\r\nb\rc\u{7}\td")
        #expect(e.text == "a\nb\nc\td")
        _ = e.handle(.altEnter)
        _ = e.handle(.ctrl("j"))
        #expect(e.text == "a\nb\nc\td\n\n")
    }

    @Test func homeEndAndEmacsMoves() {
        var e = editor("first line\nsecond line")
        _ = e.handle(.ctrl("a"))
        #expect(e.cursor == 11)
        _ = e.handle(.alt("f"))
        #expect(e.cursor == 17)
        _ = e.handle(.alt("f"))
        #expect(e.cursor == 22)
        _ = e.handle(.alt("b"))
        #expect(e.cursor == 18)
        _ = e.handle(KeyEvent(.left, modifiers: .control))
        #expect(e.cursor == 11)
        _ = e.handle(.ctrl("b"))
        #expect(e.cursor == 10)
        _ = e.handle(.home)
        #expect(e.cursor == 0)
        _ = e.handle(.ctrl("e"))
        #expect(e.cursor == 10)
        _ = e.handle(.ctrl("f"))
        #expect(e.cursor == 11)
    }

    @Test func killAndYank() {
        var e = editor("hello big world")
        _ = e.handle(.ctrl("w"))
        #expect(e.text == "hello big ")
        #expect(e.killBuffer == "world")
        _ = e.handle(.ctrl("y"))
        #expect(e.text == "hello big world")
        _ = e.handle(.ctrl("a"))
        _ = e.handle(.alt("d"))
        #expect(e.text == " big world")
        _ = e.handle(.ctrl("k"))
        #expect(e.text == "")
        #expect(e.killBuffer == " big world")
        e.setText("one\ntwo")
        _ = e.handle(.up)
        _ = e.handle(.ctrl("e"))
        _ = e.handle(.ctrl("k")) // at line end: joins the lines
        #expect(e.text == "onetwo")
        _ = e.handle(.ctrl("u"))
        #expect(e.text == "two")
        e.setText("snake_case words")
        _ = e.handle(KeyEvent(.backspace, modifiers: .alt))
        #expect(e.text == "snake_case ")
        _ = e.handle(KeyEvent(.backspace, modifiers: .alt))
        #expect(e.text == "")
    }

    @Test func upAndDownRecallHistoryAtTheEdges() {
        var e = editor("abc\ndefgh")
        #expect(e.handle(.down) == .recallNext)
        #expect(e.handle(.up) == .handled)
        #expect(e.cursor == 3) // column 5 clamped to the end of "abc"
        #expect(e.handle(.up) == .recallPrevious)
        #expect(e.handle(.down) == .handled)
        #expect(e.cursor == 9) // the goal column (5) is remembered
        var empty = editor()
        #expect(empty.handle(.up) == .recallPrevious)
        #expect(empty.handle(.down) == .recallNext)
    }

    @Test func upAndDownMoveAcrossVisualRows() {
        var e = editor("abcdefghij", width: 6) // five text columns: "abcde" / "fghij"
        #expect(e.cursorRowAndColumn == GridPosition(row: 1, col: 5))
        #expect(e.handle(.up) == .handled)
        #expect(e.cursor == 4)
        #expect(e.handle(.down) == .handled)
        #expect(e.cursor == 10)
        var wide = editor("中文字符x", width: 6) // "中文" / "字符x"
        _ = wide.handle(.up)
        // After 文 is the start of the next row, so the cursor stops before 文.
        #expect(wide.cursorRowAndColumn == GridPosition(row: 0, col: 2))
        _ = wide.handle(.ctrl("a"))
        _ = wide.handle(.right)
        _ = wide.handle(.down)
        #expect(wide.cursorRowAndColumn == GridPosition(row: 1, col: 2))
    }

    @Test func rendersWrappedAndScrolledToTheCursor() {
        var e = editor("The quick brown fox jumps over the lazy dog", width: 10, rows: 3)
        var grid = ScreenGrid(width: 12, height: 4)
        let cursor = e.render(into: &grid, rect: Rect(row: 1, col: 1, width: 10, height: 3))
        assertSnapshot(grid, named: "editor-scrolled-bottom")
        #expect(cursor == GridPosition(row: 3, col: 9)) // "lazy dog": words move down whole (issue #17)
        for _ in 0..<4 { _ = e.handle(.up) }
        var top = ScreenGrid(width: 12, height: 4)
        let topCursor = e.render(into: &top, rect: Rect(row: 1, col: 1, width: 10, height: 3))
        assertSnapshot(top, named: "editor-scrolled-top")
        #expect(topCursor == GridPosition(row: 1, col: 9))
        #expect(e.visibleRowCount == 3)
    }

    @Test func rendersCJKAndEmojiWithoutSplitting() {
        let e = editor("你好世界👍🏽 ok\n\ttab", width: 7, rows: 5)
        var grid = ScreenGrid(width: 7, height: 5)
        let cursor = e.render(into: &grid, rect: grid.bounds)
        // Six text columns (the seventh is kept for the cursor); the tab counts four.
        // "ok" moves down whole (issue #17: input wraps at word boundaries).
        #expect(grid.text == "你好世\n界👍🏽\nok\n    ta\nb")
        #expect(cursor == GridPosition(row: 4, col: 1))
        #expect(e.visibleRowCount == 5)
    }

    @Test func placeholderWhenEmpty() {
        let e = editor(width: 20, rows: 2)
        var grid = ScreenGrid(width: 20, height: 1)
        let cursor = e.render(into: &grid, rect: grid.bounds, placeholder: "Type a message")
        #expect(grid.text == "Type a message")
        #expect(grid[0, 0].style.isDim)
        #expect(cursor == GridPosition(row: 0, col: 0))
    }

    @Test func megabytePasteThenEditing() {
        let line = String(repeating: "word ", count: 15) + "中文\n" // 80 clusters a line
        let paste = String(repeating: line, count: 13_000) // about 1 MB of UTF-8
        #expect(paste.utf8.count > 1_000_000)
        var e = editor(width: 60, rows: 8)
        e.insert(paste)
        #expect(e.count == paste.count)
        #expect(e.cursor == e.count)
        #expect(e.visibleRowCount == 8)
        var grid = ScreenGrid(width: 60, height: 8)
        #expect(e.render(into: &grid, rect: grid.bounds) != nil)
        e.insert("tail")
        #expect(e.text.hasSuffix("中文\ntail"))
        e.moveCursor(to: 0)
        e.insert("head ")
        #expect(e.text.hasPrefix("head word"))
        #expect(e.cursorRowAndColumn == GridPosition(row: 0, col: 5))
        var top = ScreenGrid(width: 60, height: 8)
        _ = e.render(into: &top, rect: top.bounds)
        #expect(top.lines[0].hasPrefix("head word word"))
    }

    @Test func equalityIgnoresTheLayoutCache() {
        var a = editor("one two three four five six seven", width: 8, rows: 2)
        let b = a
        a.setWidth(30)
        a.setWidth(8) // the layout is rebuilt from scratch
        #expect(a == b)
        a.insert("x")
        #expect(a != b)
    }

    /// The incrementally maintained layout always equals a layout computed from scratch.
    @Test func incrementalLayoutMatchesFreshLayout() {
        var rng = SeededRandom(seed: 42)
        let pieces = ["a", "bc ", "中", "👍🏽", "\n", "word ", "\t", "é", "xxxxxxxxxxxx"]
        var e = editor(width: 8, rows: 3)
        for step in 0..<400 {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0, 1: e.insert(pieces[Int.random(in: 0..<pieces.count, using: &rng)])
            case 2: e.deleteBackward()
            case 3: e.moveCursor(to: Int.random(in: 0...e.count, using: &rng))
            case 4: _ = e.handle([KeyEvent.up, .down, .ctrl("k"), .ctrl("w")][Int.random(in: 0..<4, using: &rng)])
            default: e.deleteForward()
            }
            var incremental = e.layout
            incremental.extend(e.characters) { _ in false }
            var fresh = EditorLayout(textWidth: 7)
            fresh.extend(e.characters) { _ in false }
            #expect(incremental.rowStarts == fresh.rowStarts, "step \(step)")
            let row = fresh.row(containing: e.cursor)
            #expect(row >= e.scrollTop && row < e.scrollTop + 3, "cursor visible at step \(step)")
        }
    }
}
