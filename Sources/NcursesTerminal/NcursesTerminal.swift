import CNcurses
import DequeModule
import Dispatch
import TerminalUI

/// The real terminal: the only type that calls ncurses.
///
/// It draws `ScreenGrid`s by diffing against the last grid drawn, and turns key codes, escape
/// sequences and bracketed pastes into `InputEvent`s through the pure `InputDecoder`. Use it from
/// one thread (the UI loop); signals reach that thread as `.signal` events.
public final class NcursesTerminal: Terminal {
    /// Start-up choices.
    public struct Options: Sendable {
        /// Report the mouse wheel (this makes the terminal's own text selection need Shift).
        public var enableMouse: Bool
        /// How long a lone ESC waits for the rest of a sequence, in milliseconds.
        public var escapeDelayMilliseconds: Int32
        /// Draw without colours (attributes only); also forced by a non-empty `NO_COLOR`.
        public var noColor: Bool

        public init(enableMouse: Bool = true, escapeDelayMilliseconds: Int32 = 25, noColor: Bool = false) {
            self.enableMouse = enableMouse
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
            self.noColor = noColor
        }
    }

    let options: Options
    var decoder = InputDecoder()
    /// Decoded events not yet handed out. A paste the terminal types out (no bracketed paste) is
    /// one event per character: an array's `removeFirst()` moved all the others each time (a
    /// typed 1 MB paste took minutes), a deque takes each in O(1).
    var queue = Deque<InputEvent>()
    var keyMap: [Int32: KeyEvent] = [:]
    var lastGrid: ScreenGrid?
    var cursor: GridPosition?
    var colors: ColorPairs?
    var isShutDown = false
    let mailbox = SignalMailbox()
    var signalSources: [any DispatchSourceSignal] = []

    /// Takes over the terminal: alternate screen, raw mode, no echo, keypad, bracketed paste.
    public init(options: Options = Options()) throws {
        guard parley_stdin_is_tty() == 1, parley_stdout_is_tty() == 1 else {
            throw NcursesTerminalError.notATerminal
        }
        self.options = options
        parley_setlocale_from_environment()
        guard parley_newterm() != nil else {
            throw NcursesTerminalError.initializationFailed(term: Self.environment("TERM") ?? "")
        }
        parley_register_emergency_restore()
        let screen = parley_stdscr()
        raw() // Ctrl-C, Ctrl-Q, Ctrl-S, Ctrl-Z arrive as keys; the app decides what they do
        noecho()
        nonl()
        keypad(screen, true)
        set_escdelay(options.escapeDelayMilliseconds)
        curs_set(0)
        let noColorEnv = Self.environment("NO_COLOR").map { !$0.isEmpty } ?? false
        if has_colors() && !options.noColor && !noColorEnv {
            start_color()
            use_default_colors()
            colors = ColorPairs(colorCount: Int(parley_colors()), pairLimit: Int(parley_color_pairs()))
        }
        if options.enableMouse {
            mousemask(parley_wheel_mask(), nil)
            mouseinterval(0)
        }
        keyMap = Self.buildKeyMap()
        wclear(screen)
        wrefresh(screen)
        Self.writeRaw(ControlSequences.enableBracketedPaste)
    }

    deinit {
        shutdown()
    }

    public var size: TerminalSize {
        var rows: Int32 = 0
        var cols: Int32 = 0
        parley_getmaxyx(parley_stdscr(), &rows, &cols)
        return TerminalSize(width: Int(cols), height: Int(rows))
    }

    public func setCursor(_ position: GridPosition?) {
        cursor = position
        guard !isShutDown else { return }
        applyCursor()
        wrefresh(parley_stdscr())
    }

    public func setClipboard(_ text: String) {
        _ = writeClipboard(text)
    }

    public func writeClipboard(_ text: String) -> Bool {
        guard !isShutDown else { return false }
        return Self.writeRaw(ControlSequences.setClipboard(text))
    }

    public func bell() {
        guard !isShutDown else { return }
        beep()
    }

    /// Leaves raw mode and the alternate screen and stops signal delivery; idempotent.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        removeSignalHandlers()
        if options.enableMouse { mousemask(0, nil) }
        Self.writeRaw(ControlSequences.disableBracketedPaste)
        curs_set(1)
        endwin()
    }

    /// Writes bytes straight to the terminal (sequences ncurses has no capability for).
    /// Writes `text` to standard output past ncurses; true when every byte was written.
    @discardableResult
    static func writeRaw(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                parley_write_stdout(pointer, buffer.count) != 0
            } ?? true
        }
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
