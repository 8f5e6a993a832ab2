/// Makes model output safe to print on a terminal.
///
/// A model can write any byte, and a terminal obeys escape sequences: ESC could move the
/// cursor, retitle the window, or (in some terminals) answer back into the shell's input. When
/// stdout is a terminal, `run` shows control characters instead of sending them: C0 controls
/// and DEL as their Unicode control pictures (ESC is `␛`), C1 controls (U+0080–U+009F, which
/// some terminals also obey) as `<U+009B>`. Newline and tab are text and pass through. Piped
/// output is left byte for byte as the model wrote it.
enum ControlEscaping {
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09:
                result.append(scalar)
            case 0x00..<0x20:
                result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F:
                result.append("\u{2421}")
            case 0x80..<0xA0:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result.append(contentsOf: "<U+00\(hex)>".unicodeScalars)
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F..<0xA0).contains(value)
    }
}
