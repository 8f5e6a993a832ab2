import Foundation

/// Python printf-style formatting: `"%s and %d" % (a, b)`, `"%(name)s" % dict`, the `format` filter.
///
/// This file parses each `%` field and picks its argument; what each conversion code does is a
/// table (`conversions`, in `PercentFormat+Conversions.swift`), as `Filters.table` is for filters.
enum PercentFormat {
    /// With `escape` (a `Markup` format string) `%s`/`%r` arguments are HTML-escaped unless already `Markup`.
    static func format(_ template: String, _ argument: Value, interpreter: Interpreter, escape: Bool = false) throws
        -> String
    {
        var positional: [Value]
        var mapping: OrderedObject?
        /// CPython treats any subscriptable non-tuple argument (dicts, lists) as a mapping: unused
        /// arguments are then not an error.
        var mappingLike = false
        switch argument {
        case .tuple(let items): positional = items
        case .object(let object):
            positional = [argument]
            mapping = object
            mappingLike = true
        case .array, .undefined:
            positional = [argument]
            mappingLike = true
        default: positional = [argument]
        }
        try interpreter.touch(template)
        let s = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        /// Bytes of formatted fields so far: each field can be a megabyte wide, so the result is
        /// sized as it grows rather than once it is built.
        var fieldBytes = 0
        var next = 0
        var i = 0
        func typeError(_ message: String) -> JinjaError { .type(message: message) }
        while i < s.count {
            guard s[i] == "%" else {
                out.append(s[i])
                i += 1
                continue
            }
            i += 1
            guard i < s.count else {
                throw JinjaError.evaluation(exception: "ValueError", message: "incomplete format")
            }
            var key: String?
            if s[i] == "(" {
                var depth = 1
                var j = i + 1
                var name = ""
                while j < s.count {
                    if s[j] == "(" { depth += 1 }
                    if s[j] == ")" {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    name.unicodeScalars.append(s[j])
                    j += 1
                }
                guard j < s.count else {
                    throw JinjaError.evaluation(exception: "ValueError", message: "incomplete format key")
                }
                key = name
                i = j + 1
            }
            var flags = ""
            while i < s.count, "-+ #0".unicodeScalars.contains(s[i]) {
                flags.unicodeScalars.append(s[i])
                i += 1
            }
            var width = ""
            while i < s.count, PyChar.isDigit(s[i]) {
                width.unicodeScalars.append(s[i])
                i += 1
            }
            var precision: Int?
            if i < s.count && s[i] == "." {
                i += 1
                var digits = ""
                while i < s.count, PyChar.isDigit(s[i]) {
                    digits.unicodeScalars.append(s[i])
                    i += 1
                }
                precision = Int(digits) ?? 0
            }
            guard i < s.count else {
                throw JinjaError.evaluation(exception: "ValueError", message: "incomplete format")
            }
            let code = s[i]
            i += 1
            if code == "%" {
                out.append("%")
                continue
            }
            let value: Value
            if let key {
                guard let mapping else {
                    if case .undefined(let undefined) = argument { throw undefined.error }
                    if case .array = argument { throw typeError("list indices must be integers or slices, not str") }
                    throw typeError("format requires a mapping")
                }
                guard let found = mapping[key] else {
                    throw JinjaError.evaluation(exception: "KeyError", message: PythonRepr.string(key))
                }
                value = found
            } else {
                guard next < positional.count else { throw typeError("not enough arguments for format string") }
                value = positional[next]
                next += 1
            }
            // A field is at least `width` wide: refuse before building it, and let a render stop
            // between fields (each can take milliseconds).
            try interpreter.checkSize(bytes: fieldBytes + (Int(width) ?? 0))
            try interpreter.poll()
            let conversion = conversions[code]
            if case .undefined(let undefined) = value, conversion?.printsUndefined != true { throw undefined.error }
            guard let conversion else {
                throw JinjaError.evaluation(
                    exception: "ValueError", message: "unsupported format character '\(Character(code))'")
            }
            let field = PercentField(code: code, flags: flags, width: width, precision: precision, escape: escape)
            let body = try conversion.body(field, value, interpreter)
            fieldBytes += body.utf8.count
            try interpreter.addWork(body.utf8.count)
            try interpreter.checkSize(bytes: fieldBytes)
            out.append(contentsOf: body.unicodeScalars)
        }
        if !mappingLike && next < positional.count {
            throw typeError("not all arguments converted during string formatting")
        }
        return String(out)
    }
}
