/// `{% raw %}...{% endraw %}`: the body is emitted as plain data, untouched by the tag lexer.
extension Lexer {
    /// If a `raw` tag starts at `i` (just after `{%` and its sign), the index where its body begins.
    func rawBeginEnd(at i: Int) -> Int? {
        var j = i
        while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
        guard matches("raw", at: j) else { return nil }
        j += 3
        while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
        if matches("-%}", at: j) {
            j += 3
            while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
            return j
        }
        return matches("%}", at: j) ? j + 2 : nil
    }

    /// Lexes from the raw body start (`contentStart`) through the closing `{% endraw %}`.
    mutating func lexRaw(contentStart: Int) throws(JinjaError) {
        line += newlineCount(src[pos..<contentStart])
        lineStarting = contentStart > 0 && src[contentStart - 1] == "\n"
        var i = contentStart
        while i + 1 < src.count {
            if src[i] == "{" && src[i + 1] == "%", let (sign, end) = endRaw(at: i + 2) {
                var text = src[contentStart..<i]
                let originalCount = text.count
                text = strip(text, sign: sign, isVariable: false)
                emitData(
                    text, stripped: newlineCount(src[(contentStart + text.count)..<(contentStart + originalCount)]))
                line += newlineCount(src[i..<end])
                pos = end
                lineStarting = src[end - 1] == "\n"
                return
            }
            i += 1
        }
        throw JinjaError.syntax(message: "Missing end of raw directive", line: line)
    }

    /// Matches `(-|+|)\s*endraw\s*(+%}|-%}\s*|%}\n?)` at `i`; returns the sign and the end index.
    func endRaw(at i: Int) -> (Unicode.Scalar?, Int)? {
        var j = i
        var sign: Unicode.Scalar?
        if j < src.count && (src[j] == "-" || src[j] == "+") {
            sign = src[j]
            j += 1
        }
        while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
        guard matches("endraw", at: j) else { return nil }
        j += 6
        while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
        if matches("+%}", at: j) { return (sign, j + 3) }
        if matches("-%}", at: j) {
            j += 3
            while j < src.count && PyChar.isSpace(src[j]) { j += 1 }
            return (sign, j)
        }
        guard matches("%}", at: j) else { return nil }
        j += 2
        if j < src.count && src[j] == "\n" { j += 1 }
        return (sign, j)
    }
}
