/// Splits template source into tokens exactly like jinja2's regex lexer with
/// `trim_blocks=True, lstrip_blocks=True`.
///
/// Whitespace control is decided here: `{%-`/`-%}` strip all whitespace on that side, `+` keeps it,
/// a block or comment tag alone on its line loses its indentation (lstrip), and a newline directly
/// after `%}` or `#}` is dropped (trim). Comments produce no tokens.
struct Lexer {
    let src: [Unicode.Scalar]
    var pos = 0
    var line = 1
    var tokens: [Token] = []
    /// jinja2's `line_starting`: the previous match ended with a newline (true at the start).
    var lineStarting = true
    /// Open brackets inside the current tag; while any is open, `%}` / `}}` do not end the tag.
    var balance: [Unicode.Scalar] = []

    init(_ source: String) {
        src = Lexer.normalize(source)
    }

    /// jinja2 turns `\r\n` and `\r` into `\n` and drops one trailing newline (`keep_trailing_newline=False`).
    static func normalize(_ source: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(source.unicodeScalars.count)
        var previousWasCR = false
        for c in source.unicodeScalars {
            if c == "\r" {
                out.append("\n")
                previousWasCR = true
                continue
            }
            if c == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.append(c)
        }
        if out.last == "\n" { out.removeLast() }
        return out
    }

    static func tokenize(_ source: String) throws(JinjaError) -> [Token] {
        var lexer = Lexer(source)
        try lexer.run()
        return lexer.tokens
    }

    mutating func run() throws(JinjaError) {
        while pos < src.count {
            guard let (start, kind) = nextTagStart() else {
                emitData(src[pos...], stripped: 0)
                pos = src.count
                break
            }
            let afterTag = start + 2
            let sign: Unicode.Scalar? =
                afterTag < src.count && (src[afterTag] == "-" || src[afterTag] == "+")
                ? src[afterTag] : nil
            let raw = kind == .blockBegin ? rawBeginEnd(at: afterTag + (sign == nil ? 0 : 1)) : nil
            var text = src[pos..<start]
            let originalCount = text.count
            text = strip(text, sign: sign, isVariable: kind == .variableBegin)
            emitData(text, stripped: newlineCount(src[(pos + text.count)..<(pos + originalCount)]))
            pos = afterTag + (sign == nil ? 0 : 1)
            if let raw {
                try lexRaw(contentStart: raw)
            } else if kind == .commentBegin {
                try lexComment()
            } else {
                let isBlock = kind == .blockBegin
                tokens.append(Token(isBlock ? .blockBegin : .variableBegin, "", line: line))
                try lexTag(isBlock: isBlock)
            }
        }
        tokens.append(Token(.eof, "", line: line))
    }

    enum TagKind { case blockBegin, variableBegin, commentBegin }

    /// The earliest `{%`, `{{` or `{#` at or after `pos`.
    func nextTagStart() -> (Int, TagKind)? {
        var i = pos
        while i + 1 < src.count {
            if src[i] == "{" {
                switch src[i + 1] {
                case "%": return (i, .blockBegin)
                case "{": return (i, .variableBegin)
                case "#": return (i, .commentBegin)
                default: break
                }
            }
            i += 1
        }
        return nil
    }

    /// jinja2's `OptionalLStrip`: `-` strips all trailing whitespace of the text before a tag;
    /// otherwise, for block and comment tags not marked `+`, whitespace-only indentation is removed
    /// when the tag starts its line.
    func strip(_ text: ArraySlice<Unicode.Scalar>, sign: Unicode.Scalar?, isVariable: Bool) -> ArraySlice<
        Unicode.Scalar
    > {
        if sign == "-" {
            var end = text.endIndex
            while end > text.startIndex && PyChar.isSpace(text[end - 1]) { end -= 1 }
            return text[text.startIndex..<end]
        }
        guard sign != "+", !isVariable else { return text }
        let lineStart = (text.lastIndex(of: "\n").map { $0 + 1 }) ?? text.startIndex
        guard lineStart > text.startIndex || lineStarting else { return text }
        let tail = text[lineStart...]
        if !tail.isEmpty && tail.allSatisfy(PyChar.isSpace) {
            return text[text.startIndex..<lineStart]
        }
        return text
    }

    mutating func emitData(_ text: ArraySlice<Unicode.Scalar>, stripped: Int) {
        if !text.isEmpty {
            var string = String.UnicodeScalarView()
            string.append(contentsOf: text)
            tokens.append(Token(.data, String(string), line: line))
        }
        line += newlineCount(text) + stripped
    }

    func newlineCount(_ text: ArraySlice<Unicode.Scalar>) -> Int {
        text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// True if `src[i...]` starts with `literal` (ASCII).
    func matches(_ literal: StaticString, at i: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= src.count else { return false }
        let bytes = literal.utf8Start
        for k in 0..<count where src[i + k].value != UInt32(bytes[k]) {
            return false
        }
        return true
    }

    /// Skips Python whitespace from `i`, counting newlines; returns the new index.
    mutating func skipSpace(from i: Int) -> Int {
        var j = i
        while j < src.count && PyChar.isSpace(src[j]) {
            if src[j] == "\n" { line += 1 }
            j += 1
        }
        return j
    }

    /// Lexes `{# ... #}` (the opening already consumed): the earliest `+#}`, `-#}` or `#}` closes it.
    mutating func lexComment() throws(JinjaError) {
        var i = pos
        while i < src.count {
            if matches("+#}", at: i) || matches("-#}", at: i) {
                line += newlineCount(src[pos..<i])
                let stripAfter = src[i] == "-"
                pos = i + 3
                if stripAfter { pos = skipSpace(from: pos) }
                lineStarting = src[pos - 1] == "\n"
                return
            }
            if matches("#}", at: i) {
                line += newlineCount(src[pos..<i])
                pos = i + 2
                if pos < src.count && src[pos] == "\n" {
                    pos += 1
                    line += 1
                }
                lineStarting = src[pos - 1] == "\n"
                return
            }
            i += 1
        }
        throw JinjaError.syntax(message: "Missing end of comment tag", line: line)
    }
}
