import Chat
import TerminalUI

/// The prompt inspector: the exact prompt the chat template rendered, drawn token by token in
/// two alternating styles so every boundary shows, with the token count on top.
enum PromptInspectorView {
    static func modal(_ size: TerminalSize) -> Modal {
        Modal(title: "Prompt inspector", width: min(size.width - 2, 110), height: size.height - 2)
    }

    static func content(_ size: TerminalSize) -> Rect {
        OverlayGeometry.content(of: modal(size), in: size)
    }

    /// Rows of prompt text visible at once (the header and the hint take two).
    static func textRows(_ size: TerminalSize) -> Int {
        max(1, content(size).height - 3)
    }

    /// The prompt wrapped to `width`; each span's attribute is its number (-1 for notes).
    static func lines(_ inspector: PromptInspector, width: Int) -> [TextLine<Int>] {
        if let error = inspector.error {
            return TextWrapper.wrap(TextLine<Int>("cannot render the prompt: \(error)", -1), width: width)
        }
        guard let preview = inspector.preview else { return [TextLine<Int>("rendering…", -1)] }
        var spans: [Span<Int>] = []
        var bytes: [UInt8] = []
        // A token that holds part of a character is shown joined with the next ones; spans are
        // numbered in order, so neighbours always differ in style.
        for (index, piece) in preview.pieces.enumerated() {
            bytes += piece
            let whole = String(validating: bytes, as: UTF8.self)
            guard whole != nil || bytes.count >= 16 || index == preview.pieces.count - 1 else { continue }
            spans.append(Span(TokenText.inline(whole ?? String(decoding: bytes, as: UTF8.self)), spans.count))
            bytes = []
        }
        return TextWrapper.wrap(TextLine<Int>(spans, wrapMode: .hard), width: width)
    }

    static func lineCount(_ inspector: PromptInspector, size: TerminalSize) -> Int {
        lines(inspector, width: content(size).width).count
    }

    static func draw(
        _ inspector: PromptInspector, theme: Theme, keys: KeyHints, size: TerminalSize,
        into grid: inout ScreenGrid
    ) {
        let area = ChatUI.modal(modal(size), theme: theme).draw(into: &grid, screen: OverlayGeometry.area(size))
        guard area.width > 0, area.height >= 4 else { return }
        var header = "Prompt of \(inspector.purpose)"
        if let preview = inspector.preview {
            header += ": \(preview.tokens.count) tokens, \(preview.text.count) characters"
            if preview.droppedMessages > 0 { header += " (\(preview.droppedMessages) oldest messages left out to fit)" }
        }
        grid.write(
            DisplayWidth.truncate(header, to: area.width), row: area.row, col: area.col,
            style: theme[.modalText].adding(.bold), clip: area)
        let lines = lines(inspector, width: area.width)
        let rows = textRows(size)
        let top = min(max(0, inspector.scroll), max(0, lines.count - rows))
        for offset in 0..<rows where top + offset < lines.count {
            let line = lines[top + offset].mapAttributes { index -> Style in
                index < 0 ? theme[.modalHint] : theme[index % 2 == 0 ? .tokenEven : .tokenOdd]
            }
            grid.write(line, row: area.row + 2 + offset, col: area.col, clip: area)
        }
        var hint =
            "Token boundaries alternate styles · \(keys.pair(.promptLineUp, .promptLineDown)) "
            + "\(keys.key(.promptPageUp)) \(keys.key(.promptPageDown)) scroll · \(keys.key(.closePromptInspector)) close"
        if lines.count > rows { hint += "  \(top + 1)–\(min(lines.count, top + rows)) of \(lines.count)" }
        grid.write(
            DisplayWidth.truncate(hint, to: area.width), row: area.bottom - 1, col: area.col,
            style: theme[.modalHint], clip: area)
    }
}
