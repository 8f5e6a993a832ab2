import TerminalUI

/// Where the chat screen's parts go: the conversation pane on top, the status bar, then the
/// input editor, which grows with its text up to a third of the screen.
struct ScreenLayout {
    /// Below this the app shows a "terminal too small" notice instead of the chat.
    static let minimumSize = TerminalSize(width: 40, height: 10)
    /// Columns of the "› " prompt before the input text.
    static let promptWidth = 2

    let pane: Rect
    /// The pane's text area: one column of margin on each side.
    let paneText: Rect
    let status: Rect
    let input: Rect
    /// The row above the input naming the attached files; nil when none are.
    let attachments: Rect?

    init(size: TerminalSize, inputRows: Int, attachmentRows: Int = 0) {
        let rows = min(max(1, inputRows), Self.maxInputRows(size))
        let whole = Rect(size: size)
        let (above, bottom) = whole.splitBottom(rows)
        var top = above
        var attachmentArea: Rect?
        if attachmentRows > 0 {
            let split = above.splitBottom(1)
            top = split.rest
            attachmentArea = Rect(
                row: split.bottom.row, col: Self.promptWidth,
                width: max(1, size.width - Self.promptWidth), height: 1)
        }
        attachments = attachmentArea
        let (paneArea, statusArea) = top.splitBottom(1)
        pane = paneArea
        paneText = Rect(row: paneArea.row, col: 1, width: max(1, size.width - 2), height: paneArea.height)
        status = statusArea
        input = Rect(
            row: bottom.row, col: Self.promptWidth, width: max(1, size.width - Self.promptWidth), height: bottom.height)
    }

    /// The layout for `state` drawn at `size`.
    init(_ state: AppState, size: TerminalSize) {
        self.init(size: size, inputRows: state.input.visibleRowCount, attachmentRows: state.attachments.isEmpty ? 0 : 1)
    }

    /// The most rows the input may take at `size`.
    static func maxInputRows(_ size: TerminalSize) -> Int {
        max(1, min(8, (size.height - 2) / 3))
    }

    static func isTooSmall(_ size: TerminalSize) -> Bool {
        size.width < minimumSize.width || size.height < minimumSize.height
    }
}

/// Sizes of the modal screens, shared by `update` (editor widths, list heights) and the view.
enum OverlayGeometry {
    /// Where modals go: everything above the status bar and the input's first row, so the
    /// status bar stays visible (a theme or parameter change shows at once).
    static func area(_ size: TerminalSize) -> Rect {
        Rect(row: 0, col: 0, width: size.width, height: max(2, size.height - 2))
    }

    static func helpModal(_ size: TerminalSize) -> Modal {
        Modal(title: "Key bindings", width: min(size.width - 2, 84), height: size.height - 2)
    }

    static func systemPromptModal(_ size: TerminalSize) -> Modal {
        Modal(title: "System prompt", width: min(size.width - 4, 80), height: min(size.height - 2, 18))
    }

    static func parametersModal(_ size: TerminalSize) -> Modal {
        Modal(title: "Parameters", width: min(size.width - 4, 70), height: min(size.height - 2, 23))
    }

    static func browserModal(_ size: TerminalSize) -> Modal {
        Modal(title: "Saved conversations", width: min(size.width - 2, 110), height: size.height - 2)
    }

    static func confirmModal(_ size: TerminalSize) -> Modal {
        Modal(title: "Delete conversation?", width: min(size.width - 4, 56), height: 7)
    }

    /// The content rectangle inside `modal` on a screen of `size`.
    static func content(of modal: Modal, in size: TerminalSize) -> Rect {
        let outer = modal.frame(in: area(size))
        guard outer.width >= 2 && outer.height >= 2 else {
            return Rect(row: outer.row, col: outer.col, width: 0, height: 0)
        }
        let inner = outer.inset(by: 1)
        return Rect(row: inner.row, col: inner.col + 1, width: inner.width - 2, height: inner.height)
    }

    /// The system-prompt editor's area: the content minus two hint rows.
    static func systemPromptEditor(_ size: TerminalSize) -> Rect {
        let content = content(of: systemPromptModal(size), in: size)
        return Rect(row: content.row, col: content.col, width: content.width, height: max(1, content.height - 2))
    }

    /// The browser list's area: below the filter row, above the hint row.
    static func browserList(_ size: TerminalSize) -> Rect {
        let content = content(of: browserModal(size), in: size)
        return Rect(row: content.row + 2, col: content.col, width: content.width, height: max(1, content.height - 4))
    }

    static func modelModal(_ size: TerminalSize) -> Modal {
        Modal(title: "Models", width: min(size.width - 2, 110), height: size.height - 2)
    }

    /// The model list's area: below the filter row, above the pull line and the hint row.
    static func modelList(_ size: TerminalSize) -> Rect {
        let content = content(of: modelModal(size), in: size)
        return Rect(row: content.row + 2, col: content.col, width: content.width, height: max(1, content.height - 5))
    }

    /// Rows of help text visible at once.
    static func helpRows(_ size: TerminalSize) -> Int {
        max(1, content(of: helpModal(size), in: size).height - 1)
    }
}
