/// String filters: `trim`, `lower`, `upper`, `title`, `capitalize`, `replace`, `string`, `safe`,
/// `escape`, `center`, `indent`, `truncate`, `wordcount`, `format`.
extension Interpreter {
    /// Re-wraps a result as `Markup` when the input was `Markup` (markupsafe methods keep it).
    func keepKind(_ input: Value, _ text: String) throws -> Value {
        try produced(bytes: text.utf8.count)
        if case .markup = input { return .markup(text) }
        return .string(text)
    }

    /// `trim`.
    func trimFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["chars"], function: "do_trim")
        let text = try softString(value)
        let chars = try stringArgument(bound[0], "trim").map { Array($0.unicodeScalars) }
        let scalars = Array((text.stringValue ?? "").unicodeScalars)
        return try keepKind(text, PyString.make(PyString.strip(scalars, chars)))
    }

    /// `lower`, `upper`, `capitalize`.
    func caseFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_\(name)")
        let text = try softString(value)
        let s = text.stringValue ?? ""
        let result = name == "lower" ? s.lowercased() : (name == "upper" ? s.uppercased() : PyString.capitalize(s))
        return try keepKind(text, result)
    }

    /// `title`.
    func titleFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_title")
        let text = try softString(value)
        return try keepKind(text, jinjaTitle(text.stringValue ?? ""))
    }

    /// `replace`.
    func replaceFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["old", "new", "count"], required: 2, function: "do_replace")
        let text = try str(value)
        let s = Array(text.unicodeScalars)
        let old = Array(try str(bound[0] ?? .none).unicodeScalars)
        let new = Array(try str(bound[1] ?? .none).unicodeScalars)
        let count = try intArgument(bound[2], "replace", default: -1)
        if try checkReplacementSize(s, old, new, count: count) == 0 { return .string(text) }
        let result = PyString.make(try PyString.replace(s, old, new, count: count, poll: poll))
        try produced(bytes: result.utf8.count)
        return .string(result)
    }

    /// `string`.
    func toStringFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "soft_str")
        return try softString(value)
    }

    /// `safe`.
    func safeFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_mark_safe")
        return .markup(try str(value))
    }

    /// `e`, `escape`.
    func escapeFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "escape")
        if case .markup = value { return value }
        return .markup(Markup.escapeText(try str(value)))
    }

    /// `forceescape`.
    func forceescapeFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_forceescape")
        return .markup(Markup.escapeText(try str(value)))
    }

    /// `center`.
    func centerFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["width"], function: "do_center")
        let text = try softString(value)
        let width = try intArgument(bound[0], "center", default: 80)
        try produced(bytes: max(0, width))
        return try keepKind(
            text,
            PyString.make(
                pad(
                    Array((text.stringValue ?? "").unicodeScalars),
                    width: width, fill: " ", mode: "center")))
    }

    /// `indent`.
    func indentFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        return try indent(value, arguments)
    }

    /// `truncate`.
    func truncateFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        return try truncate(value, arguments)
    }

    /// `wordcount`.
    func wordcountFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        _ = try arguments.bind([], function: "do_wordcount")
        var count = 0
        var inWord = false
        for c in try str(value).unicodeScalars {
            let isWord = c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
            if isWord && !inWord { count += 1 }
            inWord = isWord
        }
        return .int(count)
    }

    /// `format`.
    func formatFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        if !arguments.positional.isEmpty && !arguments.keywords.isEmpty {
            throw JinjaError.evaluation(
                exception: "FilterArgumentError",
                message: "can't handle positional and keyword arguments at the same time")
        }
        let format = try str(value)
        let argument: Value =
            arguments.keywords.isEmpty
            ? .tuple(arguments.positional)
            : .object(OrderedObject(arguments.keywords.map { ($0.name, $0.value) }))
        let result = try PercentFormat.format(format, argument, interpreter: self)
        try produced(bytes: result.utf8.count)
        return .string(result)
    }

    /// jinja2's `title` filter: uppercase the first letter after `-`, whitespace or an opening bracket.
    func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s.unicodeScalars {
            let isSeparator = c == "-" || PyChar.isSpace(c) || "({[<".unicodeScalars.contains(c)
            if isSeparator {
                out.unicodeScalars.append(c)
                atWordStart = true
            } else {
                out += atWordStart ? c.properties.uppercaseMapping : c.properties.lowercaseMapping
                atWordStart = false
            }
        }
        return out
    }

    /// `indent(width=4, first=False, blank=False)`.
    func indent(_ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["width", "first", "blank"], function: "do_indent")
        if case .undefined(let undefined) = value { throw undefined.error }
        guard value.stringValue != nil else {
            // `s += "\n"` on a non-string: lists accept it (then lack `splitlines`), tuples refuse.
            switch value {
            case .array:
                throw JinjaError.evaluation(
                    exception: "AttributeError", message: "'list' object has no attribute 'splitlines'")
            case .tuple:
                throw JinjaError.type(message: "can only concatenate tuple (not \"str\") to tuple")
            default:
                throw JinjaError.type(message: "unsupported operand type(s) for +=: '\(value.typeName)' and 'str'")
            }
        }
        let indentation: String
        if let text = bound[0]?.stringValue {
            indentation = text
        } else {
            let width = try intArgument(bound[0], "indent", default: 4)
            indentation = String(repeating: " ", count: max(0, min(width, limits.maxOutputBytes)))
        }
        let text = try str(value) + "\n"
        let lines = splitLines(Array(text.unicodeScalars), keepEnds: false)
        let (indentBytes, overflow) = lines.count.multipliedReportingOverflow(by: indentation.utf8.count + 1)
        try produced(bytes: overflow ? Int.max : indentBytes + text.utf8.count)
        var result: String
        if bound[2]?.isTruthy ?? false {
            result = lines.joined(separator: "\n" + indentation)
        } else {
            result = lines.first ?? ""
            let rest = lines.dropFirst()
            if !rest.isEmpty {
                result += "\n" + rest.map { $0.isEmpty ? $0 : indentation + $0 }.joined(separator: "\n")
            }
        }
        if bound[1]?.isTruthy ?? false { result = indentation + result }
        try produced(bytes: result.utf8.count)
        if case .markup = value { return .markup(result) }
        return .string(result)
    }

    /// `truncate(length=255, killwords=False, end='...', leeway=5)`.
    func truncate(_ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["length", "killwords", "end", "leeway"], function: "do_truncate")
        let length = try intArgument(bound[0], "truncate", default: 255)
        let end = try stringArgument(bound[2], "truncate") ?? "..."
        let leeway = try intArgument(bound[3], "truncate", default: 5)
        let endCount = end.unicodeScalars.count
        guard length >= endCount else {
            throw JinjaError.evaluation(
                exception: "AssertionError", message: "expected length >= \(endCount), got \(length)")
        }
        guard leeway >= 0 else {
            throw JinjaError.evaluation(exception: "AssertionError", message: "expected leeway >= 0, got \(leeway)")
        }
        let (limit, overflow) = length.addingReportingOverflow(leeway)
        if try self.length(value) <= (overflow ? Int.max : limit) { return value }
        guard let text = value.stringValue else {
            if bound[1]?.isTruthy ?? false {
                throw JinjaError.type(
                    message: "can only concatenate \(value.typeName) (not \"str\") to \(value.typeName)")
            }
            throw JinjaError.evaluation(
                exception: "AttributeError",
                message: "'\(value.typeName)' object has no attribute 'rsplit'")
        }
        let s = Array(text.unicodeScalars)
        let head = Array(s.prefix(length - endCount))
        if bound[1]?.isTruthy ?? false { return .string(PyString.make(head) + end) }
        let kept = PyString.rsplit(head, [" "], maxSplit: 1).first ?? ""
        return .string(kept + end)
    }
}
