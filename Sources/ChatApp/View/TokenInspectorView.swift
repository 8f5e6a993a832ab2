import Chat
import Foundation
import TerminalUI

/// The token inspector: the answer with the selected token highlighted, then that token's top
/// alternatives with their probabilities and a bar for each.
enum TokenInspectorView {
    static func modal(_ size: TerminalSize) -> Modal {
        Modal(title: "Token inspector", width: min(size.width - 4, 78), height: size.height - 2)
    }

    static func draw(
        _ inspector: TokenInspector, theme: Theme, keys: KeyHints, size: TerminalSize,
        into grid: inout ScreenGrid
    ) {
        let area = ChatUI.modal(modal(size), theme: theme).draw(into: &grid, screen: OverlayGeometry.area(size))
        guard area.width > 0, area.height >= 4, let token = inspector.selected else { return }
        let text = theme[.modalText]
        let header =
            "Token \(inspector.position + 1) of \(inspector.tokens.count):  \(TokenText.visible(token.token))"
            + "   p \(TokenText.percent(logprob: token.logprob))   logprob \(String(format: "%.4f", token.logprob))"
        grid.write(
            DisplayWidth.truncate(header, to: area.width), row: area.row, col: area.col,
            style: text.adding(.bold), clip: area)

        // The answer around the token, a few rows, the selected token's row in the middle.
        let contextRows = min(6, max(1, (area.height - 4) / 3))
        let spans = inspector.tokens.enumerated().map { Span(TokenText.inline($1.token), $0) }
        let lines = TextWrapper.wrap(TextLine<Int>(spans, wrapMode: .hard), width: area.width)
        let selectedRow = lines.firstIndex { $0.spans.contains { $0.attribute == inspector.position } } ?? 0
        let top = min(max(0, selectedRow - contextRows / 2), max(0, lines.count - contextRows))
        for offset in 0..<contextRows where top + offset < lines.count {
            let line = lines[top + offset].mapAttributes { $0 == inspector.position ? theme[.tokenSelected] : text }
            grid.write(line, row: area.row + 2 + offset, col: area.col, clip: area)
        }

        let tableRow = area.row + 3 + contextRows
        grid.write(
            "Most likely tokens at this step", row: tableRow, col: area.col, style: theme[.modalTitle], clip: area)
        let rows = max(0, area.bottom - 1 - (tableRow + 1))
        if token.topLogprobs.isEmpty {
            grid.write(
                DisplayWidth.truncate(
                    "(not recorded: set top_logprobs in \(keys.key(.showParameters)))", to: area.width),
                row: tableRow + 1, col: area.col, style: theme[.modalHint], clip: area)
        }
        let tokenWidth = min(24, max(8, area.width / 3))
        let barWidth = max(0, area.width - tokenWidth - 4 - 8 - 10)
        for (rank, alternative) in token.topLogprobs.prefix(rows).enumerated() {
            let isChosen = alternative.bytes == token.bytes
            let probability = exp(alternative.logprob)
            let bar = String(repeating: "█", count: Int((probability * Double(barWidth)).rounded()))
            let row = tableRow + 1 + rank
            var col = grid.write(
                isChosen ? " › " : "   ", row: row, col: area.col, style: text.adding(.bold), clip: area)
            col = grid.write(
                DisplayWidth.pad(
                    DisplayWidth.truncate(TokenText.visible(alternative.token), to: tokenWidth),
                    to: tokenWidth + 1),
                row: row, col: col, style: isChosen ? theme[.tokenSelected] : text, clip: area)
            col = grid.write(
                DisplayWidth.pad(TokenText.percent(logprob: alternative.logprob), to: 8), row: row, col: col,
                style: text, clip: area)
            col = grid.write(
                DisplayWidth.pad(bar, to: barWidth + 1), row: row, col: col,
                style: theme[ProbabilityBand(logprob: alternative.logprob).slot], clip: area)
            grid.write(
                String(format: "%.3f", alternative.logprob), row: row, col: col, style: theme[.modalHint], clip: area)
        }
        let hint =
            "\(keys.pair(.tokenPrevious, .tokenNext)) token · \(keys.key(.tokenFirst)) \(keys.key(.tokenLast)) first/last · "
            + "\(keys.key(.closeTokenInspector)) close"
        grid.write(
            DisplayWidth.truncate(hint, to: area.width),
            row: area.bottom - 1, col: area.col, style: theme[.modalHint], clip: area)
    }
}
