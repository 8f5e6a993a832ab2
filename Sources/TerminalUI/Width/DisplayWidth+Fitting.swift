/// Fitting text into a number of columns.
extension DisplayWidth {
    /// The longest prefix of `text` whose width is at most `columns`, never splitting a cluster.
    public static func prefix(_ text: some StringProtocol, fitting columns: Int) -> Substring {
        let whole = Substring(text)
        var used = 0
        var end = whole.startIndex
        for index in whole.indices {
            let width = of(whole[index])
            if used + width > columns { break }
            used += width
            end = whole.index(after: index)
        }
        return whole[whole.startIndex..<end]
    }

    /// `text` cut to `columns` with `ellipsis` at the end when it does not fit.
    public static func truncate(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        if of(text) <= columns { return text }
        let room = columns - of(ellipsis)
        if room < 0 { return String(prefix(text, fitting: columns)) }
        return String(prefix(text, fitting: room)) + ellipsis
    }

    /// `text` padded with spaces on the right to exactly `columns` (truncated when longer).
    public static func pad(_ text: String, to columns: Int) -> String {
        let fitted = prefix(text, fitting: columns)
        return String(fitted) + String(repeating: " ", count: max(0, columns - of(fitted)))
    }
}
