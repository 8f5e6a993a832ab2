import CNcurses
import DequeModule
import TerminalUI

/// Reading input: ncurses key codes and code points go through `InputDecoder`.
extension NcursesTerminal {
    /// Longest single wait, so signals posted from other threads are noticed promptly.
    private static let sliceMilliseconds = 50
    /// How long the drain loop waits for the next byte. Not zero: ncurses drops the first bytes
    /// of a UTF-8 character whose remaining bytes are not there yet when it reads without waiting.
    private static let drainMilliseconds: Int32 = 10
    /// How long a bracketed paste may stall before what arrived is delivered anyway.
    private static let pasteStallMilliseconds: Int32 = 1000

    private enum ReadResult {
        case nothing
        case ignored
        case input(RawInput)
    }

    public func nextEvent(timeout: Duration?) -> InputEvent? {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        while true {
            if let signal = mailbox.take() { return .signal(signal) } // before queued keys
            if let event = queue.popFirst() { return event }
            if isShutDown { return nil }
            let wait: Int32
            if decoder.isInPaste {
                wait = Self.pasteStallMilliseconds
            } else if decoder.isPending {
                wait = options.escapeDelayMilliseconds
            } else if let deadline {
                let remaining = deadline - clock.now
                if remaining <= .zero { return nil }
                wait = Int32(min(Self.sliceMilliseconds, max(1, Self.milliseconds(remaining))))
            } else {
                wait = Int32(Self.sliceMilliseconds)
            }
            switch read(timeout: wait) {
            case .nothing:
                if decoder.isInPaste {
                    queue += decoder.flushPaste()
                } else if decoder.isPending {
                    queue += decoder.feed(.idle)
                }
            case .ignored:
                continue
            case .input(let raw):
                queue += decoder.feed(raw)
                drainAvailableInput()
            }
            if decoder.isInPaste { readPasteBody() }
        }
    }

    /// Reads everything already waiting without blocking, so a paste or a burst of typing is
    /// decoded in one go (one redraw, not one per character).
    private func drainAvailableInput() {
        while true {
            switch read(timeout: Self.drainMilliseconds) {
            case .nothing:
                if !decoder.isInPaste && !decoder.isInEscapeSequence { queue += decoder.feed(.idle) }
                return
            case .ignored:
                continue
            case .input(let raw):
                queue += decoder.feed(raw)
                if decoder.isInPaste { return } // the body is read in bulk
            }
        }
    }

    /// Reads one key or code point, waiting at most `timeout` milliseconds.
    private func read(timeout: Int32) -> ReadResult {
        wtimeout(parley_stdscr(), timeout)
        var character: wint_t = 0
        let started = ContinuousClock.now
        let status = wget_wch(parley_stdscr(), &character)
        if status == parley_err() {
            // ERR also means "invalid multibyte sequence"; only a full wait means "no input".
            let waited = ContinuousClock.now - started
            return waited >= .milliseconds(Int(timeout)) - .milliseconds(1) ? .nothing : .ignored
        }
        if status == parley_err() { return .nothing }
        let code = Int32(bitPattern: UInt32(character))
        if status == parley_key_code_yes() {
            switch code {
            case KEY_RESIZE:
                invalidateScreen()
                return .input(.event(.resize(size)))
            case KEY_MOUSE:
                return mouseEvent().map { .input(.event(.mouse($0))) } ?? .ignored
            default:
                return keyMap[code].map { .input(.key($0)) } ?? .ignored
            }
        }
        guard let scalar = Unicode.Scalar(UInt32(character)) else { return .ignored }
        return .input(.scalar(scalar))
    }

    private func mouseEvent() -> MouseEvent? {
        var event = MEVENT()
        guard getmouse(&event) == parley_ok() else { return nil }
        let position = GridPosition(row: Int(event.y), col: Int(event.x))
        if parley_is_wheel_up(event.bstate) != 0 { return MouseEvent(.wheelUp, at: position) }
        if parley_is_wheel_down(event.bstate) != 0 { return MouseEvent(.wheelDown, at: position) }
        return nil
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
