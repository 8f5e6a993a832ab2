import TerminalUI

/// The table as people read it: key names, the help screen's lines and the README section.
extension KeyBindings {
    /// A trigger as shown to people: `Ctrl+Q`, `Alt+Enter`, `F5`, `PgUp`, `Wheel up`.
    public static func displayName(_ trigger: Trigger) -> String {
        switch trigger {
        case .wheelUp: return "Wheel up"
        case .wheelDown: return "Wheel down"
        case .key(let event):
            var parts: [String] = []
            if event.modifiers.contains(.control) { parts.append("Ctrl") }
            if event.modifiers.contains(.alt) { parts.append("Alt") }
            if event.modifiers.contains(.shift) { parts.append("Shift") }
            parts.append(keyName(event.key))
            return parts.joined(separator: "+")
        }
    }

    private static func keyName(_ key: Key) -> String {
        switch key {
        case .character(" "): return "Space"
        case .character(let character): return String(character).uppercased()
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .insert: return "Insert"
        case .escape: return "Esc"
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let number): return "F\(number)"
        }
    }

    /// The keys of a binding joined for display, with its condition: `Home (empty input)`.
    public static func keysText(_ binding: KeyBinding) -> String {
        let keys = binding.triggers.map(displayName).joined(separator: ", ")
        let note = binding.condition.note
        return note.isEmpty ? keys : "\(keys) (\(note))"
    }

    /// One section per context: a heading, then `(keys, summary)` rows.
    public static var sections: [(title: String, rows: [(keys: String, summary: String)])] { sections(of: table) }

    /// The sections of `table` (the effective bindings, overrides applied).
    public static func sections(of table: [KeyBinding]) -> [(title: String, rows: [(keys: String, summary: String)])] {
        BindingContext.allCases.map { context in
            (
                context.title(keys: KeyHints(table: table)),
                bindings(in: context, of: table).map { (keysText($0), $0.summary) }
            )
        }
    }

    /// The README's "Key bindings" table, generated; a test keeps the README equal to it.
    public static func markdownTable(_ table: [KeyBinding] = table) -> String {
        var lines = ["| where | keys | what it does |", "|---|---|---|"]
        let hints = KeyHints(table: table)
        for context in BindingContext.allCases {
            let title = context.title(keys: hints)
            for binding in bindings(in: context, of: table) {
                let keys = binding.triggers.map { "`\(displayName($0))`" }.joined(separator: ", ")
                let note = binding.condition.note.isEmpty ? "" : " (\(binding.condition.note))"
                lines.append("| \(title) | \(escape(keys + note)) | \(escape(binding.summary)) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
