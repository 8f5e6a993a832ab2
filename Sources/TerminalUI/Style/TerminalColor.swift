/// A colour as the app asks for it; the backend maps it down to what the terminal can show.
///
/// Themes speak in full colours (`rgb`, 256-colour `palette`) and the terminal backend downsamples
/// with `downsampled(toColorCount:)`, so one theme works on 8-, 16- and 256-colour terminals.
public enum TerminalColor: Hashable, Sendable {
    /// The terminal's own foreground or background (`use_default_colors`).
    case `default`
    /// One of the 16 ANSI colours, 0...7 normal and 8...15 bright.
    case ansi(UInt8)
    /// One of the xterm 256-colour palette entries.
    case palette(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    public static let black = TerminalColor.ansi(0)
    public static let red = TerminalColor.ansi(1)
    public static let green = TerminalColor.ansi(2)
    public static let yellow = TerminalColor.ansi(3)
    public static let blue = TerminalColor.ansi(4)
    public static let magenta = TerminalColor.ansi(5)
    public static let cyan = TerminalColor.ansi(6)
    public static let white = TerminalColor.ansi(7)
    public static let brightBlack = TerminalColor.ansi(8)
    public static let brightWhite = TerminalColor.ansi(15)
}
