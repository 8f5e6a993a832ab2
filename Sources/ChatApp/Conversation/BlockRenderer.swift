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

    static func lines(for source: BlockSource, width: Int) -> [PaneLine] {
        let width = max(1, width)
        switch source {
        case .system(let text):
            return [PaneLine("System prompt", .label(.system))] + plain(text, role: .systemText, width: width)
        case let .message(role, content, finishReason, error):
            var lines = [PaneLine(label(for: role), .label(role))]
            switch role {
            case .assistant: lines += markdown(content, width: width)
            case .user: lines += plain(content, role: .userText, width: width)
            case .system: lines += plain(content, role: .systemText, width: width)
            }
            if let marker = marker(finishReason: finishReason, error: error) {
                lines += TextWrapper.wrap(marker, width: width)
            }
            return lines
        case let .streaming(text, waiting):
            var lines = [PaneLine(label(for: .assistant), .label(.assistant))]
            if waiting && text.isEmpty {
                lines.append(PaneLine("…", .hint))
            } else {
                lines += markdown(text + "▍", width: width)
            }
            return lines
        case .failure(let message):
            return [PaneLine(label(for: .assistant), .label(.assistant))]
                + TextWrapper.wrap(PaneLine("[error: \(message)]", .markerError), width: width)
        }
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
        case "error": return PaneLine("[error: \(error ?? "generation failed")]", .markerError)
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
