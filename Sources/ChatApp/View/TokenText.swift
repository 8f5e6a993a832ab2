import Foundation
import TerminalUI

/// How a token's text is shown on its own: invisible characters made visible, so a token that
/// is a space, a newline or part of a character can still be seen and told apart.
enum TokenText {
    /// `" answer"` shows as `␣answer`, `"\n"` as `↵`, a tab as `⇥`; control bytes as `\xNN`.
    static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ": result += "␣"
            case "\n": result += "↵"
            case "\r": result += "␍"
            case "\t": result += "⇥"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += String(format: "\\x%02X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result.isEmpty ? "∅" : result
    }

    /// A token inside running text: newlines stay line breaks but get a visible `↵` first.
    static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "↵\n").replacingOccurrences(of: "\n", with: "↵\n")
    }

    /// A probability as a percentage with one decimal (`<0.1%` below that).
    static func percent(logprob: Double) -> String {
        let probability = exp(logprob) * 100
        return probability < 0.05 ? "<0.1%" : String(format: "%.1f%%", probability)
    }
}
