import Testing

@testable import TerminalUI

/// Describes a line as `role:text` pieces, merging neighbours with the same role.
func describe(_ line: RoleLine) -> String {
    var pieces: [(TextRole, String)] = []
    for span in line.spans where !span.text.isEmpty {
        if let last = pieces.last, last.0 == span.attribute {
            pieces[pieces.count - 1].1 += span.text
        } else {
            pieces.append((span.attribute, span.text))
        }
    }
    return pieces.map { "\($0.0):\($0.1)" }.joined(separator: "|")
}

struct MarkdownLiteTests {
    func inline(_ text: String) -> String {
        describe(RoleLine(MarkdownLite.inline(text, base: .body)))
    }

    @Test func emphasisAndCode() {
        #expect(
            inline("This is **bold** and *it* and `code`.")
                == "body:This is |bold:bold|body: and |italic:it|body: and |code:code|body:.")
        #expect(inline("__strong__ and _em_") == "bold:strong|body: and |italic:em")
        #expect(inline("***both***") == "boldItalic:both")
        #expect(inline("**bold *both* bold**") == "bold:bold |boldItalic:both|bold: bold")
        #expect(inline("*a **b***") == "italic:a |boldItalic:b")
    }

    @Test func literalDelimiters() {
        #expect(inline("snake_case_name and 2 * 3 * 4") == "body:snake_case_name and 2 * 3 * 4")
        #expect(inline("**open and `unclosed") == "body:**open and `unclosed")
        #expect(inline("\\*not italic\\*") == "body:*not italic*")
        #expect(inline("``a`b`` and ` x `") == "code:a`b|body: and |code:x")
        #expect(inline("`**not bold**`") == "code:**not bold**")
    }

    @Test func headingsDropMarkers() {
        let lines = MarkdownLite.parse("# Title **x**\n## Sub ##\n#nospace")
        #expect(lines.map(describe) == ["heading:Title x", "heading:Sub", "body:#nospace"])
    }

    @Test func listsHangUnderTheirText() {
        let lines = MarkdownLite.parse("- item *one*\n12. twelve\n  + nested\n-not a list")
        #expect(
            lines.map(describe) == [
                "listMarker:•|body: item |italic:one", "listMarker:12.|body: twelve",
                "body:  |listMarker:•|body: nested", "body:-not a list"
            ])
        #expect(lines.map(\.hangingIndent) == [2, 4, 4, 0])
    }

    /// Issue #17: fences show their language label (or `code`), never the raw backticks.
    @Test func fencedCodeBlocks() {
        let text = "Before\n```swift\nlet a = **1**\n    indented\n```\nAfter"
        let lines = MarkdownLite.parse(text)
        #expect(
            lines.map(describe) == [
                "body:Before", "codeFence:swift", "codeBlock:let a = **1**", "codeBlock:    indented",
                "", "body:After"
            ])
        #expect(lines[2].wrapMode == .hard && lines[2].fill == .codeBlock)
        let hidden = MarkdownLite.parse(text, options: .init(showFences: false))
        #expect(
            hidden.map(describe) == ["body:Before", "codeBlock:let a = **1**", "codeBlock:    indented", "body:After"])
    }

    @Test func unclosedFenceMakesTheRestCode() {
        let lines = MarkdownLite.parse("```\nstreaming *code*\n\nmore")
        #expect(lines.map(describe) == ["codeFence:code", "codeBlock:streaming *code*", "", "codeBlock:more"])
        #expect(lines[2].fill == .codeBlock)
    }

    @Test func fenceInsideListKeepsCodeIndentRelative() {
        let lines = MarkdownLite.parse("- step\n  ```\n  code\n  ```")
        #expect(lines.map(describe) == ["listMarker:•|body: step", "codeFence:code", "codeBlock:code", ""])
    }

    @Test func fenceLabelsTakeTheInfoStringsFirstWord() {
        let lines = MarkdownLite.parse("~~~~python title=x\nprint(1)\n~~~~\n``` {.rust}\nfn\n```")
        #expect(
            lines.map(describe) == ["codeFence:python", "codeBlock:print(1)", "", "codeFence:rust", "codeBlock:fn", ""])
    }

    @Test func quotes() {
        #expect(MarkdownLite.parse("> hi **there**").map(describe) == ["quote:│ hi |bold:there"])
    }

    @Test func renderWrapsWithHangingIndentAndHardCode() {
        let text = "- a list item that wraps\n```\nlet longName = 12345\n```"
        let lines = MarkdownLite.render(text, width: 12)
        #expect(
            lines.map(\.plainText) == [
                "• a list", "  item that", "  wraps", "code", "let longName", " = 12345", ""
            ])
    }
}
