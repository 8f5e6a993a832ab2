/// Modifier keys held with a key, as far as the terminal reports them.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let shift = KeyModifiers(rawValue: 1 << 0)
    public static let alt = KeyModifiers(rawValue: 1 << 1)
    public static let control = KeyModifiers(rawValue: 1 << 2)
}

/// A key without modifiers.
public enum Key: Hashable, Sendable {
    /// A printable grapheme cluster; with `.control` it is a lowercase letter or symbol.
    case character(Character)
    case enter, tab, backspace, delete, insert, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1...F12.
    case function(Int)
}

/// One key press: a key plus modifiers.
///
/// A struct rather than one enum case per combination, so key bindings are data (`ctrl+k`,
/// `alt+enter`, `shift+up`) and a switch can still match the common ones by name:
/// `case .ctrl("q"):`, `case .altEnter:`, `case .up:` all work as expression patterns.
public struct KeyEvent: Hashable, Sendable {
    public var key: Key
    public var modifiers: KeyModifiers

    public init(_ key: Key, modifiers: KeyModifiers = []) {
        self.key = key
        self.modifiers = modifiers
    }

    /// A typed character.
    public static func character(_ character: Character) -> KeyEvent { KeyEvent(.character(character)) }
    /// Ctrl plus a letter or symbol; letters are stored lowercase.
    public static func ctrl(_ character: Character) -> KeyEvent {
        KeyEvent(.character(Character(character.lowercased())), modifiers: .control)
    }
    /// Alt (Meta) plus a character, sent by terminals as ESC then the character.
    public static func alt(_ character: Character) -> KeyEvent {
        KeyEvent(.character(character), modifiers: .alt)
    }
    public static func function(_ number: Int) -> KeyEvent { KeyEvent(.function(number)) }

    public static let enter = KeyEvent(.enter)
    public static let altEnter = KeyEvent(.enter, modifiers: .alt)
    public static let tab = KeyEvent(.tab)
    public static let backTab = KeyEvent(.tab, modifiers: .shift)
    public static let backspace = KeyEvent(.backspace)
    public static let delete = KeyEvent(.delete)
    public static let insert = KeyEvent(.insert)
    public static let escape = KeyEvent(.escape)
    public static let up = KeyEvent(.up)
    public static let down = KeyEvent(.down)
    public static let left = KeyEvent(.left)
    public static let right = KeyEvent(.right)
    public static let home = KeyEvent(.home)
    public static let end = KeyEvent(.end)
    public static let pageUp = KeyEvent(.pageUp)
    public static let pageDown = KeyEvent(.pageDown)

    /// The same key with extra modifiers.
    public func with(_ extra: KeyModifiers) -> KeyEvent {
        KeyEvent(key, modifiers: modifiers.union(extra))
    }

    /// The typed character, when this is a plain (or shifted) printable key.
    public var typedCharacter: Character? {
        guard case .character(let character) = key, modifiers.isDisjoint(with: [.control, .alt]) else {
            return nil
        }
        return character
    }
}
