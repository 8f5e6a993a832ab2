/// Tables for control codes and the xterm-style key sequences terminals send.
extension InputDecoder {
    /// The key for a C0 control code or DEL, `nil` for anything printable.
    static func controlKey(_ value: UInt32) -> KeyEvent? {
        switch value {
        case 0x0D: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A:
            guard let scalar = Unicode.Scalar(value + 0x60) else { return nil }
            return .ctrl(Character(scalar))
        case 0x1C: return .ctrl("\\")
        case 0x1D: return .ctrl("]")
        case 0x1E: return .ctrl("^")
        case 0x1F: return .ctrl("_")
        default: return nil
        }
    }

    /// Keys sent as ESC O x (application cursor mode, F1-F4).
    static func ss3Key(_ scalar: Unicode.Scalar) -> KeyEvent? {
        switch scalar {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "M": return .enter
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return .function(3)
        case "S": return .function(4)
        default: return nil
        }
    }

    /// Keys sent as ESC [ parameters final, with xterm's `;m` modifier parameter.
    static func csiKey(parameters: String, final: Unicode.Scalar) -> KeyEvent? {
        let fields = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        let modifiers = fields.count >= 2 ? decodeModifiers(fields[1] ?? 1) : []
        let base: KeyEvent?
        switch final {
        case "A": base = .up
        case "B": base = .down
        case "C": base = .right
        case "D": base = .left
        case "H": base = .home
        case "F": base = .end
        case "P": base = .function(1)
        case "Q": base = .function(2)
        case "R": base = .function(3)
        case "S": base = .function(4)
        case "Z": return .backTab
        case "~": base = tildeKey(fields.first.flatMap { $0 } ?? 0)
        default: base = nil
        }
        return base?.with(modifiers)
    }

    /// xterm encodes modifiers as 1 + (shift 1 | alt 2 | ctrl 4). The field is whatever the
    /// input says (Int.min once trapped on `value - 1`), so values below 1 mean no modifier.
    static func decodeModifiers(_ value: Int) -> KeyModifiers {
        let bits = value > 1 ? value - 1 : 0
        var modifiers: KeyModifiers = []
        if bits & 1 != 0 { modifiers.insert(.shift) }
        if bits & 2 != 0 { modifiers.insert(.alt) }
        if bits & 4 != 0 { modifiers.insert(.control) }
        return modifiers
    }

    private static func tildeKey(_ number: Int) -> KeyEvent? {
        switch number {
        case 1, 7: return .home
        case 2: return .insert
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(number - 10)
        case 17...21: return .function(number - 11)
        case 23, 24: return .function(number - 12)
        default: return nil
        }
    }
}
