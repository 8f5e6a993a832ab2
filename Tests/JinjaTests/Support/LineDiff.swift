/// A short, readable description of where two texts first differ.
enum LineDiff {
    static func describe(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(e.count, a.count) {
            let left = index < e.count ? String(e[index]) : "<missing>"
            let right = index < a.count ? String(a[index]) : "<missing>"
            if left != right {
                return "first difference at line \(index + 1):\n  expected: \(left.debugDescription)\n"
                    + "  actual:   \(right.debugDescription)\n(expected \(e.count) lines, got \(a.count))"
            }
        }
        return "texts differ only in line endings"
    }
}
