import TerminalUI

/// The F1 help: every binding of the key-binding table, by screen, keys on the left.
enum HelpScreen {
    /// The help as styled lines `width` columns wide; summaries wrap under themselves.
    static func lines(width: Int, theme: Theme, bindings: [KeyBinding] = KeyBindings.table) -> [StyledLine] {
        let keyWidth = min(30, max(12, width / 3))
        let summaryWidth = max(8, width - keyWidth - 2)
        var lines: [StyledLine] = []
        for (index, section) in KeyBindings.sections(of: bindings).enumerated() {
            if index > 0 { lines.append(StyledLine([])) }
            lines.append(StyledLine(section.title, theme[.modalTitle]))
            for row in section.rows {
                let keys = TextWrapper.wrap(row.keys, width: keyWidth)
                let summary = TextWrapper.wrap(row.summary, width: summaryWidth)
                for line in 0..<max(keys.count, summary.count) {
                    let keyText = line < keys.count ? keys[line] : ""
                    let summaryText = line < summary.count ? summary[line] : ""
                    lines.append(
                        StyledLine([
                            Span(DisplayWidth.pad(keyText, to: keyWidth + 2), theme[.modalKey]),
                            Span(summaryText, theme[.modalText])
                        ]))
                }
            }
        }
        lines.append(StyledLine([]))
        let keys = KeyHints(table: bindings)
        lines.append(
            StyledLine("Commands (type them in the chat input; \(keys.key(.complete)) completes)", theme[.modalTitle]))
        for command in SlashCommand.all(keys: keys) {
            let keys = TextWrapper.wrap("/\(command.name) \(command.arguments)", width: keyWidth)
            let summary = TextWrapper.wrap(command.summary, width: summaryWidth)
            for line in 0..<max(keys.count, summary.count) {
                lines.append(
                    StyledLine([
                        Span(DisplayWidth.pad(line < keys.count ? keys[line] : "", to: keyWidth + 2), theme[.modalKey]),
                        Span(line < summary.count ? summary[line] : "", theme[.modalText])
                    ]))
            }
        }
        return lines
    }
}
