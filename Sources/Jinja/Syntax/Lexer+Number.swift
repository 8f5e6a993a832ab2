/// Number literals with jinja2's rules: `1_000`, `0x1F`, `0o17`, `0b101`, `1.5`, `2e3`, `1.5E-3`.
extension Lexer {
    mutating func lexNumber() throws(JinjaError) {
        if let end = floatEnd(at: pos) {
            let text = string(pos..<end).replacingOccurrences(of: "_", with: "")
            tokens.append(Token(.float, text, value: .double(Double(text) ?? .nan), line: line))
            pos = end
            return
        }
        let end = integerEnd(at: pos)
        let text = string(pos..<end).replacingOccurrences(of: "_", with: "").lowercased()
        guard let value = Lexer.integerValue(text) else {
            throw JinjaError.syntax(message: "integer literal \(text) is too large", line: line)
        }
        tokens.append(Token(.integer, text, value: value, line: line))
        pos = end
    }

    /// End of `(\d+_)*\d+` at `i`, or nil if no digit is there.
    func digitsEnd(at i: Int) -> Int? {
        guard i < src.count, PyChar.isDigit(src[i]) else { return nil }
        var j = i
        while j < src.count {
            if PyChar.isDigit(src[j]) {
                j += 1
            } else if src[j] == "_" && j + 1 < src.count && PyChar.isDigit(src[j + 1]) {
                j += 1
            } else {
                break
            }
        }
        return j
    }

    /// End of a float literal at `i` (digits plus a fraction and/or an exponent), if one is there.
    func floatEnd(at i: Int) -> Int? {
        if i > 0 && src[i - 1] == "." { return nil }
        guard let integerEnd = digitsEnd(at: i) else { return nil }
        var j = integerEnd
        var hasFraction = false
        if j < src.count && src[j] == ".", let fractionEnd = digitsEnd(at: j + 1) {
            j = fractionEnd
            hasFraction = true
        }
        if j < src.count && (src[j] == "e" || src[j] == "E") {
            var k = j + 1
            if k < src.count && (src[k] == "+" || src[k] == "-") { k += 1 }
            if let exponentEnd = digitsEnd(at: k) { return exponentEnd }
        }
        return hasFraction ? j : nil
    }

    /// End of an integer literal: `0b..`, `0o..`, `0x..`, `[1-9](_?\d)*` or `0(_?0)*`.
    func integerEnd(at i: Int) -> Int {
        if src[i] == "0" && i + 1 < src.count {
            let marker = src[i + 1]
            let allowed: ((Unicode.Scalar) -> Bool)?
            switch marker {
            case "b", "B": allowed = { $0 == "0" || $0 == "1" }
            case "o", "O": allowed = { $0.value >= 0x30 && $0.value <= 0x37 }
            case "x", "X": allowed = { $0.properties.isASCIIHexDigit }
            default: allowed = nil
            }
            if let allowed {
                var j = i + 2
                var any = false
                while j < src.count {
                    if allowed(src[j]) {
                        j += 1
                        any = true
                    } else if src[j] == "_" && j + 1 < src.count && allowed(src[j + 1]) {
                        j += 1
                    } else {
                        break
                    }
                }
                if any { return j }
            }
        }
        if src[i] == "0" {
            var j = i + 1
            while j < src.count {
                if src[j] == "0" {
                    j += 1
                } else if src[j] == "_" && j + 1 < src.count && src[j + 1] == "0" {
                    j += 1
                } else {
                    break
                }
            }
            return j
        }
        return digitsEnd(at: i) ?? i + 1
    }

    /// Python `int(text, 0)`; decimal integers too large for `Int` keep their digits, other
    /// oversized literals (hex, octal, binary) are nil.
    static func integerValue(_ text: String) -> Value? {
        var radix = 10
        var digits = Substring(text)
        if text.hasPrefix("0b") {
            radix = 2
        } else if text.hasPrefix("0o") {
            radix = 8
        } else if text.hasPrefix("0x") {
            radix = 16
        }
        if radix != 10 { digits = digits.dropFirst(2) }
        if let value = Int(digits, radix: radix) { return .int(value) }
        if radix == 10 { return .bigInt(String(digits)) }
        return nil
    }
}
