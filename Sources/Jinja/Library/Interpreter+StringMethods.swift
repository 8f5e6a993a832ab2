/// Python `str` methods templates call (`strip`, `split`, `startswith`, `format`, ...); the
/// table in `StringMethods.swift` maps each name to one of these.
extension Interpreter {
    func callStringMethod(_ s: String, _ name: String, _ arguments: CallArguments, markup: Bool) throws -> Value {
        guard let method = StringMethods.table[name] else {
            throw JinjaError.type(message: "str.\(name)() is not supported")
        }
        // Every method reads (and converts) the whole string, and its string arguments.
        try touch(s)
        for argument in arguments.positional + arguments.keywords.map({ $0.value }) {
            if let text = argument.stringValue { try touch(text) }
        }
        let call = StringCall(s: s, scalars: Array(s.unicodeScalars), name: name, arguments: arguments, markup: markup)
        switch method {
        case .method(let body): return try body(self)(call)
        case .predicate(let test):
            // CPython's wording for a builtin method without parameters.
            if !arguments.keywords.isEmpty {
                throw JinjaError.type(message: "\(call.function)() takes no keyword arguments")
            }
            if !arguments.positional.isEmpty {
                throw JinjaError.type(
                    message: "\(call.function)() takes no arguments (\(arguments.positional.count) given)")
            }
            return .bool(test(call.scalars))
        case .unsupported: throw JinjaError.type(message: "str.\(name)() is not supported")
        }
    }

    /// A result string, kept as `Markup` when the receiver was (markupsafe methods keep it).
    func text(_ value: String, _ call: StringCall) throws -> Value {
        try produced(bytes: value.utf8.count)
        return call.markup ? .markup(value) : .string(value)
    }

    /// A string argument; markupsafe 3 escapes only inserted text (`replace`'s new text, fill
    /// characters, joined items).
    func argumentText(_ value: Value?, _ call: StringCall, escaping: Bool = false) throws -> String? {
        guard let string = try stringArgument(value, call.function) else { return nil }
        return call.markup && escaping ? Markup.escape(value ?? .none) : string
    }

    /// `str.strip`, `str.lstrip`, `str.rstrip`.
    func strStripMethod(_ call: StringCall) throws -> Value {
        let (scalars, name, arguments, function) = (call.scalars, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["chars"], function: function)
        let chars = try argumentText(bound[0], call).map { Array($0.unicodeScalars) }
        return try text(
            PyString.make(
                PyString.strip(
                    scalars, chars, leading: name != "rstrip", trailing: name != "lstrip")), call)
    }

    /// `str.split`, `str.rsplit`.
    func strSplitMethod(_ call: StringCall) throws -> Value {
        let (scalars, name, arguments, markup, function) = (
            call.scalars, call.name, call.arguments, call.markup, call.function
        )
        let bound = try arguments.bind(["sep", "maxsplit"], function: function)
        let separator = try argumentText(bound[0], call).map { Array($0.unicodeScalars) }
        if separator?.isEmpty == true {
            throw JinjaError.evaluation(exception: "ValueError", message: "empty separator")
        }
        let maxSplit = try intArgument(bound[1], function, default: -1)
        let parts =
            name == "split"
            ? PyString.split(scalars, separator, maxSplit: maxSplit)
            : PyString.rsplit(scalars, separator, maxSplit: maxSplit)
        try produced(elements: parts.count)
        return .array(parts.map { markup ? .markup($0) : .string($0) })
    }

    /// `str.splitlines`.
    func strSplitlinesMethod(_ call: StringCall) throws -> Value {
        let (scalars, arguments, markup, function) = (call.scalars, call.arguments, call.markup, call.function)
        let bound = try arguments.bind(["keepends"], function: function)
        let lines = splitLines(scalars, keepEnds: bound[0]?.isTruthy ?? false)
        try produced(elements: lines.count)
        return .array(
            lines.map {
                markup ? .markup($0) : .string($0)
            })
    }

    /// `str.startswith`, `str.endswith`.
    func strAffixTestMethod(_ call: StringCall) throws -> Value {
        let (s, name, arguments, function) = (call.s, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["prefix", "start", "end"], required: 1, function: function)
        let candidates: [Value] = bound[0]?.sequenceValue ?? [bound[0] ?? .none]
        let slice = try slice(.string(s), start: bound[1] ?? .none, stop: bound[2] ?? .none, step: .none)
        let target = Array((slice.stringValue ?? "").unicodeScalars)
        for candidate in candidates {
            guard let affix = candidate.stringValue else {
                throw JinjaError.type(
                    message: "\(name) first arg must be str or a tuple of str, not \(candidate.typeName)")
            }
            let a = Array(affix.unicodeScalars)
            if name == "startswith" ? target.starts(with: a) : target.reversed().starts(with: a.reversed()) {
                return .bool(true)
            }
        }
        return .bool(false)
    }

    /// `str.upper`.
    func strUpperMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(s.uppercased(), call)
    }

    /// `str.lower`.
    func strLowerMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(s.lowercased(), call)
    }

    /// `str.casefold`.
    func strCasefoldMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(s.lowercased(), call)
    }

    /// `str.title`.
    func strTitleMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(PyString.title(s), call)
    }

    /// `str.capitalize`.
    func strCapitalizeMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(PyString.capitalize(s), call)
    }

    /// `str.swapcase`.
    func strSwapcaseMethod(_ call: StringCall) throws -> Value {
        let s = call.s
        return try text(PyString.swapcase(s), call)
    }

    /// `str.replace`.
    func strReplaceMethod(_ call: StringCall) throws -> Value {
        let (s, scalars, arguments, markup, function) = (
            call.s, call.scalars, call.arguments, call.markup, call.function
        )
        let bound = try arguments.bind(["old", "new", "count"], required: 2, function: function)
        let old = Array((try argumentText(bound[0], call) ?? "").unicodeScalars)
        let new = Array((try argumentText(bound[1], call, escaping: true) ?? "").unicodeScalars)
        let count = try intArgument(bound[2], function, default: -1)
        if try checkReplacementSize(scalars, old, new, count: count) == 0 {
            return markup ? .markup(s) : .string(s) // nothing to replace: no rebuilt copy
        }
        return try text(PyString.make(try PyString.replace(scalars, old, new, count: count, poll: poll)), call)
    }

    /// `str.find`, `str.rfind`, `str.index`, `str.rindex`, `str.count`.
    func strSearchMethod(_ call: StringCall) throws -> Value {
        let (scalars, name, arguments, function) = (call.scalars, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["sub", "start", "end"], required: 1, function: function)
        let needle = Array((try stringArgument(bound[0], function) ?? "").unicodeScalars)
        let start = try sliceBound(bound[1], count: scalars.count) ?? 0
        let end = try sliceBound(bound[2], count: scalars.count) ?? scalars.count
        if name == "count" {
            guard start <= end else { return .int(0) }
            return .int(try PyString.count(Array(scalars[start..<max(start, end)]), needle, poll: poll))
        }
        let found =
            name.hasPrefix("r")
            ? PyString.rfind(scalars, needle, from: start, to: end)
            : try SubstringSearch(needle).first(in: scalars, from: start, to: end, poll: poll)
        if let found { return .int(found) }
        if name.hasSuffix("index") {
            throw JinjaError.evaluation(exception: "ValueError", message: "substring not found")
        }
        return .int(-1)
    }

    /// `str.join`.
    func strJoinMethod(_ call: StringCall) throws -> Value {
        let (s, arguments, markup, function) = (call.s, call.arguments, call.markup, call.function)
        let bound = try arguments.bind(["iterable"], required: 1, function: function)
        var parts: [String] = []
        var total = 0
        for (index, item) in try iterate(bound[0] ?? .none).enumerated() {
            // Sized as it grows, so a huge join fails before building its result.
            let size = (item.stringValue?.utf8.count ?? 1) + s.utf8.count
            total += size
            try addWork(size)
            try checkSize(bytes: total)
            if markup {
                parts.append(item.stringValue != nil ? Markup.escape(item) : Markup.escapeText(try str(item)))
                continue
            }
            guard let part = item.stringValue else {
                throw JinjaError.type(message: "sequence item \(index): expected str instance, \(item.typeName) found")
            }
            parts.append(part)
        }
        return try text(parts.joined(separator: s), call)
    }

    /// `str.format`, `str.format_map`.
    func strFormatMethod(_ call: StringCall) throws -> Value {
        let (s, arguments, markup) = (call.s, call.arguments, call.markup)
        let result = try StrFormat.format(s, arguments: arguments, interpreter: self, escape: markup)
        return try text(result, call)
    }

    /// `str.center`, `str.ljust`, `str.rjust`.
    func strPadMethod(_ call: StringCall) throws -> Value {
        let (scalars, name, arguments, function) = (call.scalars, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["width", "fillchar"], required: 1, function: function)
        let width = try intArgument(bound[0], function, default: 0)
        try produced(bytes: width)
        let fill = try argumentText(bound[1], call, escaping: true) ?? " "
        guard fill.unicodeScalars.count == 1, let fillChar = fill.unicodeScalars.first else {
            throw JinjaError.type(message: "The fill character must be exactly one character long")
        }
        return try text(PyString.make(pad(scalars, width: width, fill: fillChar, mode: name)), call)
    }

    /// `str.zfill`.
    func strZfillMethod(_ call: StringCall) throws -> Value {
        let (scalars, arguments, function) = (call.scalars, call.arguments, call.function)
        let bound = try arguments.bind(["width"], required: 1, function: function)
        let width = try intArgument(bound[0], function, default: 0)
        try produced(bytes: width)
        return try text(zfill(scalars, width: width), call)
    }

    /// `str.removeprefix`, `str.removesuffix`.
    func strRemoveAffixMethod(_ call: StringCall) throws -> Value {
        let (s, scalars, name, arguments, function) = (call.s, call.scalars, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["affix"], required: 1, function: function)
        let affix = Array((try stringArgument(bound[0], function) ?? "").unicodeScalars)
        if name == "removeprefix", !affix.isEmpty, scalars.starts(with: affix) {
            return try text(PyString.make(scalars.dropFirst(affix.count)), call)
        }
        if name == "removesuffix", !affix.isEmpty, scalars.reversed().starts(with: affix.reversed()) {
            return try text(PyString.make(scalars.dropLast(affix.count)), call)
        }
        return try text(s, call)
    }

    /// `str.partition`, `str.rpartition`.
    func strPartitionMethod(_ call: StringCall) throws -> Value {
        let (s, scalars, name, arguments, function) = (call.s, call.scalars, call.name, call.arguments, call.function)
        let bound = try arguments.bind(["sep"], required: 1, function: function)
        let separator = Array((try stringArgument(bound[0], function) ?? "").unicodeScalars)
        if separator.isEmpty { throw JinjaError.evaluation(exception: "ValueError", message: "empty separator") }
        let found = name == "partition" ? PyString.find(scalars, separator) : PyString.rfind(scalars, separator)
        guard let found else {
            return name == "partition"
                ? .tuple([.string(s), .string(""), .string("")])
                : .tuple([.string(""), .string(""), .string(s)])
        }
        return .tuple([
            .string(PyString.make(scalars[..<found])), .string(PyString.make(separator)),
            .string(PyString.make(scalars[(found + separator.count)...]))
        ])
    }

    /// Fails before building a replacement result larger than the output limit; returns how
    /// many replacements there will be.
    func checkReplacementSize(_ s: [Unicode.Scalar], _ old: [Unicode.Scalar], _ new: [Unicode.Scalar], count: Int)
        throws -> Int
    {
        var occurrences = old.isEmpty ? s.count + 1 : try PyString.count(s, old, poll: poll)
        if count >= 0 { occurrences = min(occurrences, count) }
        guard !new.isEmpty, occurrences > 0 else { return occurrences }
        let (extra, overflow) = occurrences.multipliedReportingOverflow(by: new.count)
        try produced(bytes: overflow ? Int.max : s.count + extra)
        return occurrences
    }

    /// Python slice-style bound for `find`/`count` (`None` means absent; negatives count from the end).
    func sliceBound(_ value: Value?, count: Int) throws -> Int? {
        guard let value, value != .none else { return nil }
        guard let i = value.intValue else {
            throw JinjaError.type(message: "slice indices must be integers or None or have an __index__ method")
        }
        return i < 0 ? max(0, i + count) : min(i, count)
    }
}
