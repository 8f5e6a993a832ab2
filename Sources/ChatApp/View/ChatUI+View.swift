import Chat
import TerminalUI

/// A rendered screen: the grid and where the terminal cursor goes.
public struct Frame: Equatable, Sendable {
    public var grid: ScreenGrid
    public var cursor: GridPosition?
}

/// Drawing: a pure function of the state (the wrap cache only memoises).
extension ChatUI {
    /// The screen for `state` at `size`.
    public static func view(_ state: AppState, size: TerminalSize) -> ScreenGrid {
        render(state, size: size).grid
    }

    /// The screen and the cursor position for `state` at `size`.
    public static func render(_ state: AppState, size: TerminalSize) -> Frame {
        let theme = state.theme
        var grid = ScreenGrid(size: size, style: theme[.background])
        if ScreenLayout.isTooSmall(size) {
            drawTooSmall(into: &grid, size: size, theme: theme, keys: state.keyHints)
            return Frame(grid: grid, cursor: nil)
        }
        let layout = ScreenLayout(state, size: size)
        drawConversation(state, layout: layout, into: &grid)
        StatusBar.draw(state, rect: layout.status, into: &grid)
        if let rect = layout.attachments, let line = attachmentLine(state.attachments, keys: state.keyHints) {
            grid.fill(Rect(row: rect.row, col: 0, width: grid.width, height: 1), style: theme[.input])
            grid.write(DisplayWidth.truncate(line, to: rect.width), row: rect.row, col: rect.col, style: theme[.hint])
        }
        var cursor = drawInput(state, layout: layout, into: &grid)
        if let overlay = state.overlay {
            cursor = drawOverlay(overlay, state: state, size: size, into: &grid)
        }
        return Frame(grid: grid, cursor: cursor)
    }

    private static func drawTooSmall(into grid: inout ScreenGrid, size: TerminalSize, theme: Theme, keys: KeyHints) {
        let lines = [
            "Terminal too small",
            "\(size.width)×\(size.height), need \(ScreenLayout.minimumSize.width)×\(ScreenLayout.minimumSize.height)",
            "\(keys.key(.quit)) quits"
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < size.height {
            let fitted = DisplayWidth.truncate(line, to: size.width)
            let col = max(0, (size.width - DisplayWidth.of(fitted)) / 2)
            grid.write(fitted, row: top + offset, col: col, style: offset == 0 ? theme[.markerError] : theme[.hint])
        }
    }

    private static func drawConversation(_ state: AppState, layout: ScreenLayout, into grid: inout ScreenGrid) {
        let theme = state.theme
        let area = layout.paneText
        let content = PaneContent(state, width: area.width)
        guard content.blockCount > 0 else {
            drawWelcome(into: &grid, area: area, theme: theme, keys: state.keyHints, model: state.model)
            return
        }
        let top = content.top(for: state.scroll, height: area.height)
        for (offset, line) in content.visibleLines(from: top, height: area.height).enumerated() {
            grid.write(line.mapAttributes { $0.style(in: theme) }, row: area.row + offset, col: area.col, clip: area)
        }
        if state.probabilityView { drawProbabilityLegend(into: &grid, area: area, theme: theme) }
        if !state.scroll.followsBottom && top < content.bottomTop(height: area.height) {
            let label = " ↓ more below (\(state.keyHints.key(.scrollToBottom, in: .chat))) "
            let col = max(area.col, area.right - DisplayWidth.of(label))
            grid.write(label, row: area.bottom - 1, col: col, style: theme[.notice], clip: area)
        }
    }

    /// The probability view's legend, at the top right of the pane: each band in its style.
    private static func drawProbabilityLegend(into grid: inout ScreenGrid, area: Rect, theme: Theme) {
        var spans = [Span(" p ", theme[.hint])]
        for band in ProbabilityBand.allCases {
            spans.append(Span(band.label, theme[band.slot]))
            spans.append(Span(" ", theme[.hint]))
        }
        let line = StyledLine(spans)
        grid.write(line, row: area.row, col: max(area.col, area.right - line.width), clip: area)
    }

    private static func drawWelcome(
        into grid: inout ScreenGrid, area: Rect, theme: Theme, keys: KeyHints, model: ModelSummary?
    ) {
        var lines = [
            ("Parley", theme[.assistantLabel]),
            ("Type a message and press \(keys.key(.send, in: .chat)).", theme[.hint]),
            (
                "\(keys.key(.showHelp, in: .chat)) help · \(keys.key(.editSystemPrompt, in: .chat)) system prompt · "
                    + "\(keys.key(.showParameters, in: .chat)) parameters · \(keys.key(.showTranscripts, in: .chat)) saved chats",
                theme[.hint]
            )
        ]
        // Said where the first message is typed, and kept there: a base model's first answers
        // (it repeats the question, or writes on) look broken to someone expecting a chat.
        if let model, model.isBaseModel {
            lines += [
                ("", theme[.hint]),
                (
                    "\(ChatUI.displayModelName(model.fileName)) is a base model: it has no chat template.",
                    theme[.markerStopped]
                ),
                ("It continues text rather than answering; the chat prompts it in ChatML.", theme[.hint]),
                ("To continue a text: parley run --raw, or /v1/completions in parley serve.", theme[.hint])
            ]
        }
        let top = area.row + max(0, (area.height - lines.count) / 2)
        for (offset, (text, style)) in lines.enumerated() where top + offset < area.bottom {
            let fitted = DisplayWidth.truncate(text, to: area.width)
            let col = area.col + max(0, (area.width - DisplayWidth.of(fitted)) / 2)
            grid.write(fitted, row: top + offset, col: col, style: style, clip: area)
        }
    }

    private static func drawInput(_ state: AppState, layout: ScreenLayout, into grid: inout ScreenGrid) -> GridPosition?
    {
        let theme = state.theme
        let rect = layout.input
        grid.fill(Rect(row: rect.row, col: 0, width: grid.width, height: rect.height), style: theme[.input])
        grid.write("›", row: rect.row, col: 0, style: theme[.inputPrompt])
        let placeholder: String
        switch state.activity {
        case .loadingModel: placeholder = "loading the model…"
        case .idle:
            let keys = state.keyHints
            placeholder =
                "Message · \(keys.key(.send, in: .chat)) sends · \(keys.key(.insertNewline, in: .editing)) new line · "
                + "\(keys.key(.showHelp, in: .chat)) help"
        case .thinking, .generating, .stopping: placeholder = "\(state.keyHints.key(.stop, in: .chat)) stops the answer"
        }
        return state.input.render(
            into: &grid, rect: rect, style: theme[.input], placeholder: placeholder,
            placeholderStyle: theme[.inputPlaceholder])
    }
}
