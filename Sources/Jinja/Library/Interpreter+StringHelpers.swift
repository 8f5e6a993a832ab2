/// Less common `str` methods: padding, `splitlines`, and the `is...` predicates.
extension Interpreter {
    /// `str.center` / `ljust` / `rjust` (CPython puts the odd extra space on the left of `center`
    /// when the width is odd).
    func pad(_ s: [Unicode.Scalar], width: Int, fill: Unicode.Scalar, mode: String) -> [Unicode.Scalar] {
        let margin = width - s.count
        guard margin > 0 else { return s }
        let left: Int
        switch mode {
        case "ljust": left = 0
        case "rjust": left = margin
        default: left = margin / 2 + (margin & width & 1)
        }
        return Array(repeating: fill, count: left) + s + Array(repeating: fill, count: margin - left)
    }

    func zfill(_ s: [Unicode.Scalar], width: Int) -> String {
        let margin = width - s.count
        guard margin > 0 else { return PyString.make(s) }
        var body = s
        var sign: [Unicode.Scalar] = []
        if let first = body.first, first == "+" || first == "-" {
            sign = [first]
            body.removeFirst()
        }
        return PyString.make(sign + Array(repeating: "0", count: margin) + body)
    }

    /// `str.splitlines(keepends)`.
    func splitLines(_ s: [Unicode.Scalar], keepEnds: Bool) -> [String] {
        var lines: [String] = []
        var start = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            let isBreak: Bool
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029: isBreak = true
            default: isBreak = false
            }
            if isBreak {
                var end = i + 1
                if c == "\r" && end < s.count && s[end] == "\n" { end += 1 }
                lines.append(PyString.make(s[start..<(keepEnds ? end : i)]))
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < s.count { lines.append(PyString.make(s[start...])) }
        return lines
    }

    /// `isdigit`, `isalpha`, `isspace`, `islower`, ...; unknown methods raise.
    func stringPredicate(_ name: String, _ s: [Unicode.Scalar], _ arguments: CallArguments) throws -> Bool {
        _ = try arguments.bind([], function: "str.\(name)")
        switch name {
        case "isdigit", "isdecimal", "isnumeric":
            return !s.isEmpty && s.allSatisfy {
                name == "isnumeric" ? $0.properties.numericType != nil
                    : ($0.properties.numericType == .decimal || (name == "isdigit" && $0.properties.numericType == .digit))
            }
        case "isalpha": return !s.isEmpty && s.allSatisfy { $0.properties.isAlphabetic }
        case "isalnum":
            return !s.isEmpty && s.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil }
        case "isspace": return !s.isEmpty && s.allSatisfy(PyChar.isSpace)
        case "isascii": return s.allSatisfy { $0.isASCII }
        case "isprintable": return s.allSatisfy(PythonRepr.isPrintable)
        case "isidentifier":
            guard let first = s.first, PyChar.isNameStart(first) else { return false }
            return s.dropFirst().allSatisfy(PyChar.isNameContinue)
        case "islower", "isupper":
            let cased = s.filter(PyString.isCased)
            guard !cased.isEmpty else { return false }
            return cased.allSatisfy { name == "islower" ? $0.properties.isLowercase : $0.properties.isUppercase }
        case "istitle":
            var previousCased = false
            var sawCased = false
            for c in s {
                if c.properties.isUppercase || c.properties.generalCategory == .titlecaseLetter {
                    if previousCased { return false }
                    previousCased = true
                    sawCased = true
                } else if c.properties.isLowercase {
                    if !previousCased { return false }
                    previousCased = true
                    sawCased = true
                } else {
                    previousCased = false
                }
            }
            return sawCased
        default:
            throw JinjaError.type(message: "str.\(name)() is not supported")
        }
    }
}
