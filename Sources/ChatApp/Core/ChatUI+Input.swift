import Chat
import TerminalUI

/// Resizing, scrolling, pasting and typing: the input that is not a bound action.
extension ChatUI {
    static func resize(_ state: inout AppState, to size: TerminalSize) {
        state.size = size
        state.input.setWidth(max(1, size.width - ScreenLayout.promptWidth))
        state.input.setMaxVisibleRows(ScreenLayout.maxInputRows(size))
        switch state.overlay {
        case .systemPrompt(var editor):
            let area = OverlayGeometry.systemPromptEditor(size)
            editor.setWidth(max(1, area.width))
            editor.setMaxVisibleRows(area.height)
            state.overlay = .systemPrompt(editor)
        case .browser(var browser):
            browser.list.setViewportHeight(OverlayGeometry.browserList(size).height)
            state.overlay = .browser(browser)
        case .copyPicker(var picker):
            picker.list.setViewportHeight(OverlayGeometry.browserList(size).height)
            state.overlay = .copyPicker(picker)
        case .modelPicker(var picker):
            picker.list.setViewportHeight(OverlayGeometry.modelList(size).height)
            state.overlay = .modelPicker(picker)
        case .help(let scroll):
            state.overlay = .help(scroll: clampHelpScroll(scroll, size: size, bindings: state.bindings))
        case .unsaved(var prompt):
            prompt.path?.setWidth(max(1, OverlayGeometry.unsavedPathEditor(size).width))
            state.overlay = .unsaved(prompt)
        default:
            break
        }
    }

    /// The conversation pane's content and height for the state as it is now.
    static func pane(_ state: AppState) -> (content: PaneContent, height: Int) {
        let layout = ScreenLayout(state, size: state.size)
        let content = PaneContent(state, width: layout.paneText.width)
        return (content, layout.paneText.height)
    }

    static func scroll(_ action: Action, trigger: Trigger, _ state: inout AppState) {
        let (content, height) = pane(state)
        let lines = (trigger == .wheelUp || trigger == .wheelDown) ? 3 : 1
        switch action {
        case .pageUp: state.scroll = content.scrolled(state.scroll, by: -max(1, height - 1), height: height)
        case .pageDown: state.scroll = content.scrolled(state.scroll, by: max(1, height - 1), height: height)
        case .scrollUp: state.scroll = content.scrolled(state.scroll, by: -lines, height: height)
        case .scrollDown: state.scroll = content.scrolled(state.scroll, by: lines, height: height)
        case .scrollToTop: state.scroll = content.scrolledToTop(height: height)
        case .scrollToBottom: state.scroll = ConversationScroll()
        default: break
        }
    }

    /// A bracketed paste goes into whatever takes text, as one insertion (a 1 MB paste is one
    /// edit, laid out lazily by the editor).
    static func paste(_ text: String, into state: inout AppState) {
        switch state.overlay {
        case nil:
            state.input.insert(text)
            state.historyIndex = nil
        case .systemPrompt(var editor):
            editor.insert(text)
            state.overlay = .systemPrompt(editor)
        case .parameters(var panel):
            panel.paste(text)
            state.overlay = .parameters(panel)
        case .browser(var browser):
            let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            browser.list.setFilter(browser.list.filter + line)
            state.overlay = .browser(browser)
        case .unsaved(var prompt):
            guard var editor = prompt.path else { return }
            editor.insert(text.split(whereSeparator: \.isNewline).joined())
            prompt.path = editor
            state.overlay = .unsaved(prompt)
        case .copyPicker(var picker):
            picker.list.setFilter(picker.list.filter + text.split(whereSeparator: \.isNewline).joined(separator: " "))
            state.overlay = .copyPicker(picker)
        case .modelPicker(var picker):
            picker.setFilter(picker.list.filter + text.split(whereSeparator: \.isNewline).joined(separator: " "))
            state.overlay = .modelPicker(picker)
        case .help, .confirmDelete, .tokenInspector, .promptInspector:
            break
        }
    }

    /// A key no binding claimed: printable characters are typed; parameter values take editing keys.
    static func typeUnbound(_ key: KeyEvent, into state: inout AppState) {
        switch state.overlay {
        case nil:
            if let character = key.typedCharacter {
                state.input.insert(String(character))
                state.historyIndex = nil
            }
        case .systemPrompt(var editor):
            if let character = key.typedCharacter {
                editor.insert(String(character))
                state.overlay = .systemPrompt(editor)
            }
        case .parameters:
            typeIntoParameters(key, &state)
        case .browser(var browser):
            if let character = key.typedCharacter {
                browser.list.setFilter(browser.list.filter + String(character))
                state.overlay = .browser(browser)
            }
        case .unsaved(var prompt):
            if var editor = prompt.path, let character = key.typedCharacter {
                editor.insert(String(character))
                prompt.path = editor
                state.overlay = .unsaved(prompt)
            }
        case .copyPicker(var picker):
            if let character = key.typedCharacter {
                picker.list.setFilter(picker.list.filter + String(character))
                state.overlay = .copyPicker(picker)
            }
        case .modelPicker(var picker):
            if let character = key.typedCharacter {
                picker.problem = nil
                picker.setFilter(picker.list.filter + String(character))
                state.overlay = .modelPicker(picker)
            }
        case .help, .confirmDelete, .tokenInspector, .promptInspector:
            break
        }
    }
}
