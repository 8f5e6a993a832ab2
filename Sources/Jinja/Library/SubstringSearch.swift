/// Finds a needle in a haystack of Unicode scalars in time linear in both (Knuth–Morris–Pratt).
///
/// The naive scan compares up to `needle.count` scalars at every position, so a template like
/// `('a' * 40000 ~ 'b') in 'a' * 80000` took seconds and grew with the square of the length.
/// Every substring operation (`in`, `find`, `count`, `replace`, `split`, `partition` and their
/// right-hand twins) goes through here; the table is built once per operation and reused for
/// every match of `count`, `replace` and `split`.
struct SubstringSearch {
    let needle: [Unicode.Scalar]
    /// `prefix[i]`: length of the longest proper prefix of `needle[0...i]` that is also its suffix.
    private let prefix: [Int]
    /// The same table for the reversed needle, built on the first backward search.
    private let reversedPrefix: [Int]

    /// Scalars scanned between two calls of `poll` (a power of two; about a millisecond).
    static let pollInterval = 1 << 18

    init(_ needle: [Unicode.Scalar], backward: Bool = false) {
        self.needle = needle
        if backward {
            prefix = []
            reversedPrefix = Self.table(needle.count) { needle[needle.count - 1 - $0] }
        } else {
            prefix = Self.table(needle.count) { needle[$0] }
            reversedPrefix = []
        }
    }

    private static func table(_ count: Int, _ at: (Int) -> Unicode.Scalar) -> [Int] {
        var table = [Int](repeating: 0, count: count)
        var k = 0
        var i = 1
        while i < count {
            while k > 0 && at(i) != at(k) { k = table[k - 1] }
            if at(i) == at(k) { k += 1 }
            table[i] = k
            i += 1
        }
        return table
    }

    /// First index of the needle in `hay[start..<end]` (clamped), like `str.find`. `poll` is
    /// called every `pollInterval` scalars, so a render can be stopped in the middle of a long scan.
    func first(
        in hay: [Unicode.Scalar], from start: Int = 0, to end: Int? = nil,
        poll: () throws -> Void = {}
    ) rethrows -> Int? {
        let limit = min(end ?? hay.count, hay.count)
        let low = max(0, start)
        let m = needle.count
        if m == 0 { return low <= limit ? low : nil }
        guard limit - low >= m else { return nil }
        var k = 0
        var i = low
        while i < limit {
            if i & (Self.pollInterval - 1) == 0 { try poll() }
            let c = hay[i]
            while k > 0 && c != needle[k] { k = prefix[k - 1] }
            if c == needle[k] { k += 1 }
            if k == m { return i - m + 1 }
            i += 1
        }
        return nil
    }

    /// Last index of the needle in `hay[start..<end]` (clamped), like `str.rfind`; needs `backward: true`.
    func last(in hay: [Unicode.Scalar], from start: Int = 0, to end: Int? = nil) -> Int? {
        let limit = min(end ?? hay.count, hay.count)
        let low = max(0, start)
        let m = needle.count
        if m == 0 { return low <= limit ? limit : nil }
        guard limit - low >= m else { return nil }
        var k = 0
        var i = limit - 1
        while i >= low {
            let c = hay[i]
            while k > 0 && c != needle[m - 1 - k] { k = reversedPrefix[k - 1] }
            if c == needle[m - 1 - k] { k += 1 }
            if k == m { return i }
            i -= 1
        }
        return nil
    }
}
