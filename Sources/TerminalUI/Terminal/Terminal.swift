/// The screen and keyboard, as the app's runtime loop sees them.
///
/// The app renders a whole `ScreenGrid` each frame; an implementation diffs it against what it
/// drew last and sends only the changes. Implementations are used from one thread (the UI loop).
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: TerminalSize { get }

    /// Shows `grid`, drawing only what changed since the previous call.
    func draw(_ grid: ScreenGrid)

    /// Places the visible cursor, or hides it with `nil`; kept across draws.
    func setCursor(_ position: GridPosition?)

    /// The next event, waiting at most `timeout` (`nil`: wait until one comes).
    func nextEvent(timeout: Duration?) -> InputEvent?

    /// Puts `text` on the system clipboard through the terminal (OSC 52).
    func setClipboard(_ text: String)

    /// Like `setClipboard`, and says whether the sequence was written in full (false: the
    /// terminal is gone or the write failed, so nothing can have reached a clipboard).
    func writeClipboard(_ text: String) -> Bool

    /// Rings the bell.
    func bell()

    /// Restores the terminal to how it was found; safe to call more than once.
    func shutdown()
}

extension Terminal {
    /// A terminal that cannot tell whether its write worked says it did.
    public func writeClipboard(_ text: String) -> Bool {
        setClipboard(text)
        return true
    }

    /// Places the visible cursor at (`row`, `col`).
    public func setCursor(row: Int, col: Int) {
        setCursor(GridPosition(row: row, col: col))
    }
}
