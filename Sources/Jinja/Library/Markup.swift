/// `markupsafe` behaviour: HTML escaping, applied when plain text meets a `Markup` string.
enum Markup {
    /// `markupsafe.escape(s)` for text: `& < > ' "` become entities.
    static func escapeText(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { "&<>'\"".unicodeScalars.contains($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for c in text.unicodeScalars {
            switch c {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\"": out.append(contentsOf: "&#34;".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// Escapes a plain string; `Markup` is already safe and passes through.
    static func escape(_ value: Value) -> String {
        switch value {
        case .markup(let s): return s
        case .string(let s): return escapeText(s)
        default: return ""
        }
    }
}
