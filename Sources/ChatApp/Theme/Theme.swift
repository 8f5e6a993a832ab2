import TerminalUI

/// How the app looks: a style for every `ThemeSlot`.
///
/// Themes speak in full colours; the terminal backend downsamples them to what the terminal
/// shows (256, 16 or 8 colours), and `NO_COLOR` selects the colourless `mono` theme.
public struct Theme: Hashable, Sendable {
    public var name: String
    /// Resolved styles: every slot present, colours already inherited from `background`.
    public private(set) var styles: [ThemeSlot: Style]

    /// A theme from explicit styles; missing slots fall back to `fallback(for:background:)`.
    public init(name: String, styles: [ThemeSlot: Style]) {
        self.name = name
        let background = styles[.background] ?? .plain
        var resolved: [ThemeSlot: Style] = [:]
        for slot in ThemeSlot.allCases {
            resolved[slot] = styles[slot] ?? Self.fallback(for: slot, background: background)
        }
        self.styles = resolved
    }

    public subscript(slot: ThemeSlot) -> Style {
        styles[slot] ?? .plain
    }

    /// A readable colourless style for a slot a theme file left out: the background's colours
    /// plus the attributes the mono theme uses for it.
    static func fallback(for slot: ThemeSlot, background: Style) -> Style {
        var style = background
        style.attributes = ThemeDefaults.monoAttributes[slot] ?? []
        return style
    }

    /// The style for a piece of markdown inside an assistant message.
    public func markdownStyle(_ role: TextRole) -> Style {
        switch role {
        case .body: return self[.assistantText]
        case .bold: return self[.markdownBold]
        case .italic: return self[.markdownItalic]
        case .boldItalic: return self[.markdownBold].adding(.italic)
        case .code: return self[.markdownCode]
        case .codeBlock: return self[.markdownCodeBlock]
        case .codeFence: return self[.markdownCodeFence]
        case .heading: return self[.markdownHeading]
        case .listMarker: return self[.markdownListMarker]
        case .quote: return self[.markdownQuote]
        }
    }
}
