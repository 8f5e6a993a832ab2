/// A run of text sharing one attribute: a `Style` once themed, a `TextRole` before.
public struct Span<Attribute: Hashable & Sendable>: Hashable, Sendable {
    public var text: String
    public var attribute: Attribute

    public init(_ text: String, _ attribute: Attribute) {
        self.text = text
        self.attribute = attribute
    }
}

/// How a line breaks when it is wider than the screen.
public enum WrapMode: Hashable, Sendable {
    /// Break at spaces; words longer than a line break between clusters.
    case word
    /// Break at exactly the width, between clusters, keeping every space (code blocks).
    case hard
}

/// One logical line of attributed text plus the hints its wrapping needs.
///
/// Markdown decides how a line wraps (a list item hangs under its text, a code block breaks
/// hard and paints its background to the edge); the wrapper only follows these hints.
public struct TextLine<Attribute: Hashable & Sendable>: Hashable, Sendable {
    public var spans: [Span<Attribute>]
    public var wrapMode: WrapMode
    /// Columns of indentation for continuation lines, so list text hangs under itself.
    public var hangingIndent: Int
    /// When set, the rest of the row after the text is painted with this attribute.
    public var fill: Attribute?

    public init(
        _ spans: [Span<Attribute>], wrapMode: WrapMode = .word, hangingIndent: Int = 0,
        fill: Attribute? = nil
    ) {
        self.spans = spans
        self.wrapMode = wrapMode
        self.hangingIndent = hangingIndent
        self.fill = fill
    }

    /// A line of one span.
    public init(_ text: String, _ attribute: Attribute) {
        self.init([Span(text, attribute)])
    }

    /// The line's text without attributes.
    public var plainText: String { spans.map(\.text).joined() }

    /// The line's width in columns.
    public var width: Int { spans.reduce(0) { $0 + DisplayWidth.of($1.text) } }

    /// The same line with every attribute converted, e.g. roles to styles through a theme.
    public func mapAttributes<Other>(_ transform: (Attribute) -> Other) -> TextLine<Other> {
        TextLine<Other>(
            spans.map { Span($0.text, transform($0.attribute)) }, wrapMode: wrapMode,
            hangingIndent: hangingIndent, fill: fill.map(transform))
    }
}

/// A line of styled text ready to draw.
public typealias StyledLine = TextLine<Style>
/// A line of text with semantic roles, before a theme applies styles.
public typealias RoleLine = TextLine<TextRole>

extension ScreenGrid {
    /// Draws a styled line from (`row`, `col`), clipped to `clip`; returns the column after it.
    ///
    /// When the line has a `fill` style, the rest of the row inside `clip` is painted with it.
    @discardableResult
    public mutating func write(_ line: StyledLine, row: Int, col: Int, clip: Rect? = nil) -> Int {
        var column = col
        for span in line.spans {
            column = write(span.text, row: row, col: column, style: span.attribute, clip: clip)
        }
        if let fillStyle = line.fill {
            let area = (clip ?? bounds).intersection(bounds)
            let start = max(column, area.col)
            fill(
                Rect(row: row, col: start, width: area.right - start, height: 1).intersection(area),
                style: fillStyle)
        }
        return column
    }
}
