/// A small markdown renderer for chat messages: text in, lines of role-tagged spans out.
///
/// It covers what models actually write: `**bold**`, `*italic*` / `_italic_`, `` `code` ``,
/// fenced code blocks, bullet and numbered lists, `#` headings and `>` quotes. Every source line
/// stays a line (chat text uses single newlines meaningfully), and an unclosed fence makes the
/// rest of the text code, which is what a message still streaming in needs. Styling is left to
/// the theme: output carries `TextRole`s, and `render` also wraps to a width.
public enum MarkdownLite {
    /// Choices that change how markdown turns into lines.
    public struct Options: Hashable, Sendable {
        /// Show the fence lines or hide them. Shown, an opening fence becomes its language label
        /// (`swift`, or `code` without one) and a closing fence an empty line, both `.codeFence`
        /// (themes draw it dim), so the raw backticks never show.
        public var showFences: Bool
        /// What a `-`, `*` or `+` bullet is drawn as.
        public var bullet: String

        public init(showFences: Bool = true, bullet: String = "•") {
            self.showFences = showFences
            self.bullet = bullet
        }
    }

    /// Parses `text` into logical lines (not yet wrapped).
    public static func parse(_ text: String, options: Options = Options()) -> [RoleLine] {
        var result: [RoleLine] = []
        var fence: Fence?
        for line in TextWrapper.splitLines(text) {
            if let open = fence {
                if open.isClosed(by: line) {
                    fence = nil
                    if options.showFences { result.append(TextLine([], wrapMode: .hard, fill: nil)) }
                } else {
                    result.append(codeLine(open.stripIndent(line)))
                }
                continue
            }
            if let opened = Fence(opening: line) {
                fence = opened
                if options.showFences { result.append(fenceLine(line)) }
                continue
            }
            result.append(blockLine(line, options: options))
        }
        return result
    }

    /// Parses and wraps `text` to `width` columns: the lines a transcript view draws.
    public static func render(_ text: String, width: Int, options: Options = Options()) -> [RoleLine] {
        TextWrapper.wrap(parse(text, options: options), width: width)
    }

    private static func codeLine(_ text: String) -> RoleLine {
        TextLine(text.isEmpty ? [] : [Span(text, .codeBlock)], wrapMode: .hard, fill: .codeBlock)
    }

    /// The opening fence as its language label: the info string's first word, or `code`.
    private static func fenceLine(_ text: String) -> RoleLine {
        let info = text.drop(while: { $0 == " " || $0 == "\t" }).drop(while: { $0 == "`" || $0 == "~" })
        // "```swift", "``` python title=x", pandoc's "``` {.rust}": the first word, without its dot.
        let language = info.split(whereSeparator: { " \t{},".contains($0) }).first.map { $0.drop { $0 == "." } }
        return TextLine(language.flatMap { $0.isEmpty ? nil : String($0) } ?? "code", .codeFence)
    }

    /// A heading, list item, quote or paragraph line.
    private static func blockLine(_ line: String, options: Options) -> RoleLine {
        let indentText = line.prefix(while: { $0 == " " || $0 == "\t" })
        let rest = line[indentText.endIndex...]
        let indentWidth = indentText.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
        let indent = String(repeating: " ", count: indentWidth)

        if let heading = headingText(rest) {
            return TextLine(inline(String(heading), base: .heading))
        }
        if let (marker, body) = listItem(rest, bullet: options.bullet) {
            var spans: [Span<TextRole>] = []
            if !indent.isEmpty { spans.append(Span(indent, .body)) }
            spans.append(Span(marker, .listMarker))
            spans.append(Span(" ", .body))
            spans += inline(String(body), base: .body)
            return TextLine(spans, hangingIndent: indentWidth + DisplayWidth.of(marker) + 1)
        }
        if rest.first == ">" {
            var body = rest.dropFirst()
            if body.first == " " { body = body.dropFirst() }
            let spans = [Span(indent + "│ ", TextRole.quote)] + inline(String(body), base: .quote)
            return TextLine(spans, hangingIndent: indentWidth + 2)
        }
        return TextLine(inline(line, base: .body))
    }

    /// The text of an ATX heading (`# Title`), without its markers.
    private static func headingText(_ text: Substring) -> Substring? {
        let hashes = text.prefix(while: { $0 == "#" })
        guard (1...6).contains(hashes.count) else { return nil }
        let after = text[hashes.endIndex...]
        guard after.isEmpty || after.first == " " else { return nil }
        var title = after.drop(while: { $0 == " " })
        while title.last == "#" || title.last == " " { title = title.dropLast() }
        return title
    }

    /// The marker to draw and the item text, for `- item`, `* item`, `+ item`, `1. item`, `1) item`.
    private static func listItem(_ text: Substring, bullet: String) -> (String, Substring)? {
        if let first = text.first, "-*+".contains(first) {
            let after = text.dropFirst()
            guard after.first == " " else { return nil }
            return (bullet, after.drop(while: { $0 == " " }))
        }
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...9).contains(digits.count) else { return nil }
        let after = text[digits.endIndex...]
        guard let delimiter = after.first, delimiter == "." || delimiter == ")" else { return nil }
        let body = after.dropFirst()
        guard body.first == " " else { return nil }
        return (String(digits) + String(delimiter), body.drop(while: { $0 == " " }))
    }
}

/// An open code fence: ``` or ~~~ (three or more), and the indentation it started at.
private struct Fence {
    let marker: Character
    let length: Int
    let indent: Int

    init?(opening line: String) {
        let indentText = line.prefix(while: { $0 == " " })
        let rest = line[indentText.endIndex...]
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let run = rest.prefix(while: { $0 == first })
        guard run.count >= 3 else { return nil }
        if first == "`" && rest[run.endIndex...].contains("`") { return nil } // inline code
        marker = first
        length = run.count
        indent = indentText.count
    }

    func isClosed(by line: String) -> Bool {
        let trimmed = line.drop(while: { $0 == " " })
        let run = trimmed.prefix(while: { $0 == marker })
        return run.count >= length && trimmed[run.endIndex...].allSatisfy { $0 == " " }
    }

    /// Code lines lose the fence's own indentation, so fenced code inside a list is not shifted.
    func stripIndent(_ line: String) -> String {
        var dropped = 0
        var index = line.startIndex
        while dropped < indent && index < line.endIndex && line[index] == " " {
            index = line.index(after: index)
            dropped += 1
        }
        return String(line[index...])
    }
}
