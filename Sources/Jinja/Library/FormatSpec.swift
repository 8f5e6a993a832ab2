import Foundation

/// Python's format-spec mini-language (`format(value, "<10.2f")`), used by `str.format`.
struct FormatSpec {
    var fill: Unicode.Scalar = " "
    var align: Unicode.Scalar?
    var sign: Unicode.Scalar = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Unicode.Scalar?
    var precision: Int?
    var type: Unicode.Scalar?

    init(_ text: String) throws {
        var s = Array(text.unicodeScalars)
        func isAlign(_ c: Unicode.Scalar) -> Bool { "<>=^".unicodeScalars.contains(c) }
        if s.count >= 2 && isAlign(s[1]) {
            fill = s[0]
            align = s[1]
            s.removeFirst(2)
        } else if let first = s.first, isAlign(first) {
            align = first
            s.removeFirst()
        }
        if let first = s.first, "+- ".unicodeScalars.contains(first) {
            sign = first
            s.removeFirst()
        }
        if s.first == "#" {
            alternate = true
            s.removeFirst()
        }
        if s.first == "0" {
            zeroPad = true
            s.removeFirst()
        }
        var digits = ""
        while let first = s.first, PyChar.isDigit(first) {
            digits.unicodeScalars.append(first)
            s.removeFirst()
        }
        width = Int(digits) ?? 0
        if let first = s.first, first == "," || first == "_" {
            grouping = first
            s.removeFirst()
        }
        if s.first == "." {
            s.removeFirst()
            var precisionDigits = ""
            while let first = s.first, PyChar.isDigit(first) {
                precisionDigits.unicodeScalars.append(first)
                s.removeFirst()
            }
            guard let value = Int(precisionDigits) else {
                throw JinjaError.evaluation(exception: "ValueError", message: "Format specifier missing precision")
            }
            precision = value
        }
        if let first = s.first {
            type = first
            s.removeFirst()
        }
        guard s.isEmpty else {
            throw JinjaError.evaluation(exception: "ValueError", message: "Invalid format specifier")
        }
        if width > 1_000_000 || (precision ?? 0) > 1_000 {
            throw JinjaError.limit(message: "format width or precision too large")
        }
    }

    /// Formats a number or string; `plain` is Python `str(value)` for the no-type case.
    func apply(_ value: Value, plain: String) throws -> String {
        switch value {
        case .string(let s), .markup(let s):
            guard type == nil || type == "s" else { throw unknownCode(for: "str") }
            var body = Array(s.unicodeScalars)
            if let precision, body.count > precision { body = Array(body.prefix(precision)) }
            return pad(PyString.make(body), defaultAlign: "<", numeric: false)
        case .bool, .int:
            guard let i = value.intValue else { return plain }
            if type == nil, case .bool = value, isEmptySpec { return plain }
            if let type, "eEfFgG%".unicodeScalars.contains(type) { return try formatFloat(Double(i), plain: plain) }
            return try formatInteger(i)
        case .double(let d):
            return try formatFloat(d, plain: plain)
        default:
            guard isEmptySpec else {
                throw JinjaError.type(message: "unsupported format string passed to \(value.typeName).__format__")
            }
            return plain
        }
    }

    var isEmptySpec: Bool {
        align == nil && sign == "-" && !alternate && !zeroPad && width == 0 && grouping == nil && precision == nil
            && type == nil
    }

    private func unknownCode(for typeName: String) -> JinjaError {
        .evaluation(
            exception: "ValueError",
            message: "Unknown format code '\(type.map { String($0) } ?? "")' for object of type '\(typeName)'")
    }

    private func formatInteger(_ i: Int) throws -> String {
        var digits: String
        let magnitude = i.magnitude
        switch type {
        case nil, "d", "n": digits = String(magnitude)
        case "b": digits = (alternate ? "0b" : "") + String(magnitude, radix: 2)
        case "o": digits = (alternate ? "0o" : "") + String(magnitude, radix: 8)
        case "x": digits = (alternate ? "0x" : "") + String(magnitude, radix: 16)
        case "X": digits = (alternate ? "0X" : "") + String(magnitude, radix: 16).uppercased()
        case "c":
            return pad(String(StringLiteral.scalar(UInt32(truncatingIfNeeded: i))), defaultAlign: "<", numeric: false)
        default: throw unknownCode(for: "int")
        }
        if let grouping, type == nil || type == "d" { digits = group(digits, with: grouping) }
        return pad(digits, negative: i < 0)
    }

    private func formatFloat(_ d: Double, plain: String) throws -> String {
        var body: String
        let magnitude = abs(d)
        switch type {
        case nil:
            body = precision.map { String(format: "%.\(max($0, 1))g", magnitude) } ?? PythonRepr.float(magnitude)
        case "f", "F": body = String(format: "%.\(precision ?? 6)f", magnitude)
        case "e", "E": body = String(format: "%.\(precision ?? 6)e", magnitude)
        case "g", "G": body = String(format: "%.\(max(precision ?? 6, 1))g", magnitude)
        case "%": body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
        default: throw unknownCode(for: "float")
        }
        if type == "E" || type == "G" || type == "F" { body = body.uppercased() }
        if let grouping {
            let parts = body.split(separator: ".", maxSplits: 1)
            body = group(String(parts[0]), with: grouping) + (parts.count > 1 ? "." + parts[1] : "")
        }
        return pad(body, negative: d.sign == .minus && !d.isNaN)
    }

    private func group(_ digits: String, with separator: Unicode.Scalar) -> String {
        var out: [Character] = []
        for (index, c) in digits.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(Character(separator)) }
            out.append(c)
        }
        return String(out.reversed())
    }

    private func pad(_ digits: String, negative: Bool) -> String {
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        if zeroPad && align == nil {
            let count = digits.unicodeScalars.count + signText.count
            return signText + String(repeating: "0", count: max(0, width - count)) + digits
        }
        if align == "=" {
            let count = digits.unicodeScalars.count + signText.count
            return signText + String(repeating: String(fill), count: max(0, width - count)) + digits
        }
        return pad(signText + digits, defaultAlign: ">", numeric: true)
    }

    private func pad(_ text: String, defaultAlign: Unicode.Scalar, numeric: Bool) -> String {
        let margin = width - text.unicodeScalars.count
        guard margin > 0 else { return text }
        let fillText = String(zeroPad && align == nil && !numeric ? "0" : fill)
        switch align ?? defaultAlign {
        case "<": return text + String(repeating: fillText, count: margin)
        case "^":
            let left = margin / 2
            return String(repeating: fillText, count: left) + text + String(repeating: fillText, count: margin - left)
        default: return String(repeating: fillText, count: margin) + text
        }
    }
}
