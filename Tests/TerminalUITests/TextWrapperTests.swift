import TestSupport
import Testing

@testable import TerminalUI

struct TextWrapperTests {
    @Test func wrapsAtSpaces() {
        #expect(TextWrapper.wrap("hello world foo", width: 11) == ["hello world", "foo"])
        #expect(TextWrapper.wrap("hello world", width: 5) == ["hello", "world"])
        #expect(TextWrapper.wrap("hello     world", width: 7) == ["hello", "world"])
        #expect(TextWrapper.wrap("  indented text", width: 10) == ["  indented", "text"])
    }

    @Test func breaksOverlongWordsBetweenClusters() {
        #expect(TextWrapper.wrap("aaa bbbbbbbbbbbbbbbb", width: 10) == ["aaa bbbbbb", "bbbbbbbbbb"])
        #expect(TextWrapper.wrap("abcdefgh", width: 3) == ["abc", "def", "gh"])
    }

    @Test func neverSplitsWideCharacters() {
        #expect(TextWrapper.wrap("世界你好世界", width: 5) == ["世界", "你好", "世界"])
        #expect(TextWrapper.wrap("ab世界", width: 3) == ["ab", "世", "界"])
        #expect(TextWrapper.wrap("👍🏽👍🏽👍🏽", width: 3) == ["👍🏽", "👍🏽", "👍🏽"])
        #expect(TextWrapper.wrap("x👨‍👩‍👧y", width: 2) == ["x", "👨‍👩‍👧", "y"])
        #expect(TextWrapper.wrap("日本語 のテキスト", width: 8) == ["日本語", "のテキス", "ト"])
    }

    @Test func keepsNewlinesAndEmptyLines() {
        #expect(TextWrapper.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(TextWrapper.wrap("a\r\nb", width: 5) == ["a", "b"])
        #expect(TextWrapper.wrap("", width: 5) == [""])
    }

    @Test func expandsTabsToTabStops() {
        #expect(TextWrapper.wrap("a\tb", width: 20) == ["a   b"])
        #expect(TextWrapper.wrap("\tx", width: 20) == ["    x"])
        #expect(TextWrapper.wrap("abcd\te", width: 20, tabWidth: 8) == ["abcd    e"])
    }

    @Test func hangingIndentForContinuationLines() {
        let line = RoleLine([Span("•", .listMarker), Span(" one two three four", .body)], hangingIndent: 2)
        let rows = TextWrapper.wrap(line, width: 10)
        #expect(rows.map(\.plainText) == ["• one two", "  three", "  four"])
        #expect(rows.allSatisfy { $0.hangingIndent == 0 })
    }

    @Test func hardModeBreaksAtWidthKeepingSpaces() {
        let line = StyledLine([Span("let x = 1234567890", .plain)], wrapMode: .hard, fill: .plain)
        let rows = TextWrapper.wrap(line, width: 8)
        #expect(rows.map(\.plainText) == ["let x = ", "12345678", "90"])
        #expect(rows.allSatisfy { $0.fill == .plain && $0.wrapMode == .hard })
    }

    @Test func keepsSpanAttributesAcrossBreaks() {
        let line = TextLine<Int>([Span("hello ", 1), Span("big world", 2)])
        let rows = TextWrapper.wrap(line, width: 8)
        #expect(rows.map(\.spans) == [[Span("hello", 1)], [Span("big", 2)], [Span("world", 2)]])
        let merged = TextWrapper.wrap(TextLine<Int>([Span("ab", 1), Span("cd", 1)]), width: 8)
        #expect(merged[0].spans == [Span("abcd", 1)])
    }

    @Test func zeroWidthReturnsLineUnwrapped() {
        #expect(TextWrapper.wrap("abc def", width: 0) == ["abc def"])
    }

    /// Random mixed-script text: no row exceeds the width, and no cluster is lost or split.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 21])
    func randomTextRespectsWidth(width: Int) {
        var rng = SeededRandom(seed: UInt64(width))
        let alphabet: [String] = ["a", "b", "é", "中", "文", "👍🏽", "🇯🇵", " ", " ", "longword", "❤️", "x"]
        for _ in 0..<100 {
            let count = Int.random(in: 0..<30, using: &rng)
            let text = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }.joined()
            for mode in [WrapMode.word, .hard] {
                let rows = TextWrapper.wrap(TextLine<Int>([Span(text, 0)], wrapMode: mode), width: width)
                for row in rows {
                    let ok = row.width <= width || (row.plainText.count == 1 && width < 2)
                    #expect(ok, "row '\(row.plainText)' wider than \(width) in '\(text)'")
                }
                let joined = rows.map(\.plainText).joined()
                if mode == .hard {
                    #expect(joined == text)
                } else {
                    #expect(joined.filter { $0 != " " } == text.filter { $0 != " " })
                }
            }
        }
    }
}
