import Foundation
import TerminalUI

/// Key bindings changed in `config.json`:
///
/// ```json
/// {"keys": {"newConversation": "Ctrl+T", "exportMarkdown": ["Alt+X", "F10"]}}
/// ```
///
/// Each entry names an action (as `parley help-keys --actions` lists them) and the keys that
/// replace its keys everywhere it is bound. An unknown action, an unreadable key name, or a key
/// another action already has on the same screen is reported at start-up and that entry is
/// left out; the rest apply. The result is one table that dispatch, F1 and `parley help-keys`
/// all read, so they cannot disagree.
public struct KeyOverrides: Equatable, Sendable {
    /// Action name to the keys as written.
    public var entries: [(action: String, keys: [String])]

    public init(entries: [(action: String, keys: [String])]) {
        self.entries = entries
    }

    public static func == (lhs: KeyOverrides, rhs: KeyOverrides) -> Bool {
        lhs.entries.map(\.action) == rhs.entries.map(\.action) && lhs.entries.map(\.keys) == rhs.entries.map(\.keys)
    }

    /// The overrides in the config file at `url` (none when it is missing); a file that cannot
    /// be read is a problem too, and then nothing is overridden.
    public static func load(from url: URL, problems: inout [String]) -> KeyOverrides {
        guard FileManager.default.fileExists(atPath: url.path) else { return KeyOverrides(entries: []) }
        guard let data = try? Data(contentsOf: url),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            problems.append("\(url.path): not a JSON object, so no key overrides were read")
            return KeyOverrides(entries: [])
        }
        return parse(object["keys"], problems: &problems)
    }

    /// The `keys` object of `config.json` (absent: no overrides). Values are a key name or a
    /// list of them; anything else is a problem named with its action.
    public static func parse(_ object: Any?, problems: inout [String]) -> KeyOverrides {
        guard let object else { return KeyOverrides(entries: []) }
        guard let dictionary = object as? [String: Any] else {
            problems.append("config.json: \"keys\" must be an object of action names to keys")
            return KeyOverrides(entries: [])
        }
        var entries: [(action: String, keys: [String])] = []
        for name in dictionary.keys.sorted() {
            switch dictionary[name] {
            case let key as String: entries.append((name, [key]))
            case let keys as [String] where !keys.isEmpty: entries.append((name, keys))
            default: problems.append("config.json: keys.\(name) must be a key name or a list of them, like \"Ctrl+T\"")
            }
        }
        return KeyOverrides(entries: entries)
    }

    /// `table` with the overrides applied, and a message for each entry that could not be.
    public func apply(to table: [KeyBinding]) -> (table: [KeyBinding], problems: [String]) {
        var result = table
        var problems: [String] = []
        for (name, keyNames) in entries {
            guard let action = Action(rawValue: name), result.contains(where: { $0.action == action }) else {
                problems.append("config.json: keys.\(name): no such action (parley help-keys --actions lists them)")
                continue
            }
            var triggers: [Trigger] = []
            var unreadable: [String] = []
            for keyName in keyNames {
                if let trigger = Self.trigger(named: keyName) {
                    triggers.append(trigger)
                } else {
                    unreadable.append(keyName)
                }
            }
            guard unreadable.isEmpty else {
                problems.append(
                    "config.json: keys.\(name): cannot read \(unreadable.map { "\"\($0)\"" }.joined(separator: ", ")) "
                        + "(write keys like Ctrl+T, Alt+X, F10, Shift+Up, Enter, Esc)")
                continue
            }
            let rows = result.indices.filter { result[$0].action == action }
            let typing: Set<BindingContext> = [.chat, .editing, .systemPrompt, .savePath]
            if rows.contains(where: { typing.contains(result[$0].context) }),
                let bare = triggers.first(where: {
                    if case .key(let key) = $0 { return key.typedCharacter != nil } else { return false }
                })
            {
                problems.append(
                    "config.json: keys.\(name): \(KeyBindings.displayName(bare)) alone would stop you typing it; "
                        + "add Ctrl+ or Alt+")
                continue
            }
            // Keys the action has already (shadowed on purpose in the built-in table) are no conflict.
            let current = Set(rows.flatMap { result[$0].triggers })
            if let conflict = Self.conflict(for: triggers.filter { !current.contains($0) }, rows: rows, in: result) {
                problems.append(
                    "config.json: keys.\(name): \(KeyBindings.displayName(conflict.trigger)) is already "
                        + "\(conflict.other.rawValue) (\(conflict.context.title)); keys.\(name) not applied")
                continue
            }
            for row in rows { result[row].triggers = triggers }
        }
        return (result, problems)
    }

    /// A trigger that some other action already has on a screen where one of `rows` is consulted.
    static func conflict(for triggers: [Trigger], rows: [Int], in table: [KeyBinding])
        -> (trigger: Trigger, other: Action, context: BindingContext)?
    {
        for row in rows {
            let screens = BindingContext.consultedTogether(with: table[row].context)
            for trigger in triggers {
                if let other = table.enumerated().first(where: { index, binding in
                    !rows.contains(index) && screens.contains(binding.context) && binding.triggers.contains(trigger)
                        && binding.action != table[row].action
                }) {
                    return (trigger, other.element.action, other.element.context)
                }
            }
        }
        return nil
    }

    /// The trigger a person wrote: modifiers `Ctrl+`, `Alt+`, `Shift+` (any case, any order)
    /// before a key: a character, `F1`–`F12`, or a name `help-keys` shows (`Enter`, `Esc`,
    /// `PgUp`, `Space`, ...).
    public static func trigger(named text: String) -> Trigger? {
        var parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if text.hasSuffix("++") || text == "+" { // the plus key itself
            parts = Array(parts.dropLast(2)) + ["+"]
        }
        guard let keyPart = parts.last, !keyPart.isEmpty else { return nil }
        var modifiers: KeyModifiers = []
        for modifier in parts.dropLast() {
            switch modifier.lowercased() {
            case "ctrl", "control", "c": modifiers.insert(.control)
            case "alt", "meta", "option", "m": modifiers.insert(.alt)
            case "shift", "s": modifiers.insert(.shift)
            default: return nil
            }
        }
        let lower = keyPart.lowercased()
        let named: [String: Key] = [
            "enter": .enter, "return": .enter, "tab": .tab, "backspace": .backspace, "delete": .delete, "del": .delete,
            "insert": .insert, "esc": .escape, "escape": .escape, "up": .up, "down": .down, "left": .left,
            "right": .right, "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
            "pagedown": .pageDown, "space": .character(" ")
        ]
        if modifiers.isEmpty, lower == "wheel up" { return .wheelUp }
        if modifiers.isEmpty, lower == "wheel down" { return .wheelDown }
        if let key = named[lower] { return .key(KeyEvent(key, modifiers: modifiers)) }
        if lower.count >= 2, lower.first == "f", let number = Int(lower.dropFirst()), (1...12).contains(number) {
            return .key(KeyEvent(.function(number), modifiers: modifiers))
        }
        guard keyPart.count == 1, let character = keyPart.first else { return nil }
        let lowered = Character(character.lowercased())
        if modifiers.contains(.control) {
            guard character.isLetter, character.isASCII else { return nil }
            return .key(KeyEvent(.character(lowered), modifiers: modifiers))
        }
        if modifiers.contains(.alt) {
            // Terminals send Alt+Shift+x as ESC X: an uppercase Alt key, without Shift.
            let shifted = modifiers.contains(.shift) ? Character(character.uppercased()) : lowered
            modifiers.remove(.shift)
            return .key(KeyEvent(.character(character.isLetter ? shifted : character), modifiers: modifiers))
        }
        // A bare letter is its key, as help-keys shows it (`Q` closes the help with q).
        return .key(KeyEvent(.character(modifiers.isEmpty ? lowered : character), modifiers: modifiers))
    }
}

extension BindingContext {
    /// The contexts consulted on the same screen as `context` (`ChatUI.contexts(for:)`): a key
    /// bound twice among them is a conflict.
    static func consultedTogether(with context: BindingContext) -> Set<BindingContext> {
        switch context {
        case .global: return Set(allCases)
        case .chat: return [.global, .chat, .editing]
        case .editing: return [.global, .chat, .editing, .systemPrompt, .savePath]
        case .systemPrompt: return [.global, .systemPrompt, .editing]
        case .savePath: return [.global, .savePath, .editing]
        default: return [.global, context]
        }
    }
}
