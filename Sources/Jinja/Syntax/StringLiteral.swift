/// Decodes the body of a string literal the way jinja2 does:
/// `body.encode("ascii", "backslashreplace").decode("unicode-escape")`.
///
/// Non-ASCII characters first become `\xhh`/`\uhhhh`/`\Uhhhhhhhh` escapes, then every escape is
/// decoded with Python's rules (`\n`, `\t`, octal, `\x`, `\u`, `\U`, line continuation); unknown
/// escapes such as `\d` keep their backslash.
enum StringLiteral {
    struct DecodeError: Error {
        let message: String
    }

    static func decode(_ body: ArraySlice<Unicode.Scalar>) throws(DecodeError) -> String {
        guard body.contains("\\") else {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: body)
            return String(view)
        }
        // Stage 1: backslashreplace of non-ASCII characters.
        var ascii: [UInt8] = []
        ascii.reserveCapacity(body.count)
        for c in body {
            if c.value < 0x80 {
                ascii.append(UInt8(c.value))
            } else {
                ascii.append(contentsOf: Array(PythonRepr.hexEscape(c).utf8))
            }
        }
        // Stage 2: unicode-escape decoding.
        var out = String.UnicodeScalarView()
        var i = 0
        while i < ascii.count {
            let byte = ascii[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(Unicode.Scalar(byte))
                i += 1
                continue
            }
            guard i + 1 < ascii.count else { throw DecodeError(message: "\\ at end of string") }
            let next = ascii[i + 1]
            i += 2
            switch next {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "'"): out.append("'")
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "a"): out.append("\u{07}")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "v"): out.append("\u{0B}")
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(next - UInt8(ascii: "0"))
                var count = 1
                while count < 3 && i < ascii.count && ascii[i] >= UInt8(ascii: "0") && ascii[i] <= UInt8(ascii: "7") {
                    value = value * 8 + UInt32(ascii[i] - UInt8(ascii: "0"))
                    i += 1
                    count += 1
                }
                out.append(scalar(value))
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let width = next == UInt8(ascii: "x") ? 2 : (next == UInt8(ascii: "u") ? 4 : 8)
                guard i + width <= ascii.count,
                    let value = UInt32(String(decoding: ascii[i..<(i + width)], as: UTF8.self), radix: 16),
                    ascii[i..<(i + width)].allSatisfy({ Unicode.Scalar($0).properties.isASCIIHexDigit })
                else {
                    let name = width == 2 ? "\\xXX" : (width == 4 ? "\\uXXXX" : "\\UXXXXXXXX")
                    throw DecodeError(message: "'unicodeescape' codec can't decode: truncated \(name) escape")
                }
                guard value <= 0x10FFFF else {
                    throw DecodeError(message: "'unicodeescape' codec can't decode: illegal Unicode character")
                }
                i += width
                out.append(scalar(value))
            default:
                out.append("\\")
                out.append(Unicode.Scalar(next))
            }
        }
        return String(out)
    }

    /// A code point as a scalar; lone surrogates (legal in Python strings) become U+FFFD.
    static func scalar(_ value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
