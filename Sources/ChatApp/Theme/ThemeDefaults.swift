import TerminalUI

/// The themes compiled into the binary, so the app looks right even when the `themes/` folder
/// cannot be found. `themes/default-dark.json` and `themes/mono.json` must describe exactly
/// these (a test checks).
enum ThemeDefaults {
    /// Attributes that carry meaning without colour: the mono theme, and the fallback for slots a
    /// theme file leaves out.
    static let monoAttributes: [ThemeSlot: TextAttributes] = [
        .userLabel: .bold, .assistantLabel: .bold, .systemLabel: .bold, .systemText: .italic,
        .markerStopped: .italic, .markerError: .bold, .hint: .dim,
        .markdownBold: .bold, .markdownItalic: .italic, .markdownCode: .underline,
        .markdownCodeFence: .dim, .markdownHeading: [.bold, .underline], .markdownListMarker: .bold,
        .markdownQuote: .italic, .status: .reverse, .statusAccent: [.reverse, .bold],
        .statusBusy: [.reverse, .bold], .statusError: [.reverse, .bold, .underline], .notice: .reverse,
        .inputPrompt: .bold, .inputPlaceholder: .dim, .modalTitle: .bold, .modalSelected: .reverse,
        .modalHint: .dim, .modalKey: .bold, .modalError: [.bold, .underline], .modalEditing: .underline,
        .probabilityMedium: .dim, .probabilityLow: .underline, .probabilityVeryLow: [.bold, .underline],
        .alternativeMarker: .bold, .tokenOdd: .underline, .tokenSelected: .reverse
    ]

    static let mono = Theme(name: "mono", styles: [.background: .plain])

    private static func rgb(_ hex: UInt32) -> TerminalColor {
        .rgb(UInt8((hex >> 16) & 0xFF), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF))
    }

    private static func style(
        _ fg: UInt32?, _ bg: UInt32? = nil, _ attributes: TextAttributes = []
    ) -> Style {
        Style(foreground: fg.map(rgb) ?? .default, background: bg.map(rgb) ?? .default, attributes: attributes)
    }

    static let defaultDark = Theme(
        name: "default-dark",
        styles: [
            .background: .plain,
            .userLabel: style(0x5FAFFF, nil, .bold),
            .userText: style(0xAFD7FF),
            .assistantLabel: style(0x87D787, nil, .bold),
            .assistantText: .plain,
            .systemLabel: style(0xD7AF5F, nil, .bold),
            .systemText: style(0xBCBCBC, nil, .italic),
            .markerStopped: style(0xD7AF5F, nil, .italic),
            .markerError: style(0xFF5F5F, nil, .bold),
            .hint: style(0x808080),
            .markdownBold: Style(attributes: .bold),
            .markdownItalic: Style(attributes: .italic),
            .markdownCode: style(0xFFAF5F),
            .markdownCodeBlock: style(0xD0D0D0, 0x262626),
            .markdownCodeFence: style(0x6C6C6C),
            .markdownHeading: style(0xFFD75F, nil, .bold),
            .markdownListMarker: style(0x5FD7D7),
            .markdownQuote: style(0xA8A8A8, nil, .italic),
            .status: style(0xD0D0D0, 0x303030),
            .statusAccent: style(0x87D7FF, 0x303030, .bold),
            .statusBusy: style(0xFFD75F, 0x303030, .bold),
            .statusError: style(0xFFFFFF, 0xAF0000, .bold),
            .notice: style(0x000000, 0xFFD75F),
            .input: .plain,
            .inputPrompt: style(0x5FAFFF, nil, .bold),
            .inputPlaceholder: style(0x6C6C6C),
            .modalBorder: style(0x5FAFFF),
            .modalTitle: style(0xFFD75F, nil, .bold),
            .modalText: .plain,
            .modalSelected: style(0x000000, 0x5FAFFF),
            .modalHint: style(0x808080),
            .modalKey: style(0x87D787, nil, .bold),
            .modalError: style(0xFF5F5F, nil, .bold),
            .modalEditing: style(0xFFFFFF, 0x3A3A3A, .underline),
            .probabilityHigh: .plain,
            .probabilityMedium: style(0xD7D75F),
            .probabilityLow: style(0xFFAF5F, nil, .underline),
            .probabilityVeryLow: style(0xFF5F5F, nil, [.bold, .underline]),
            .alternativeMarker: style(0x5FD7D7, nil, .bold),
            .tokenEven: style(0xD0D0D0, 0x303030),
            .tokenOdd: style(0xD0D0D0, 0x4E4E4E, .underline),
            .tokenSelected: style(0x000000, 0xFFD75F, .bold)
        ])
}
