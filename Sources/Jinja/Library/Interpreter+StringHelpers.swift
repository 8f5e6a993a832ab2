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
}
