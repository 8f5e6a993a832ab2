import TerminalUI

/// A `Terminal` for tests: it keeps the last grid, the cursor and side effects, and plays back
/// queued events, so an app's runtime loop can be driven without a tty.
public final class FakeTerminal: Terminal {
    public var size: TerminalSize
    /// Every grid drawn, oldest first.
    public private(set) var drawn: [ScreenGrid] = []
    public private(set) var cursor: GridPosition?
    public private(set) var clipboard: [String] = []
    public private(set) var bells = 0
    public private(set) var isShutDown = false
    /// Events `nextEvent` returns, in order; `nil` once empty.
    public var pendingEvents: [InputEvent]

    public init(size: TerminalSize = TerminalSize(width: 80, height: 24), events: [InputEvent] = []) {
        self.size = size
        self.pendingEvents = events
    }

    /// The screen as last drawn.
    public var screen: ScreenGrid? { drawn.last }

    public func draw(_ grid: ScreenGrid) { drawn.append(grid) }
    public func setCursor(_ position: GridPosition?) { cursor = position }

    public func nextEvent(timeout: Duration?) -> InputEvent? {
        guard !pendingEvents.isEmpty else { return nil }
        let event = pendingEvents.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }

    public func setClipboard(_ text: String) { clipboard.append(text) }
    public func bell() { bells += 1 }
    public func shutdown() { isShutDown = true }
}
