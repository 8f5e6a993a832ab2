import TestSupport
import Testing

@testable import TerminalUI

struct ScreenGridTests {
    @Test func writesTextAndReturnsNextColumn() {
        var grid = ScreenGrid(width: 10, height: 2)
        let next = grid.write("ab中c", row: 0, col: 1)
        #expect(next == 6)
        #expect(grid.lines[0] == " ab中c    ")
        #expect(grid[0, 3].text == "中")
        #expect(grid[0, 3].isWide)
        #expect(grid[0, 4].isContinuation)
        #expect(grid.text == " ab中c\n")
    }

    @Test func wideCharacterAtRightEdgeBecomesSpace() {
        var grid = ScreenGrid(width: 5, height: 1)
        grid.write("abcd中", row: 0, col: 0)
        #expect(grid.lines[0] == "abcd ")
        #expect(!grid[0, 4].isWide)
    }

    @Test func wideCharacterAtClipEdgeBecomesSpace() {
        var grid = ScreenGrid(width: 8, height: 1)
        grid.fill(grid.bounds, with: ".")
        let clip = Rect(row: 0, col: 2, width: 3, height: 1)
        grid.write("x世界", row: 0, col: 2, clip: clip)
        #expect(grid.lines[0] == "..x世...")
        grid.write("ab世", row: 0, col: 2, clip: clip)
        #expect(grid.lines[0] == "..ab ...")
    }

    @Test func wideCharacterCutByLeftClipEdgeBecomesSpace() {
        var grid = ScreenGrid(width: 6, height: 1)
        grid.fill(grid.bounds, with: ".")
        grid.write("世界", row: 0, col: 1, clip: Rect(row: 0, col: 2, width: 4, height: 1))
        #expect(grid.lines[0] == ".. 界.")
        #expect(grid.row(0).count == 6)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = ScreenGrid(width: 6, height: 1)
        grid.write("中文中", row: 0, col: 0)
        grid.write("x", row: 0, col: 1) // right half of 中
        #expect(grid.lines[0] == " x文中")
        grid.write("y", row: 0, col: 2) // left half of 文
        #expect(grid.lines[0] == " xy 中")
        grid.write("文", row: 0, col: 3) // straddles the space and the left half of 中
        #expect(grid.lines[0] == " xy文 ")
        for col in 0..<6 where grid[0, col].isContinuation {
            #expect(col > 0 && grid[0, col - 1].isWide)
        }
    }

    @Test func skipsControlsAndZeroWidthClusters() {
        var grid = ScreenGrid(width: 6, height: 1)
        let next = grid.write("a\tb\n\u{200B}c", row: 0, col: 0)
        #expect(next == 3)
        #expect(grid.text == "abc")
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var grid = ScreenGrid(width: 3, height: 2)
        grid.write("abc", row: 5, col: 0)
        grid.write("abc", row: -1, col: 0)
        grid.write("abcdef", row: 1, col: -2)
        #expect(grid.text == "\ncde")
    }

    @Test func fillAndBlit() {
        var grid = ScreenGrid(width: 6, height: 3)
        grid.fill(Rect(row: 1, col: 1, width: 4, height: 2), with: "#")
        var small = ScreenGrid(width: 3, height: 1)
        small.write("中a", row: 0, col: 0)
        grid.blit(small, at: GridPosition(row: 0, col: 4))
        #expect(grid.text == "    中\n ####\n ####")
    }

    @Test func styledLineWriteFillsRestOfRow() {
        var grid = ScreenGrid(width: 6, height: 1)
        let code = Style(background: .ansi(4))
        grid.write(StyledLine([Span("ab", code)], fill: code), row: 0, col: 1)
        #expect(grid[0, 0].style == .plain)
        #expect((1..<6).allSatisfy { grid[0, $0].style == code })
    }

    @Test func diffOfIdenticalGridsIsEmpty() {
        var grid = ScreenGrid(width: 10, height: 3)
        grid.write("hello 世界", row: 1, col: 0)
        #expect(grid.diff(from: grid).isEmpty)
    }

    @Test func diffWithoutPreviousRedrawsEveryRow() {
        let grid = ScreenGrid(width: 4, height: 3)
        let runs = grid.diff(from: nil)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.col == 0 && $0.cells.count == 4 })
        #expect(grid.diff(from: ScreenGrid(width: 5, height: 3)).count == 3)
    }

    @Test func diffReportsMaximalChangedRuns() {
        let old = ScreenGrid(width: 10, height: 2)
        var new = old
        new.write("ab", row: 0, col: 1)
        new.write("c", row: 0, col: 5)
        new.write("d", row: 1, col: 9)
        let runs = new.diff(from: old)
        #expect(runs.map { [$0.row, $0.col, $0.cells.count] } == [[0, 1, 2], [0, 5, 1], [1, 9, 1]])
    }

    @Test func diffNeverSplitsWideCharacters() {
        var old = ScreenGrid(width: 8, height: 1)
        old.write("ab中d", row: 0, col: 0)
        var new = old
        new.write("中", row: 0, col: 2, style: Style(attributes: .bold))
        let runs = new.diff(from: old)
        #expect(runs.count == 1)
        #expect(runs[0].col == 2 && runs[0].cells.count == 2)

        var replaced = old
        replaced.write("x", row: 0, col: 3) // the right half only
        let runs2 = replaced.diff(from: old)
        #expect(runs2.map { [$0.col, $0.cells.count] } == [[2, 2]])
        #expect(runs2[0].cells.map(\.text) == [" ", "x"])
    }

    @Test func applyingDiffReproducesTheNewGrid() {
        var rng = SeededRandom(seed: 7)
        let pieces = ["a", "中", "👍🏽", "é", " ", "文字", "xyz", "❤️"]
        var old = ScreenGrid(width: 13, height: 4)
        for _ in 0..<200 {
            var new = old
            for _ in 0..<3 {
                let piece = pieces[Int.random(in: 0..<pieces.count, using: &rng)]
                new.write(
                    piece, row: Int.random(in: 0..<4, using: &rng), col: Int.random(in: 0..<13, using: &rng),
                    style: Style(attributes: Bool.random(using: &rng) ? [] : .bold))
            }
            var replay = old
            replay.apply(new.diff(from: old))
            #expect(replay == new)
            old = new
        }
    }
}
