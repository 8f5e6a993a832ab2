import Foundation
import TerminalUI

/// Theme files: `{"name": "...", "styles": {"user.label": {"fg": "#5fafff", "attrs": ["bold"]}}}`.
///
/// A colour is `"default"` (the terminal's own), `"#rrggbb"`, an ANSI name (`"red"`,
/// `"bright-black"`) or a 256-colour palette number. A style that leaves out `fg` or `bg` takes
/// the one from `background`; a slot left out entirely gets a readable colourless style.
/// Unknown slot names, colours or attributes are errors, so a typo is reported, not ignored.
extension Theme {
    /// Parses a theme file's bytes; `file` names it in error messages.
    public static func decode(_ data: Data, file: String) throws(ChatAppError) -> Theme {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw .themeMalformed(file: file, detail: "not valid JSON")
        }
        guard let root = object as? [String: Any] else {
            throw .themeMalformed(file: file, detail: "the top level must be an object")
        }
        guard let name = root["name"] as? String, !name.isEmpty else {
            throw .themeMalformed(file: file, detail: "missing \"name\"")
        }
        guard let specs = root["styles"] as? [String: Any] else {
            throw .themeMalformed(file: file, detail: "missing \"styles\" object")
        }
        var parsed: [ThemeSlot: StyleSpec] = [:]
        for (key, value) in specs {
            guard let slot = ThemeSlot(rawValue: key) else {
                throw .themeMalformed(file: file, detail: "unknown style \"\(key)\"")
            }
            do { parsed[slot] = try StyleSpec(value) } catch {
                throw .themeMalformed(file: file, detail: "\"\(key)\": \(error.message)")
            }
        }
        let backgroundSpec = parsed[.background] ?? StyleSpec()
        let background = Style(
            foreground: backgroundSpec.foreground ?? .default, background: backgroundSpec.background ?? .default,
            attributes: backgroundSpec.attributes ?? [])
        var styles: [ThemeSlot: Style] = [.background: background]
        for (slot, spec) in parsed where slot != .background {
            styles[slot] = Style(
                foreground: spec.foreground ?? background.foreground,
                background: spec.background ?? background.background,
                attributes: spec.attributes ?? [])
        }
        return Theme(name: name, styles: styles)
    }
}

/// One style as written in a theme file, before colours are inherited.
struct StyleSpec {
    struct Problem: Error {
        var message: String
    }

    var foreground: TerminalColor?
    var background: TerminalColor?
    var attributes: TextAttributes?

    init() {}

    init(_ value: Any) throws(Problem) {
        guard let object = value as? [String: Any] else { throw Problem(message: "a style must be an object") }
        for key in object.keys where !["fg", "bg", "attrs"].contains(key) {
            throw Problem(message: "unknown key \"\(key)\" (use fg, bg, attrs)")
        }
        if let fg = object["fg"] { foreground = try Self.color(fg) }
        if let bg = object["bg"] { background = try Self.color(bg) }
        if let attrs = object["attrs"] {
            guard let names = attrs as? [String] else { throw Problem(message: "attrs must be a list of names") }
            var result: TextAttributes = []
            for name in names {
                guard let attribute = Self.attributeNames[name] else {
                    throw Problem(message: "unknown attribute \"\(name)\"")
                }
                result.insert(attribute)
            }
            attributes = result
        }
    }

    static let attributeNames: [String: TextAttributes] = [
        "bold": .bold, "italic": .italic, "underline": .underline, "reverse": .reverse, "dim": .dim
    ]

    static let colorNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
    ]

    static func color(_ value: Any) throws(Problem) -> TerminalColor {
        if let number = value as? Int {
            guard (0...255).contains(number) else { throw Problem(message: "palette colour \(number) is not 0–255") }
            return .palette(UInt8(number))
        }
        guard let text = value as? String else { throw Problem(message: "a colour must be a string or a number") }
        let lower = text.lowercased()
        if lower == "default" { return .default }
        if lower.hasPrefix("#") {
            let digits = lower.dropFirst()
            guard digits.count == 6, let hex = UInt32(digits, radix: 16) else {
                throw Problem(message: "\"\(text)\" is not a #rrggbb colour")
            }
            return .rgb(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
        }
        let bright = lower.hasPrefix("bright-")
        let base = bright ? String(lower.dropFirst("bright-".count)) : lower
        guard let index = colorNames.firstIndex(of: base) else {
            throw Problem(message: "unknown colour \"\(text)\"")
        }
        return .ansi(UInt8(index + (bright ? 8 : 0)))
    }
}
