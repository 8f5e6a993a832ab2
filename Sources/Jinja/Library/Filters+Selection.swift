/// `map`, `select`, `reject`, `selectattr`, `rejectattr`, `sort`, `dictsort`, `unique`, `groupby`.
extension Interpreter {

    /// `map`.
    func mapFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        guard value.isTruthy else { return newIterator([]) }
        let items = try iterate(value)
        if arguments.positional.isEmpty, let attribute = arguments.keyword("attribute") {
            if let extra = arguments.keywords.first(where: { $0.name != "attribute" && $0.name != "default" }) {
                throw JinjaError.evaluation(
                    exception: "FilterArgumentError",
                    message: "Unexpected keyword argument \(PythonRepr.string(extra.name))")
            }
            let getter = try attributeGetter(attribute, default: arguments.keyword("default").orNone)
            return newIterator(try items.map(getter))
        }
        guard let filterName = arguments.positional.first?.stringValue else {
            throw JinjaError.evaluation(exception: "FilterArgumentError", message: "map requires a filter argument")
        }
        let rest = CallArguments(positional: Array(arguments.positional.dropFirst()), keywords: arguments.keywords)
        return newIterator(try items.map { try callFilter(filterName, $0, rest) })
    }

    /// `select`, `reject`, `selectattr`, `rejectattr`.
    func selectOrRejectFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        guard value.isTruthy else { return newIterator([]) }
        let byAttribute = name.hasSuffix("attr")
        let keep = name.hasPrefix("select")
        var positional = arguments.positional
        var transform: (Value) throws -> Value = { $0 }
        if byAttribute {
            guard !positional.isEmpty else {
                throw JinjaError.evaluation(
                    exception: "FilterArgumentError",
                    message: "Missing parameter for attribute name")
            }
            transform = try attributeGetter(positional.removeFirst())
        }
        var test: (Value) throws -> Bool = { $0.isTruthy }
        if !positional.isEmpty {
            let testName = try str(positional.removeFirst())
            let rest = CallArguments(positional: positional, keywords: arguments.keywords)
            test = { try self.applyTest(testName, to: $0, arguments: rest) }
        }
        var kept: [Value] = []
        for item in try iterate(value) where try test(try transform(item)) == keep {
            kept.append(item)
        }
        return newIterator(kept)
    }

    /// `sort`.
    func sortFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["reverse", "case_sensitive", "attribute"], function: "do_sort")
        let key = try multiSortKey(attribute: bound[2].orNone, caseSensitive: bound[1]?.isTruthy ?? false)
        return .array(try sorted(try iterate(value), key: key, reverse: bound[0]?.isTruthy ?? false))
    }

    /// `dictsort`.
    func dictsortFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["case_sensitive", "by", "reverse"], function: "do_dictsort")
        let by = try stringArgument(bound[1], "dictsort") ?? "key"
        guard by == "key" || by == "value" else {
            throw JinjaError.evaluation(
                exception: "FilterArgumentError",
                message: "You can only sort by either \"key\" or \"value\"")
        }
        guard case .object(let object) = value else {
            if case .undefined(let undefined) = value { throw undefined.error }
            throw JinjaError.evaluation(
                exception: "AttributeError",
                message: "'\(value.typeName)' object has no attribute 'items'")
        }
        let caseSensitive = bound[0]?.isTruthy ?? false
        let pairs: [Value] = object.pairs.map { .tuple([$0.key, $0.value]) }
        return .array(
            try sorted(
                pairs,
                key: { pair in
                    let part = pair.sequenceValue?[by == "key" ? 0 : 1] ?? .none
                    return caseSensitive ? part : self.ignoreCase(part)
                }, reverse: bound[2]?.isTruthy ?? false))
    }

    /// `unique`.
    func uniqueFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["case_sensitive", "attribute"], function: "do_unique")
        let key = try sortKey(attribute: bound[1].orNone, caseSensitive: bound[0]?.isTruthy ?? false)
        // A hash set, as jinja2 uses: comparing each item with every earlier one was
        // quadratic. `DictKey` equality is Python's (`1 == 1.0 == True`, strings by code point).
        var seen = Set<DictKey>()
        var seenUndefined = false
        var result: [Value] = []
        for item in try iterate(value) {
            let itemKey = try key(item)
            if let text = itemKey.stringValue { try touch(text) }
            if itemKey.isUndefined {
                if seenUndefined { continue }
                seenUndefined = true
            } else {
                guard let hashKey = DictKey(itemKey) else {
                    throw JinjaError.type(message: "unhashable type: '\(itemKey.typeName)'")
                }
                if !seen.insert(hashKey).inserted { continue }
            }
            result.append(item)
        }
        return newIterator(result)
    }

    /// `groupby`.
    func groupbyFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        let bound = try arguments.bind(["attribute", "default", "case_sensitive"], required: 1, function: "do_groupby")
        let caseSensitive = bound[2]?.isTruthy ?? false
        let getter = try attributeGetter(bound[0] ?? .none, default: bound[1].orNone)
        let key: (Value) throws -> Value = { caseSensitive ? try getter($0) : self.ignoreCase(try getter($0)) }
        var groups: [(key: Value, items: [Value])] = []
        for item in try sorted(try iterate(value), key: key, reverse: false) {
            let itemKey = try key(item)
            if let last = groups.last, try pyEquals(last.key, itemKey) {
                groups[groups.count - 1].items.append(item)
            } else {
                groups.append((itemKey, [item]))
            }
        }
        return .array(try groups.map { .tuple([try getter($0.items[0]), .array($0.items)]) })
    }

    /// jinja2's `make_attrgetter`: dotted paths, digit parts as integer indexes, optional default.
    func attributeGetter(_ attribute: Value, default defaultValue: Value? = nil) throws -> (Value) throws -> Value {
        let parts: [Value]
        if let path = attribute.stringValue {
            parts = path.split(separator: ".", omittingEmptySubsequences: false).map {
                $0.allSatisfy(\.isASCII) && !$0.isEmpty && $0.allSatisfy(\.isNumber)
                    ? .int(Int($0) ?? 0) : .string(String($0))
            }
        } else {
            parts = [attribute]
        }
        return { item in
            var current = item
            for part in parts {
                current = try self.getitem(current, part)
                if let defaultValue, current.isUndefined { current = defaultValue }
            }
            return current
        }
    }

    func ignoreCase(_ value: Value) -> Value {
        if let s = value.stringValue { return .string(s.lowercased()) }
        return value
    }

    /// Key function for `min`, `max`, `unique`: the attribute (if any), lowercased unless case-sensitive.
    func sortKey(attribute: Value?, caseSensitive: Bool) throws -> (Value) throws -> Value {
        let getter = try attribute.map { try attributeGetter($0) }
        return { item in
            let value = try getter?(item) ?? item
            return caseSensitive ? value : self.ignoreCase(value)
        }
    }

    /// Key function for `sort`: `attribute="a,b"` sorts by several attributes.
    func multiSortKey(attribute: Value?, caseSensitive: Bool) throws -> (Value) throws -> Value {
        guard let attribute else {
            let key = try sortKey(attribute: nil, caseSensitive: caseSensitive)
            return { .array([try key($0)]) }
        }
        let names: [Value] =
            attribute.stringValue.map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
                    .map { .string(String($0)) }
            } ?? [attribute]
        let getters = try names.map { try sortKey(attribute: $0, caseSensitive: caseSensitive) }
        return { item in .array(try getters.map { try $0(item) }) }
    }

    /// Python's stable `sorted(items, key=key, reverse=reverse)`.
    func sorted(_ items: [Value], key: (Value) throws -> Value, reverse: Bool) throws -> [Value] {
        // About n·log2(n) comparisons; each also charges what it reads (`pyOrder`).
        let (comparisons, overflow) = items.count.multipliedReportingOverflow(
            by: Int.bitWidth - items.count.leadingZeroBitCount)
        try addWork(overflow ? Int.max : comparisons * Limits.Cost.comparison)
        let keyed = try items.enumerated().map { (offset: $0.offset, key: try key($0.element), item: $0.element) }
        var failure: Error?
        let ordered = keyed.sorted { a, b in
            if failure != nil { return false }
            do {
                if try reverse ? pyLess(b.key, a.key, symbol: "<") : pyLess(a.key, b.key, symbol: "<") { return true }
                if try reverse ? pyLess(a.key, b.key, symbol: "<") : pyLess(b.key, a.key, symbol: "<") { return false }
                return a.offset < b.offset
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return ordered.map(\.item)
    }
}
