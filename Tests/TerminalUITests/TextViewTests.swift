import TestSupport
import Testing

@testable import TerminalUI

struct TextViewTests {
    func lines(_ count: Int) -> [StyledLine] {
        (1...count).map { StyledLine("line \($0)", .plain) }
    }

    @Test func followsTheBottomUntilScrolledUp() {
        var view = TextView(lines: lines(10), viewportHeight: 4)
        #expect(view.scrollOffset == 6)
        view.setLines(lines(12))
        #expect(view.scrollOffset == 8)
        view.scroll(by: -3)
        #expect(!view.isFollowingBottom)
        view.setLines(lines(20))
        #expect(view.scrollOffset == 5)
        view.scrollToBottom()
        #expect(view.isFollowingBottom && view.scrollOffset == 16)
        view.scroll(by: -1)
        view.scroll(by: 1)
        #expect(view.isFollowingBottom)
    }

    @Test func clampsScrolling() {
        var view = TextView(lines: lines(10), viewportHeight: 4)
        view.scroll(by: -100)
        #expect(view.scrollOffset == 0)
        view.scroll(by: 100)
        #expect(view.scrollOffset == 6)
        view.scrollPages(-1)
        #expect(view.scrollOffset == 3)
        let usedHome = view.handle(.home)
        #expect(usedHome && view.scrollOffset == 0)
        let usedPageDown = view.handle(.pageDown)
        #expect(usedPageDown && view.scrollOffset == 3)
        let usedX = view.handle(.character("x"))
        #expect(!usedX)
        view.setLines(lines(2))
        #expect(view.scrollOffset == 0)
        view.setViewportHeight(10)
        #expect(view.maxScrollOffset == 0)
    }

    @Test func drawsVisibleLinesWithScrollbar() {
        var view = TextView(lines: lines(12), viewportHeight: 5, showsScrollbar: true)
        view.scroll(by: -4)
        var grid = ScreenGrid(width: 12, height: 5)
        view.draw(into: &grid, rect: grid.bounds)
        assertSnapshot(grid, named: "textview-scrollbar")
        #expect(view.contentWidth(forWidth: 12) == 11)
    }

    @Test func drawsWrappedMarkdownTranscript() {
        let message = """
            # Résumé
            Here is **bold**, *italic* and `code` with 中文 and 👍🏽 emoji that wraps.
            - first item that is long enough to wrap
            1. numbered
            ```python
            print("a very long line of code that breaks")
            ```
            """
        let theme: (TextRole) -> Style = { role in
            switch role {
            case .bold: Style(attributes: .bold)
            case .code, .codeBlock: Style(background: .ansi(8))
            case .codeFence: Style(attributes: .dim)
            default: .plain
            }
        }
        let width = 24
        let rendered = MarkdownLite.render(message, width: width).map { $0.mapAttributes(theme) }
        let view = TextView(lines: rendered, viewportHeight: rendered.count)
        var grid = ScreenGrid(width: width, height: rendered.count)
        view.draw(into: &grid, rect: grid.bounds)
        assertSnapshot(grid, named: "textview-markdown")
        for row in 0..<grid.height {
            #expect(grid.row(row).count == width)
        }
        let codeRow = grid.lines.firstIndex { $0.hasPrefix("print") }
        #expect(codeRow != nil)
        if let codeRow {
            #expect(grid[codeRow, width - 1].style.background == .ansi(8)) // code fills the row
        }
    }
}

struct ListViewTests {
    let items = [
        ListItem("llama-3.2-1b-instruct", detail: "Q8_0"), ListItem("qwen2.5-0.5b", detail: "Q4_K"),
        ListItem("smollm2-135m", detail: "F16"), ListItem("Llama-3.2-3B", detail: "Q4_K")
    ]

    @Test func filtersCaseInsensitivelyByAllWords() {
        var list = ListView(items: items, viewportHeight: 3)
        for character in "LLAMA" { _ = list.handle(.character(character)) }
        #expect(list.visibleIndices == [0, 3])
        for character in " 3b" { _ = list.handle(.character(character)) }
        #expect(list.visibleIndices == [3])
        #expect(list.handle(.enter) == .activated(3))
        _ = list.handle(.ctrl("u"))
        #expect(list.visibleIndices.count == 4)
        #expect(list.selectedIndex == 3) // the selection survives the filter change
        list.setFilter("nothing")
        #expect(list.selectedRow == nil)
        #expect(list.handle(.enter) == .handled)
        #expect(list.handle(.escape) == .cancelled)
    }

    @Test func selectionScrollsAndClamps() {
        var list = ListView(items: items, viewportHeight: 2)
        _ = list.handle(.down)
        _ = list.handle(.down)
        #expect(list.selectedRow == 2 && list.scrollTop == 1)
        _ = list.handle(.end)
        #expect(list.selectedRow == 3 && list.scrollTop == 2)
        _ = list.handle(.pageUp)
        #expect(list.selectedRow == 2)
        _ = list.handle(.home)
        #expect(list.selectedRow == 0 && list.scrollTop == 0)
        _ = list.handle(.up)
        #expect(list.selectedRow == 0)
    }

    @Test func drawsRowsWithDetails() {
        var list = ListView(items: items, viewportHeight: 3)
        _ = list.handle(.down)
        var grid = ScreenGrid(width: 26, height: 3)
        list.draw(into: &grid, rect: grid.bounds)
        assertSnapshot(grid, named: "listview-rows")
        #expect(grid[1, 0].style.isReversed)
        #expect(!grid[0, 0].style.isReversed)
        list.setFilter("zzz")
        var empty = ScreenGrid(width: 26, height: 2)
        list.draw(into: &empty, rect: empty.bounds)
        #expect(empty.text == " (no matches)\n")
    }
}
