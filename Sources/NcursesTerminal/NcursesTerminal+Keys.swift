import CNcurses
import TerminalUI

/// ncurses key codes to `KeyEvent`s, including the terminfo extended caps (kUP5 = Ctrl-Up...).
extension NcursesTerminal {
    static func buildKeyMap() -> [Int32: KeyEvent] {
        var map: [Int32: KeyEvent] = [
            KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
            KEY_HOME: .home, KEY_END: .end, KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown,
            KEY_IC: .insert, KEY_DC: .delete, KEY_BACKSPACE: .backspace, KEY_ENTER: .enter,
            KEY_BTAB: .backTab,
            KEY_SR: KeyEvent(.up, modifiers: .shift), KEY_SF: KeyEvent(.down, modifiers: .shift),
            KEY_SLEFT: KeyEvent(.left, modifiers: .shift), KEY_SRIGHT: KeyEvent(.right, modifiers: .shift),
            KEY_SHOME: KeyEvent(.home, modifiers: .shift), KEY_SEND: KeyEvent(.end, modifiers: .shift),
            KEY_SDC: KeyEvent(.delete, modifiers: .shift), KEY_SIC: KeyEvent(.insert, modifiers: .shift),
            KEY_SPREVIOUS: KeyEvent(.pageUp, modifiers: .shift), KEY_SNEXT: KeyEvent(.pageDown, modifiers: .shift)
        ]
        // xterm numbers shifted F-keys 13-24, ctrl 25-36, ctrl+shift 37-48.
        let functionModifiers: [KeyModifiers] = [[], .shift, .control, [.control, .shift]]
        for (group, modifiers) in functionModifiers.enumerated() {
            for number in 1...12 {
                map[parley_key_f(Int32(group * 12 + number))] = KeyEvent(.function(number), modifiers: modifiers)
            }
        }
        // Extended keys get codes above KEY_MAX; keyname() gives their terminfo names.
        for code in (KEY_MAX + 1)..<(KEY_MAX + 1024) {
            guard let name = keyname(code).map({ String(cString: $0) }), let key = extendedKey(named: name) else {
                continue
            }
            map[code] = key
        }
        return map
    }

    private static let extendedBases: [String: Key] = [
        "kUP": .up, "kDN": .down, "kLFT": .left, "kRIT": .right, "kHOM": .home, "kEND": .end,
        "kDC": .delete, "kIC": .insert, "kPRV": .pageUp, "kNXT": .pageDown
    ]

    /// `kUP5` style names: a key plus xterm's modifier number (2 shift ... 8 ctrl+alt+shift).
    static func extendedKey(named name: String) -> KeyEvent? {
        let digits = name.reversed().prefix(while: { $0.isNumber })
        let base = String(name.dropLast(digits.count))
        guard let key = extendedBases[base] else { return nil }
        let number = digits.isEmpty ? 2 : Int(String(digits.reversed())) ?? 2
        guard (2...8).contains(number) else { return nil }
        var modifiers: KeyModifiers = []
        let bits = number - 1
        if bits & 1 != 0 { modifiers.insert(.shift) }
        if bits & 2 != 0 { modifiers.insert(.alt) }
        if bits & 4 != 0 { modifiers.insert(.control) }
        return KeyEvent(key, modifiers: modifiers)
    }
}
