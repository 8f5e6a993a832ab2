/// Python `str` operations on Unicode scalars.
///
/// Swift's `String` compares and searches by grapheme cluster with canonical equivalence, while
/// Python works on code points; templates must see Python's behaviour (e.g. a ZWJ emoji sequence
/// has several "characters"), so everything here works on `[Unicode.Scalar]`.
enum PyString {
    typealias Scalars = [Unicode.Scalar]

    static func make(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// First index of `needle` in `hay` at or after `start` (and ending by `end`), like `str.find`;
    /// linear time whatever the text (`SubstringSearch`).
    static func find(_ hay: Scalars, _ needle: Scalars, from start: Int = 0, to end: Int? = nil) -> Int? {
        SubstringSearch(needle).first(in: hay, from: start, to: end, poll: {})
    }

    /// Last index of `needle` in `hay`, like `str.rfind`.
    static func rfind(_ hay: Scalars, _ needle: Scalars, from start: Int = 0, to end: Int? = nil) -> Int? {
        SubstringSearch(needle, backward: true).last(in: hay, from: start, to: end)
    }

    /// Non-overlapping occurrences, like `str.count`; `poll` lets a render stop a long count.
    static func count(_ hay: Scalars, _ needle: Scalars, poll: () throws -> Void = {}) rethrows -> Int {
        if needle.isEmpty { return hay.count + 1 }
        let search = SubstringSearch(needle)
        var n = 0
        var i = 0
        while let found = try search.first(in: hay, from: i, poll: poll) {
            if n & (SubstringSearch.pollInterval - 1) == 0 { try poll() }
            n += 1
            i = found + needle.count
        }
        return n
    }

    /// `str.replace(old, new, count)`; an empty `old` inserts `new` between every character.
    /// `poll` is called as the result grows, so a render can be stopped in the middle.
    static func replace(
        _ s: Scalars, _ old: Scalars, _ new: Scalars, count limit: Int = -1,
        poll: () throws -> Void = {}
    ) rethrows -> Scalars {
        var out: Scalars = []
        var replaced = 0
        if old.isEmpty {
            for c in s {
                if replaced & (SubstringSearch.pollInterval - 1) == 0 { try poll() }
                if limit < 0 || replaced < limit {
                    out += new
                    replaced += 1
                }
                out.append(c)
            }
            if limit < 0 || replaced < limit { out += new }
            return out
        }
        let search = SubstringSearch(old)
        var i = 0
        while i < s.count {
            if replaced & (SubstringSearch.pollInterval - 1) == 0 { try poll() }
            if limit < 0 || replaced < limit, let found = try search.first(in: s, from: i, poll: poll) {
                out += s[i..<found]
                out += new
                i = found + old.count
                replaced += 1
            } else {
                out += s[i...]
                break
            }
        }
        return out
    }

    /// `str.split(sep, maxsplit)`; without `sep`, splits on whitespace runs and drops empty parts.
    static func split(_ s: Scalars, _ separator: Scalars?, maxSplit: Int = -1) -> [String] {
        var parts: [String] = []
        guard let separator else {
            var i = 0
            var splits = 0
            while i < s.count {
                while i < s.count && PyChar.isSpace(s[i]) { i += 1 }
                if i >= s.count { break }
                if maxSplit >= 0 && splits >= maxSplit {
                    var end = s.count
                    while end > i && PyChar.isSpace(s[end - 1]) { end -= 1 }
                    parts.append(make(s[i..<end]))
                    return parts
                }
                let start = i
                while i < s.count && !PyChar.isSpace(s[i]) { i += 1 }
                parts.append(make(s[start..<i]))
                splits += 1
            }
            return parts
        }
        var i = 0
        var splits = 0
        let search = SubstringSearch(separator)
        while maxSplit < 0 || splits < maxSplit, let found = search.first(in: s, from: i, poll: {}) {
            parts.append(make(s[i..<found]))
            i = found + separator.count
            splits += 1
        }
        parts.append(make(s[i...]))
        return parts
    }

    /// `str.rsplit(sep, maxsplit)`.
    static func rsplit(_ s: Scalars, _ separator: Scalars?, maxSplit: Int = -1) -> [String] {
        guard maxSplit >= 0 else { return split(s, separator, maxSplit: -1) }
        let reversedParts = split(Array(s.reversed()), separator.map { Array($0.reversed()) }, maxSplit: maxSplit)
        return reversedParts.reversed().map { make($0.unicodeScalars.reversed()) }
    }

    /// `str.strip(chars)` on the chosen sides; `chars == nil` means whitespace.
    static func strip(_ s: Scalars, _ chars: Scalars?, leading: Bool = true, trailing: Bool = true) -> Scalars {
        let shouldStrip: (Unicode.Scalar) -> Bool = chars.map { set in { set.contains($0) } } ?? PyChar.isSpace
        var start = 0
        var end = s.count
        if leading { while start < end && shouldStrip(s[start]) { start += 1 } }
        if trailing { while end > start && shouldStrip(s[end - 1]) { end -= 1 } }
        return Array(s[start..<end])
    }

    static func isCased(_ c: Unicode.Scalar) -> Bool {
        c.properties.isUppercase || c.properties.isLowercase || c.properties.generalCategory == .titlecaseLetter
    }

    /// `str.title()`: a cased character after an uncased one starts a word.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
            previousCased = isCased(c)
        }
        return out
    }

    /// `str.capitalize()`: first character title-cased, the rest lowercased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return first.properties.titlecaseMapping + make(s.unicodeScalars.dropFirst()).lowercased()
    }

    static func swapcase(_ s: String) -> String {
        s.unicodeScalars.map {
            $0.properties.isUppercase
                ? $0.properties.lowercaseMapping
                : ($0.properties.isLowercase ? $0.properties.uppercaseMapping : String($0))
        }.joined()
    }
}
