import Chat
import TerminalUI

/// The help screen and the system-prompt editor.
extension ChatUI {
    static func performOverlayAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        switch action {
        case .closeHelp:
            state.overlay = nil
        case .helpLineUp, .helpLineDown, .helpPageUp, .helpPageDown, .helpTop, .helpBottom:
            guard case .help(let scroll) = state.overlay else { return [] }
            let page = max(1, OverlayGeometry.helpRows(state.size) - 1)
            let target: Int
            switch action {
            case .helpLineUp: target = scroll - 1
            case .helpLineDown: target = scroll + 1
            case .helpPageUp: target = scroll - page
            case .helpPageDown: target = scroll + page
            case .helpTop: target = 0
            default: target = Int.max / 2
            }
            state.overlay = .help(scroll: clampHelpScroll(target, size: state.size, bindings: state.bindings))
        case .saveSystemPrompt:
            guard case .systemPrompt(let editor) = state.overlay else { return [] }
            state.overlay = nil
            let text = editor.text
            let prompt: String? = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
            guard prompt != state.conversation.systemPrompt else { return [] }
            state.conversation.systemPrompt = prompt
            state.isDirty = true
            note(&state, prompt == nil ? "system prompt cleared" : "system prompt saved: applies from the next answer")
            return saveIfNeeded(&state) + [.countTokens(state.conversation)]
        case .cancelSystemPrompt:
            state.overlay = nil
        default:
            return nil
        }
        return []
    }

    /// The help scroll offset kept inside the help text.
    static func clampHelpScroll(_ scroll: Int, size: TerminalSize, bindings: [KeyBinding]) -> Int {
        let width = OverlayGeometry.content(of: OverlayGeometry.helpModal(size), in: size).width
        let total = HelpScreen.lines(width: width, theme: ThemeDefaults.mono, bindings: bindings).count
        return min(max(0, scroll), max(0, total - OverlayGeometry.helpRows(size)))
    }
}
