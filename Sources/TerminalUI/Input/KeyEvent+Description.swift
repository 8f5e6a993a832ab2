/// Key names as text (`ctrl+a`, `alt+enter`, `shift+up`, `f5`), for key bindings in config files
/// and for showing keys to the user.
extension KeyEvent: CustomStringConvertible {
    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.control) { parts.append("ctrl") }
        if modifiers.contains(.alt) { parts.append("alt") }
        if modifiers.contains(.shift) { parts.append("shift") }
        parts.append(Self.name(of: key))
        return parts.joined(separator: "+")
    }

    /// Parses the `description` format; `nil` for an unknown key name.
    public init?(parsing text: String) {
        var pieces = text.lowercased().split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        // "ctrl++" names the plus key: two empty pieces at the end.
        if pieces.count >= 2 && pieces[pieces.count - 1].isEmpty && pieces[pieces.count - 2].isEmpty {
            pieces.removeLast(2)
            pieces.append("+")
        }
        guard let last = pieces.popLast(), !last.isEmpty else { return nil }
        var modifiers: KeyModifiers = []
        for piece in pieces {
            switch piece {
            case "ctrl", "control", "c": modifiers.insert(.control)
            case "alt", "meta", "m", "option": modifiers.insert(.alt)
            case "shift", "s": modifiers.insert(.shift)
            default: return nil
            }
        }
        guard let key = Self.key(named: last, original: text) else { return nil }
        self.init(key, modifiers: modifiers)
    }

    private static let names: [(Key, String)] = [
        (.enter, "enter"), (.tab, "tab"), (.backspace, "backspace"), (.delete, "delete"),
        (.insert, "insert"), (.escape, "escape"), (.up, "up"), (.down, "down"), (.left, "left"),
        (.right, "right"), (.home, "home"), (.end, "end"), (.pageUp, "pageup"), (.pageDown, "pagedown"),
        (.character(" "), "space")
    ]

    private static func name(of key: Key) -> String {
        if case .function(let number) = key { return "f\(number)" }
        if let entry = names.first(where: { $0.0 == key }) { return entry.1 }
        if case .character(let character) = key { return String(character) }
        return "?"
    }

    private static func key(named name: String, original: String) -> Key? {
        if let entry = names.first(where: { $0.1 == name }) { return entry.0 }
        if name == "esc" { return .escape }
        if name == "return" { return .enter }
        if name.count > 1, name.first == "f", let number = Int(name.dropFirst()), (1...12).contains(number) {
            return .function(number)
        }
        guard name.count == 1, let character = name.first else { return nil }
        // Keep the case the user wrote for a plain character ("A" is shift+a on most keyboards).
        if let originalLast = original.last, originalLast.lowercased() == String(character) {
            return .character(originalLast)
        }
        return .character(character)
    }
}
