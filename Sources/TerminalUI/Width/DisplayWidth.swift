/// Terminal column widths of characters and strings.
///
/// Widths follow the `wcwidth` Python package (0.7.0, Unicode 17), which is the test oracle:
/// East Asian Wide/Fullwidth and emoji presentation are 2, combining marks, format characters
/// and controls are 0, and a grapheme cluster (a Swift `Character`) is measured as a unit:
/// emoji ZWJ sequences, skin-tone modifiers, flags and keycaps are 2, VS16 widens a narrow
/// emoji to 2. A cluster is at most 2 columns, because a grid cell pair is the widest thing a
/// terminal draws as one glyph.
///
/// Known, deliberate differences from the oracle: a ZWJ at the end of one cluster does not
/// hide the next cluster, and a skin-tone modifier after a non-emoji base adds nothing.
public enum DisplayWidth {
    /// The width of one grapheme cluster: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first {
            return of(only)
        }
        return clusterWidth(scalars)
    }

    /// The width of a string: the sum of its grapheme clusters' widths.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text {
            total += of(character)
        }
        return total
    }

    /// The width of a code point on its own (controls are 0).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return 1 }
        if isControl(value) { return 0 }
        if value < 0x300 { return 1 }
        if contains(DisplayWidthTables.zero, value) { return 0 }
        if contains(DisplayWidthTables.wide, value) { return 2 }
        return 1
    }

    /// C0 controls, DEL and C1 controls: never drawn, measured 0.
    public static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || (value >= 0x7F && value < 0xA0)
    }

    private static let zeroWidthJoiner: UInt32 = 0x200D
    private static let variationSelector16: UInt32 = 0xFE0F
    private static let regionalIndicators: ClosedRange<UInt32> = 0x1F1E6...0x1F1FF
    private static let skinToneModifiers: ClosedRange<UInt32> = 0x1F3FB...0x1F3FF

    /// Measures a multi-scalar cluster the way the oracle measures it, scalar by scalar.
    private static func clusterWidth(_ scalars: Character.UnicodeScalarView) -> Int {
        var total = 0
        var base: UInt32? // the last measured scalar that VS16 or a spacing mark can attach to
        var skipNext = false
        var regionalIndicatorCount = 0
        for scalar in scalars {
            let value = scalar.value
            if skipNext {
                skipNext = false
                continue
            }
            if value == zeroWidthJoiner {
                skipNext = true // the joined pictograph draws inside the first one
                continue
            }
            if value == variationSelector16 {
                if let b = base, contains(DisplayWidthTables.vs16Wide, b) { total += 1 }
                base = nil
                continue
            }
            if regionalIndicators.contains(value) {
                regionalIndicatorCount += 1
                if regionalIndicatorCount % 2 == 0 { continue } // second half of a flag
            }
            if skinToneModifiers.contains(value) && total > 0 { continue }
            let width = of(scalar)
            if width > 0 {
                total += width
                base = value
            } else if base != nil && contains(DisplayWidthTables.spacingMark, value) {
                total += 1
                base = nil
            }
        }
        return min(total, 2)
    }

    /// Binary search in a flat `[lo, hi, lo, hi, ...]` table of inclusive ranges.
    static func contains(_ table: [UInt32], _ value: UInt32) -> Bool {
        var low = 0
        var high = table.count / 2 - 1
        if high < 0 || value < table[0] || value > table[table.count - 1] { return false }
        while low <= high {
            let mid = (low + high) / 2
            if value < table[2 * mid] {
                high = mid - 1
            } else if value > table[2 * mid + 1] {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
