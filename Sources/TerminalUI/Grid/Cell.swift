/// One terminal cell: a grapheme cluster and its style.
///
/// A wide cluster (2 columns) occupies its own cell and the next one; that next cell is a
/// *continuation* (empty text, width 0) with the same style, so a grid row always has exactly
/// `width` cells and columns map to indices directly.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster drawn here; empty for a continuation cell.
    public private(set) var text: String
    public var style: Style
    /// Columns the cluster covers: 1 or 2, or 0 for a continuation cell.
    public private(set) var width: Int

    /// A cell holding `character`, which must be 1 or 2 columns wide.
    public init(_ character: Character, style: Style = .plain) {
        let measured = DisplayWidth.of(character)
        precondition(measured > 0, "zero-width characters cannot fill a cell")
        self.text = String(character)
        self.style = style
        self.width = measured
    }

    private init(text: String, style: Style, width: Int) {
        self.text = text
        self.style = style
        self.width = width
    }

    /// A space in the default style: what an empty grid holds.
    public static let blank = Cell(text: " ", style: .plain, width: 1)

    /// A space in `style`.
    public static func blank(_ style: Style) -> Cell {
        Cell(text: " ", style: style, width: 1)
    }

    /// The right half of a wide cluster.
    static func continuation(_ style: Style) -> Cell {
        Cell(text: "", style: style, width: 0)
    }

    public var isContinuation: Bool { width == 0 }
    public var isWide: Bool { width == 2 }
}
