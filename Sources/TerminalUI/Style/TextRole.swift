/// What a piece of text *is*, so a theme can decide how it looks.
///
/// `MarkdownLite` produces roles rather than styles; the app maps roles to `Style` through its
/// theme with `TextLine.mapAttributes(_:)`, keeping markdown parsing independent of colours.
public enum TextRole: Hashable, Sendable, CaseIterable {
    case body
    case bold
    case italic
    case boldItalic
    case code
    case codeBlock
    case codeFence
    case heading
    case listMarker
    case quote
}
