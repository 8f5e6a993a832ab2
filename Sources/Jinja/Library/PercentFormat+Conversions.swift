import Foundation

/// One `%` field of a printf-style format, parsed: `%-8.3f` is code `f`, flags `-`, width `8`,
/// precision 3.
struct PercentField {
    let code: Unicode.Scalar
    let flags: String
    let width: String
    let precision: Int?
    /// The format string is `Markup`: `%s`/`%r` arguments are HTML-escaped unless already `Markup`.
    let escape: Bool

    /// The flags and width as a `str.format` spec (`-` left-aligns, `0` pads with zeros, ...).
    var spec: String {
        var spec = ""
        if flags.contains("-") { spec += "<" } else if !width.isEmpty { spec += ">" }
        if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
        if flags.contains("#") { spec += "#" }
        if flags.contains("0") && !flags.contains("-") { spec = "0" + spec.replacingOccurrences(of: ">", with: "") }
        return spec + width
    }

    func typeError(_ message: String) -> JinjaError { .type(message: message) }
}

/// What one conversion code does with its value.
struct PercentConversion: Sendable {
    typealias Body = @Sendable (PercentField, Value, Interpreter) throws -> String

    let body: Body
    /// `%s`, `%r` and `%a` print an undefined value; every other code raises its error.
    let printsUndefined: Bool

    init(printsUndefined: Bool = false, _ body: @escaping Body) {
        self.body = body
        self.printsUndefined = printsUndefined
    }
}

extension PercentFormat {
    /// Every conversion code CPython's `%` accepts that Parley runs; each is written once.
    static let conversions: [Unicode.Scalar: PercentConversion] = [
        "s": PercentConversion(printsUndefined: true, text),
        "r": PercentConversion(printsUndefined: true, text),
        "a": PercentConversion(printsUndefined: true, text),
        "d": PercentConversion(decimal),
        "i": PercentConversion(decimal),
        "u": PercentConversion(decimal),
        "x": PercentConversion(radix),
        "X": PercentConversion(radix),
        "o": PercentConversion(radix),
        "e": PercentConversion(real),
        "E": PercentConversion(real),
        "f": PercentConversion(real),
        "F": PercentConversion(real),
        "g": PercentConversion(real),
        "G": PercentConversion(real),
        "c": PercentConversion(character)
    ]

    /// `%s` (`str`), `%r` and `%a` (`repr`), cut to the precision and padded to the width.
    private static func text(_ field: PercentField, _ value: Value, _ interpreter: Interpreter) throws -> String {
        var text = field.code == "s" ? try interpreter.str(value) : try interpreter.repr(value)
        try interpreter.touch(text)
        if field.escape {
            var isMarkup = false
            if case .markup = value { isMarkup = true }
            if field.code != "s" || !isMarkup { text = Markup.escapeText(text) }
        }
        let cut = field.precision.map { String(String.UnicodeScalarView(text.unicodeScalars.prefix($0))) } ?? text
        return try FormatSpec(field.flags.contains("-") ? "<" + field.width : ">" + field.width)
            .apply(.string(cut), plain: cut)
    }

    /// `%d`, `%i`, `%u`: any real number, truncated toward zero.
    private static func decimal(_ field: PercentField, _ value: Value, _ interpreter: Interpreter) throws -> String {
        guard let number = value.doubleValue else {
            throw field.typeError("%\(Character(field.code)) format: a real number is required, not \(value.typeName)")
        }
        let integer = value.intValue ?? Int(exactly: number.rounded(.towardZero)) ?? 0
        return try FormatSpec(field.spec + "d").apply(.int(integer), plain: String(integer))
    }

    /// `%x`, `%X`, `%o`: integers only.
    private static func radix(_ field: PercentField, _ value: Value, _ interpreter: Interpreter) throws -> String {
        guard let integer = value.intValue else {
            throw field.typeError("%\(Character(field.code)) format: an integer is required, not \(value.typeName)")
        }
        return try FormatSpec(field.spec + String(Character(field.code))).apply(.int(integer), plain: String(integer))
    }

    /// `%e`, `%E`, `%f`, `%F`, `%g`, `%G`: precision 6 unless given.
    private static func real(_ field: PercentField, _ value: Value, _ interpreter: Interpreter) throws -> String {
        guard let number = value.doubleValue else {
            throw field.typeError("must be real number, not \(value.typeName)")
        }
        let precision = ".\(field.precision ?? 6)"
        return try FormatSpec(field.spec + precision + String(Character(field.code))).apply(.double(number), plain: "")
    }

    /// `%c`: a one-character string or a code point.
    private static func character(_ field: PercentField, _ value: Value, _ interpreter: Interpreter) throws -> String {
        if let text = value.stringValue, text.unicodeScalars.count == 1 { return text }
        if let integer = value.intValue { return String(StringLiteral.scalar(UInt32(truncatingIfNeeded: integer))) }
        throw field.typeError("%c requires int or char")
    }
}
