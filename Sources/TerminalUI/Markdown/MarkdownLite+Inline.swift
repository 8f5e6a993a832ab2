/// Inline markdown: emphasis, code spans and backslash escapes within one line.
extension MarkdownLite {
    /// Splits one line into role-tagged spans; `base` is the role of unemphasised text.
    static func inline(_ text: String, base: TextRole) -> [Span<TextRole>] {
        var parser = InlineParser(characters: Array(text), base: base)
        parser.parse(parser.characters.indices, emphasis: [])
        return parser.spans
    }
}

/// Emphasis currently applied while parsing nested delimiters.
private struct Emphasis: OptionSet {
    let rawValue: UInt8
    static let bold = Emphasis(rawValue: 1)
    static let italic = Emphasis(rawValue: 2)
}

/// A recursive scanner: each opener searches forward for its closer and parses what is between.
private struct InlineParser {
    let characters: [Character]
    let base: TextRole
    var spans: [Span<TextRole>] = []

    init(characters: [Character], base: TextRole) {
        self.characters = characters
        self.base = base
    }

    mutating func parse(_ range: Range<Int>, emphasis: Emphasis) {
        var buffer = ""
        var index = range.lowerBound
        while index < range.upperBound {
            let character = characters[index]
            if character == "\\", index + 1 < range.upperBound, isEscapable(characters[index + 1]) {
                buffer.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "`" {
                let run = runLength(at: index, limit: range.upperBound)
                if let close = findCodeClose(from: index + run, length: run, limit: range.upperBound) {
                    emit(&buffer, emphasis: emphasis)
                    append(codeText(index + run..<close), role: .code)
                    index = close + run
                } else {
                    buffer += String(characters[index..<(index + run)])
                    index += run
                }
                continue
            }
            if character == "*" || character == "_" {
                let run = runLength(at: index, limit: range.upperBound)
                let take = min(run, 3)
                if canOpen(at: index, run: run, limit: range.upperBound),
                    let close = findClose(character, from: index + run, take: take, limit: range.upperBound)
                {
                    emit(&buffer, emphasis: emphasis)
                    buffer += String(characters[index..<(index + run - take)])
                    let added: Emphasis = take == 3 ? [.bold, .italic] : (take == 2 ? .bold : .italic)
                    parse((index + run)..<close, emphasis: emphasis.union(added))
                    index = close + take
                } else {
                    buffer += String(characters[index..<(index + run)])
                    index += run
                }
                continue
            }
            buffer.append(character)
            index += 1
        }
        emit(&buffer, emphasis: emphasis)
    }

    private mutating func emit(_ buffer: inout String, emphasis: Emphasis) {
        guard !buffer.isEmpty else { return }
        append(buffer, role: role(for: emphasis))
        buffer = ""
    }

    private mutating func append(_ text: String, role: TextRole) {
        if let last = spans.last, last.attribute == role {
            spans[spans.count - 1].text += text
        } else {
            spans.append(Span(text, role))
        }
    }

    private func role(for emphasis: Emphasis) -> TextRole {
        if base == .heading { return .heading }
        switch (emphasis.contains(.bold), emphasis.contains(.italic)) {
        case (true, true): return .boldItalic
        case (true, false): return .bold
        case (false, true): return .italic
        case (false, false): return base
        }
    }

    private func runLength(at index: Int, limit: Int) -> Int {
        var end = index
        while end < limit && characters[end] == characters[index] { end += 1 }
        return end - index
    }

    /// The start of the next backtick run of exactly `length`.
    private func findCodeClose(from start: Int, length: Int, limit: Int) -> Int? {
        var index = start
        while index < limit {
            if characters[index] == "`" {
                let run = runLength(at: index, limit: limit)
                if run == length { return index }
                index += run
            } else {
                index += 1
            }
        }
        return nil
    }

    /// Code span content; one space is stripped from each end when both are present.
    private func codeText(_ range: Range<Int>) -> String {
        var text = String(characters[range])
        if text.count >= 2 && text.first == " " && text.last == " " && text.contains(where: { $0 != " " }) {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }

    /// Where the closing delimiter's last `take` characters start, if any.
    private func findClose(_ marker: Character, from start: Int, take: Int, limit: Int) -> Int? {
        var index = start
        while index < limit {
            if characters[index] == "`" { // emphasis does not close inside code
                let run = runLength(at: index, limit: limit)
                index = (findCodeClose(from: index + run, length: run, limit: limit) ?? index) + run
                continue
            }
            if characters[index] == marker {
                let run = runLength(at: index, limit: limit)
                if run >= take && canClose(at: index, run: run, limit: limit) && index > start {
                    return index + run - take
                }
                index += run
                continue
            }
            index += 1
        }
        return nil
    }

    private func canOpen(at index: Int, run: Int, limit: Int) -> Bool {
        let after = index + run
        guard after < limit, !characters[after].isWhitespace else { return false }
        if characters[index] == "_", index > 0, isWordCharacter(characters[index - 1]) { return false }
        return true
    }

    private func canClose(at index: Int, run: Int, limit: Int) -> Bool {
        guard index > 0, !characters[index - 1].isWhitespace else { return false }
        let after = index + run
        if characters[index] == "_", after < characters.count, isWordCharacter(characters[after]) {
            return false
        }
        return true
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    private func isEscapable(_ character: Character) -> Bool {
        character.isASCII && character.isPunctuation || "`*_#+-.!>|~[](){}\\".contains(character)
    }
}
