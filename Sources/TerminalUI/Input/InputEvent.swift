/// A mouse event; only the wheel is reported, so scrolling works without taking over selection
/// semantics beyond what wheel tracking needs.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var position: GridPosition

    public init(_ kind: Kind, at position: GridPosition) {
        self.kind = kind
        self.position = position
    }
}

/// A signal the app asked to receive as an event instead of dying from it.
public enum TerminalSignal: Int32, Hashable, Sendable {
    case hangup = 1
    case interrupt = 2
    case terminate = 15
}

/// Everything the terminal can tell the app; the input side of the Elm-style loop.
public enum InputEvent: Hashable, Sendable {
    case key(KeyEvent)
    /// Text pasted with bracketed paste, newlines normalised to `\n`.
    case paste(String)
    case mouse(MouseEvent)
    case resize(TerminalSize)
    case signal(TerminalSignal)
}
