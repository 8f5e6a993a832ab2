import Chat
import TerminalUI

/// Copying any message or code block (Alt+K), not only the last answer (Alt+C).
extension ChatUI {
    static func openCopyPicker(_ state: inout AppState) -> [Effect] {
        guard !state.conversation.messages.isEmpty else {
            note(&state, "nothing to copy yet: the conversation is empty")
            return []
        }
        state.overlay = .copyPicker(
            CopyPicker(
                conversation: state.conversation, viewportHeight: OverlayGeometry.browserList(state.size).height))
        return []
    }

    static func performCopyAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        guard case .copyPicker(var picker) = state.overlay else {
            switch action {
            case .copyUp, .copyDown, .copyChoose, .copyClose, .copyFilterBackspace: return []
            default: return nil
            }
        }
        switch action {
        case .copyUp: picker.list.moveSelection(by: -1)
        case .copyDown: picker.list.moveSelection(by: 1)
        case .copyFilterBackspace:
            if !picker.list.filter.isEmpty { picker.list.setFilter(String(picker.list.filter.dropLast())) }
        case .copyClose:
            state.overlay = nil
            return []
        case .copyChoose:
            guard let text = picker.selectedText, let item = picker.list.selectedItem else { return [.bell] }
            state.overlay = nil
            // Where it went (or that it went nowhere) comes back from the runtime: `.copied`.
            note(&state, "copied \(item.detail) (\(text.count) characters)")
            return [.copyToClipboard(text)]
        default:
            return nil
        }
        state.overlay = .copyPicker(picker)
        return []
    }

    /// The copy reached a clipboard: the note written when it was asked for says how.
    static func copied(how: String, _ state: inout AppState) {
        let asked = state.notice.map(\.text).flatMap { $0.hasPrefix("copied") ? $0 : nil } ?? "copied"
        note(&state, "\(asked) \(how)")
    }
}
