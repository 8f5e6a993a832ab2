import Chat
import TerminalUI

/// Turns one block of the conversation into wrapped pane lines.
///
/// A block is a label line ("You", "Assistant"), its text wrapped by display width (user text
/// as typed, assistant text through MarkdownLite), and a marker line for answers that did not
/// finish normally. The blank line between blocks is added by the layout, not stored here.
enum BlockRenderer {
    static let stoppedMarker = "[stopped]"
    static let lengthMarker = "[max tokens reached]"
    static let contextFullMarker = "[context full]"
    static let connectionLostMarker = "[connection lost]"
    /// An answer that ended its turn before any text (a base model prompted in ChatML often
    /// writes `<|im_end|>` at once): without it the label would stand over nothing.
    static let emptyAnswerMarker = "[empty answer: the model ended its turn at once]"
    static let contextRule = "earlier messages are not in the model's context"

    static func lines(for source: BlockSource, width: Int) -> [PaneLine] {
        let width = max(1, width)
        switch source {
        case .system(let text):
            return [PaneLine("System prompt", .label(.system))] + plain(text, role: .systemText, width: width)
        case .message(let role, let content, let finishReason, let error, let marker, let tokens, let contextRule):
            var lines = contextRule ? [ruleLine(width: width), PaneLine("", .hint)] : []
            lines.append(labelLine(role, marker: marker))
            switch role {
            case .assistant:
                if let tokens, !tokens.isEmpty {
                    lines += probabilities(tokens, width: width)
                } else {
                    lines += markdown(content, width: width)
                }
            case .user: lines += plain(content, role: .userText, width: width)
            case .system: lines += plain(content, role: .systemText, width: width)
            }
            if let marker = Self.marker(finishReason: finishReason, error: error) {
                lines += TextWrapper.wrap(marker, width: width)
            } else if role == .assistant && finishReason == "stop" && content.isEmpty {
                lines += TextWrapper.wrap(PaneLine(emptyAnswerMarker, .markerStopped), width: width)
            }
            return lines
        case .streaming(let text, let waiting, let marker, let tokens):
            var lines = [labelLine(.assistant, marker: marker)]
            if waiting && text.isEmpty {
                lines.append(PaneLine("…", .hint))
            } else if let tokens, !tokens.isEmpty {
                lines += probabilities(tokens, width: width, cursor: true)
            } else {
                lines += markdown(text + "▍", width: width)
            }
            return lines
        case .failure(let message):
            return [PaneLine(label(for: .assistant), .label(.assistant))]
                + TextWrapper.wrap(PaneLine("[error: \(message)]", .markerError), width: width)
        }
    }

    /// A dim rule across the pane with `contextRule` in its middle.
    static func ruleLine(width: Int) -> PaneLine {
        let text = " \(contextRule) "
        let room = width - DisplayWidth.of(text)
        guard room >= 4 else { return PaneLine(DisplayWidth.truncate(contextRule, to: width), .hint) }
        let left = String(repeating: "─", count: room / 2)
        return PaneLine(left + text + String(repeating: "─", count: room - room / 2), .hint)
    }

    /// "Assistant", followed by the alternatives marker when there is one.
    static func labelLine(_ role: Role, marker: String?) -> PaneLine {
        var spans = [Span(label(for: role), PaneRole.label(role))]
        if let marker { spans.append(Span("  " + marker, .alternativeMarker)) }
        return PaneLine(spans)
    }

    /// The answer as its tokens, each styled by its probability band (no markdown: every
    /// character on screen is a token's own).
    /// Tokens that hold only part of a character (an emoji split in two) are joined with the
    /// next ones until the bytes are whole, and take the least likely band among them.
    static func probabilities(_ tokens: [TokenLogprob], width: Int, cursor: Bool = false) -> [PaneLine] {
        var spans: [Span<PaneRole>] = []
        var bytes: [UInt8] = []
        var lowest = 0.0
        for (index, token) in tokens.enumerated() {
            lowest = bytes.isEmpty ? token.logprob : min(lowest, token.logprob)
            bytes += token.bytes
            let whole = String(validating: bytes, as: UTF8.self)
            guard whole != nil || bytes.count >= 16 || index == tokens.count - 1 else { continue }
            spans.append(
                Span(
                    whole ?? String(decoding: bytes, as: UTF8.self),
                    .probability(ProbabilityBand(logprob: lowest))))
            bytes = []
        }
        if cursor { spans.append(Span("▍", .hint)) }
        return TextWrapper.wrap(PaneLine(spans), width: width)
    }

    static func label(for role: Role) -> String {
        switch role {
        case .user: return "You"
        case .assistant: return "Assistant"
        case .system: return "System"
        }
    }

    /// The marker line for an answer that stopped early, if any.
    static func marker(finishReason: String?, error: String?) -> PaneLine? {
        switch finishReason {
        case "cancelled": return PaneLine(stoppedMarker, .markerStopped)
        case "length": return PaneLine(lengthMarker, .markerStopped)
        case ChatUI.contextFullReason: return PaneLine(contextFullMarker, .markerStopped)
        case "error": return PaneLine("[error: \(error ?? "generation failed")]", .markerError)
        case FinishReason.connectionLost.rawValue: return PaneLine(connectionLostMarker, .markerError)
        default: return nil
        }
    }

    private static func plain(_ text: String, role: PaneRole, width: Int) -> [PaneLine] {
        TextWrapper.wrap(PaneLine(text, role), width: width)
    }

    private static func markdown(_ text: String, width: Int) -> [PaneLine] {
        MarkdownLite.render(text, width: width).map { $0.mapAttributes { PaneRole.assistant($0) } }
    }
}
