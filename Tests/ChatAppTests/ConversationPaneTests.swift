import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Wrapping by display width, lazy wrapping, scrolling and resizing of the conversation pane.
struct ConversationPaneTests {
    @Test func wideCharactersWrapWithoutBeingSplit() {
        let text = "日本語のテキストと絵文字👨‍👩‍👧🎉が混ざった長い文章です。Mixed 中文 and English words, 🇯🇵 flags ❤️ too."
        let state = Fixture.state(width: 40, height: 14, messages: [.user(text), Fixture.answer(text)])
        let grid = state.screen
        assertSnapshot(grid, named: "wrap-cjk-emoji")
        for row in 0..<grid.height {
            // Every wide cluster keeps its continuation cell: no half characters anywhere.
            let cells = Array(grid.row(row))
            for (col, cell) in cells.enumerated() where cell.isWide {
                #expect(col + 1 < cells.count && cells[col + 1].isContinuation)
            }
        }
        #expect(grid.text.contains("👨‍👩‍👧"))
    }

    @Test func onlyVisibleMessagesAreWrapped() {
        let messages = Fixture.pairs(2500)
        let state = Fixture.state(width: 100, height: 30, messages: messages)
        let text = state.screen.text
        #expect(text.contains("Answer 2499"))
        // 30 rows show a handful of blocks; nothing near the top of the history was wrapped.
        #expect(state.wrapCache.value.count < 20)
    }

    @Test func pagingThroughALongConversation() {
        var state = Fixture.state(width: 60, height: 16, messages: Fixture.pairs(40))
        #expect(state.screen.text.contains("Answer 39"))
        state.press(.pageUp)
        #expect(!state.scroll.followsBottom)
        #expect(!state.screen.text.contains("Answer 39"))
        state.press(KeyEvent(.home, modifiers: .control))
        #expect(state.screen.text.contains("Question 0"))
        state.press(.pageDown)
        #expect(state.screen.text.contains("Question 2"))
        state.apply(.input(.mouse(MouseEvent(.wheelDown, at: GridPosition(row: 3, col: 3)))))
        state.press(KeyEvent(.end, modifiers: .control))
        #expect(state.scroll.followsBottom)
        #expect(state.screen.text.contains("Answer 39"))
    }

    @Test func resizeReflowsAndKeepsTheTopMessage() {
        var state = Fixture.state(width: 80, height: 20, messages: Fixture.pairs(30))
        state.press(KeyEvent(.home, modifiers: .control))
        for _ in 0..<3 { state.press(.pageDown) }
        let topBefore = firstQuestion(on: state.screen)
        assertSnapshot(state.screen, named: "resize-before")
        state.apply(.input(.resize(TerminalSize(width: 44, height: 16))))
        assertSnapshot(state.screen, named: "resize-after")
        #expect(firstQuestion(on: state.screen) == topBefore)
        #expect(!state.scroll.followsBottom)
        state.apply(.input(.resize(TerminalSize(width: 20, height: 5))))
        state.apply(.input(.resize(TerminalSize(width: 80, height: 20))))
        #expect(firstQuestion(on: state.screen) == topBefore)
    }

    @Test func streamingFollowsTheBottomUnlessScrolledUp() {
        var state = Fixture.state(width: 60, height: 14, messages: Fixture.pairs(10))
        state.type("go")
        state.press(.enter)
        for index in 0..<30 { state.apply(.session(.delta(AnswerDelta(text: "line \(index)\n")))) }
        #expect(state.screen.text.contains("line 29"))
        state.press(.pageUp)
        state.apply(.session(.delta(AnswerDelta(text: "line 30\n"))))
        #expect(!state.screen.text.contains("line 30"))
        #expect(state.screen.text.contains("more below"))
    }

    @Test func oneMegabytePasteIsOneInsertion() {
        var state = Fixture.state()
        let line = String(repeating: "x", count: 99) + "\n"
        let paste = String(repeating: line, count: 10_486)
        state.apply(.input(.paste(paste)))
        #expect(state.input.count == paste.count)
        state.type("!")
        #expect(state.input.count == paste.count + 1)
        #expect(state.screen.text.contains("!"))
    }

    private func firstQuestion(on grid: ScreenGrid) -> String? {
        grid.lines.lazy.compactMap { line in
            line.range(of: #"(Question|Answer) \d+"#, options: .regularExpression).map { String(line[$0]) }
        }.first
    }
}
