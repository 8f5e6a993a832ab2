import TerminalUI

/// Key names for the texts that name keys (hints, placeholders, notices: "Esc stops it",
/// "F1 help"), read from the bindings in effect, so a key moved in `config.json` is the key the
/// screen names. Each text asks for an action, never for a key.
public struct KeyHints: Sendable {
    /// The effective table (`AppState.bindings`).
    public let table: [KeyBinding]

    public init(table: [KeyBinding]) {
        self.table = table
    }

    /// The key people are told to press for `action`: the first key of its first row in
    /// `context` (or anywhere, when `context` is nil or has no such row), as F1 shows it. A wheel
    /// notch is named only when the action has no key.
    public func key(_ action: Action, in context: BindingContext? = nil) -> String {
        let rows = table.filter { $0.action == action }
        let row = rows.first { $0.context == context } ?? rows.first
        let triggers = row?.triggers ?? []
        let trigger = triggers.first { if case .key = $0 { return true } else { return false } } ?? triggers.first
        return trigger.map(Self.shortName) ?? "(unbound)"
    }

    /// Two actions' keys as one hint: `↑↓` for a pair of arrows, else `Ctrl+P/Ctrl+N`.
    public func pair(_ first: Action, _ second: Action, in context: BindingContext? = nil) -> String {
        let (a, b) = (key(first, in: context), key(second, in: context))
        return Self.arrows.contains(a) && Self.arrows.contains(b) ? a + b : "\(a)/\(b)"
    }

    private static let arrows: Set<String> = ["↑", "↓", "←", "→"]

    /// `displayName`, with plain arrow keys as arrows and plain letters as typed (the way hints
    /// have always written them: `↑↓ select`, `y delete`).
    static func shortName(_ trigger: Trigger) -> String {
        guard case .key(let event) = trigger, event.modifiers.isEmpty else { return KeyBindings.displayName(trigger) }
        switch event.key {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .character(let character) where character != " ": return String(character) // `y`, as typed
        default: return KeyBindings.displayName(trigger)
        }
    }
}

extension AppState {
    /// Key names as the bindings in effect have them, for texts that name keys.
    public var keyHints: KeyHints { KeyHints(table: bindings) }
}

extension BindingContext {
    /// The heading, naming the key that opens the screen as `keys` binds it (F1 shows the
    /// effective bindings; `title` is the built-in table's, for the README).
    public func title(keys: KeyHints) -> String {
        switch self {
        case .systemPrompt: return "System-prompt editor (\(keys.key(.editSystemPrompt, in: .chat)))"
        case .parameters: return "Parameter panel (\(keys.key(.showParameters, in: .chat)))"
        case .browser: return "Transcript browser (\(keys.key(.showTranscripts, in: .chat)))"
        case .tokenInspector: return "Token inspector (\(keys.key(.showTokenInspector, in: .chat)))"
        case .promptInspector: return "Prompt inspector (\(keys.key(.showPromptInspector, in: .chat)))"
        case .copyPicker: return "Copy picker (\(keys.key(.showCopyPicker, in: .chat)))"
        default: return title
        }
    }
}
