/// Wraps text to a width in terminal columns.
///
/// Widths are display widths (`DisplayWidth`), so CJK and emoji count 2 and a cluster is never
/// split. Word mode breaks at spaces and drops the spaces at a break; a word longer than a line
/// fills the current line and continues on the next, broken between clusters. A wide cluster
/// that does not fit in the last column moves to the next line, leaving that line one short.
/// Tabs become spaces up to the next tab stop; explicit newlines always break.
public enum TextWrapper {
    /// Columns between tab stops.
    public static let defaultTabWidth = 4

    /// Wraps plain text; every newline in `text` starts a new line, empty lines are kept.
    public static func wrap(_ text: String, width: Int, tabWidth: Int = defaultTabWidth) -> [String] {
        let lines = splitLines(text).map { TextLine<Int>($0, 0) }
        return wrap(lines, width: width, tabWidth: tabWidth).map(\.plainText)
    }

    /// Wraps many lines, one after the other.
    public static func wrap<A>(
        _ lines: [TextLine<A>], width: Int, tabWidth: Int = defaultTabWidth
    ) -> [TextLine<A>] {
        lines.flatMap { wrap($0, width: width, tabWidth: tabWidth) }
    }

    /// Wraps one attributed line into display lines no wider than `width`.
    ///
    /// Continuation lines start with `hangingIndent` spaces (in the first span's attribute).
    /// The results have `hangingIndent` 0 and keep the line's `wrapMode` and `fill`.
    public static func wrap<A>(
        _ line: TextLine<A>, width: Int, tabWidth: Int = defaultTabWidth
    ) -> [TextLine<A>] {
        if line.spans.contains(where: { $0.text.contains(where: \.isNewline) }) {
            return splitAtNewlines(line).flatMap { wrap($0, width: width, tabWidth: tabWidth) }
        }
        let glyphs = Glyph.layout(line.spans, tabWidth: max(1, tabWidth))
        guard width > 0 else { return [assemble(line, glyphs, 0..<glyphs.count, indent: 0)] }
        let indent = min(max(0, line.hangingIndent), max(0, width - 2))
        let rows =
            line.wrapMode == .word
            ? wordRows(glyphs, first: width, rest: width - indent)
            : hardRows(glyphs, first: width, rest: width - indent)
        return rows.enumerated().map { index, range in
            assemble(line, glyphs, range, indent: index == 0 ? 0 : indent)
        }
    }

    /// Splits on newlines (`\n`, `\r\n`, `\r`), keeping empty lines.
    static func splitLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    private static func splitAtNewlines<A>(_ line: TextLine<A>) -> [TextLine<A>] {
        var result = [TextLine<A>([], wrapMode: line.wrapMode, hangingIndent: line.hangingIndent, fill: line.fill)]
        for span in line.spans {
            let parts = splitLines(span.text)
            for (index, part) in parts.enumerated() {
                if index > 0 {
                    result.append(
                        TextLine<A>([], wrapMode: line.wrapMode, hangingIndent: line.hangingIndent, fill: line.fill))
                }
                if !part.isEmpty { result[result.count - 1].spans.append(Span(part, span.attribute)) }
            }
        }
        return result
    }

    /// Rebuilds spans for the glyphs in `range`, merging neighbours with equal attributes.
    private static func assemble<A>(
        _ line: TextLine<A>, _ glyphs: [Glyph], _ range: Range<Int>, indent: Int
    ) -> TextLine<A> {
        var spans: [Span<A>] = []
        if indent > 0, let first = line.spans.first {
            spans.append(Span(String(repeating: " ", count: indent), first.attribute))
        }
        for glyph in glyphs[range] {
            let attribute = line.spans[glyph.span].attribute
            if let last = spans.last, last.attribute == attribute {
                spans[spans.count - 1].text.append(glyph.character)
            } else {
                spans.append(Span(String(glyph.character), attribute))
            }
        }
        return TextLine(spans, wrapMode: line.wrapMode, hangingIndent: 0, fill: line.fill)
    }
}

/// One cluster of a line being wrapped, with its width and the span it came from.
struct Glyph {
    let character: Character
    let width: Int
    let span: Int
    var isSpace: Bool { character == " " }

    /// Flattens spans into glyphs, expanding tabs to the next tab stop and dropping controls.
    static func layout<A>(_ spans: [Span<A>], tabWidth: Int) -> [Glyph] {
        var glyphs: [Glyph] = []
        var column = 0
        for (index, span) in spans.enumerated() {
            for character in span.text {
                if character == "\t" {
                    let count = tabWidth - column % tabWidth
                    for _ in 0..<count { glyphs.append(Glyph(character: " ", width: 1, span: index)) }
                    column += count
                    continue
                }
                if let scalar = character.unicodeScalars.first, DisplayWidth.isControl(scalar.value) {
                    continue
                }
                let width = DisplayWidth.of(character)
                glyphs.append(Glyph(character: character, width: width, span: index))
                column += width
            }
        }
        return glyphs
    }
}
