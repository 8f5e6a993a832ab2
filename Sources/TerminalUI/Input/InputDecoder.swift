/// What a backend reads from the terminal, before decoding into `InputEvent`s.
public enum RawInput: Hashable, Sendable {
    /// One code point as read (ncurses `wget_wch` returns code points, not clusters).
    case scalar(Unicode.Scalar)
    /// A key the backend already decoded from a terminfo sequence (arrows, F-keys...).
    case key(KeyEvent)
    /// A mouse, resize or signal event: passed through in order.
    case event(InputEvent)
    /// Nothing more is available right now: the end of a burst of input.
    case idle
}

/// Turns raw terminal input into events: control codes, ESC-prefixed Alt keys, CSI/SS3 key
/// sequences the backend did not decode, and bracketed paste (`ESC[200~ ... ESC[201~`).
///
/// Pure and incremental, so it is unit tested byte by byte. Printable code points are collected
/// until the burst ends and then split into grapheme clusters, so an emoji ZWJ sequence typed or
/// pasted without bracketed paste still arrives as one `Character`.
public struct InputDecoder: Sendable {
    enum State: Sendable {
        case normal
        case escape
        /// After ESC [: the parameter bytes so far are in `csiParameters`.
        case csi
        case ss3
        case paste
    }

    var state: State = .normal
    /// The parameters of the CSI sequence being read, appended in place: rebuilding the
    /// string for every byte (as the state's payload) made a huge sequence quadratic.
    var csiParameters = String.UnicodeScalarView()
    var text = String.UnicodeScalarView()
    var pasted = String.UnicodeScalarView()
    var terminatorMatched = 0

    public init() {}

    /// Whether a bracketed paste is being collected (the backend should keep reading).
    public var isInPaste: Bool {
        if case .paste = state { return true }
        return false
    }

    /// Whether an ESC, or an ESC [ / ESC O sequence, still waits for its next code point.
    public var isInEscapeSequence: Bool {
        switch state {
        case .escape, .csi, .ss3: return true
        case .normal, .paste: return false
        }
    }

    /// Whether an escape sequence is incomplete (the backend should wait briefly for the rest).
    public var isPending: Bool {
        if case .normal = state { return !text.isEmpty }
        return true
    }

    /// Feeds one raw input and returns the events it completes.
    public mutating func feed(_ input: RawInput) -> [InputEvent] {
        var events: [InputEvent] = []
        feed(input, into: &events)
        return events
    }

    /// Ends a paste whose terminator never came (the backend timed out), returning what arrived.
    public mutating func flushPaste() -> [InputEvent] {
        guard isInPaste else { return [] }
        var events: [InputEvent] = []
        finishPaste(into: &events)
        return events
    }

    /// Completes the current paste with a body the backend read in bulk, straight from the tty
    /// (a 1 MB paste read one code point at a time through ncurses takes seconds).
    public mutating func finishPaste(body: String) -> [InputEvent] {
        guard isInPaste else { return [] }
        pasted.append(contentsOf: Self.pasteTerminator[0..<terminatorMatched])
        terminatorMatched = 0
        pasted.append(contentsOf: body.unicodeScalars)
        var events: [InputEvent] = []
        finishPaste(into: &events)
        return events
    }

    mutating func feed(_ input: RawInput, into events: inout [InputEvent]) {
        switch state {
        case .normal: normal(input, into: &events)
        case .escape: escape(input, into: &events)
        case .csi: csi(input, into: &events)
        case .ss3: ss3(input, into: &events)
        case .paste: paste(input, into: &events)
        }
    }

    private mutating func normal(_ input: RawInput, into events: inout [InputEvent]) {
        switch input {
        case .scalar(let scalar):
            if scalar.value == 0x1B {
                flushText(into: &events)
                state = .escape
            } else if let key = Self.controlKey(scalar.value) {
                flushText(into: &events)
                events.append(.key(key))
            } else if !(0x80..<0xA0).contains(scalar.value) {
                text.append(scalar)
            }
        case .key(let key):
            flushText(into: &events)
            events.append(.key(key))
        case .event(let event):
            flushText(into: &events)
            events.append(event)
        case .idle:
            flushText(into: &events)
        }
    }

    private mutating func escape(_ input: RawInput, into events: inout [InputEvent]) {
        state = .normal
        switch input {
        case .scalar(let scalar):
            switch scalar.value {
            case 0x5B: // [
                csiParameters = String.UnicodeScalarView()
                state = .csi
            case 0x4F: state = .ss3 // O
            case 0x1B:
                events.append(.key(.escape))
                state = .escape
            case 0x0D: events.append(.key(.altEnter))
            default:
                if let key = Self.controlKey(scalar.value) {
                    events.append(.key(key.with(.alt)))
                } else {
                    events.append(.key(.alt(Character(scalar))))
                }
            }
        case .key(let key):
            events.append(.key(key.with(.alt)))
        case .event(let event):
            events.append(.key(.escape))
            events.append(event)
        case .idle:
            events.append(.key(.escape))
        }
    }

    private mutating func ss3(_ input: RawInput, into events: inout [InputEvent]) {
        state = .normal
        if case .scalar(let scalar) = input, let key = Self.ss3Key(scalar) {
            events.append(.key(key))
            return
        }
        events.append(.key(.alt("O")))
        feed(input, into: &events)
    }

    private mutating func csi(_ input: RawInput, into events: inout [InputEvent]) {
        guard case .scalar(let scalar) = input, (0x20...0x7E).contains(scalar.value) else {
            // Not a sequence after all: ESC [ was Alt+[ followed by ordinary input.
            state = .normal
            events.append(.key(.alt("[")))
            text.append(contentsOf: csiParameters)
            csiParameters = String.UnicodeScalarView()
            feed(input, into: &events)
            return
        }
        if (0x20...0x3F).contains(scalar.value) {
            csiParameters.append(scalar)
            return
        }
        state = .normal
        let parameters = String(csiParameters)
        csiParameters = String.UnicodeScalarView()
        if parameters == "200" && scalar == "~" {
            state = .paste
            pasted = String.UnicodeScalarView()
            terminatorMatched = 0
            return
        }
        if let key = Self.csiKey(parameters: parameters, final: scalar) {
            events.append(.key(key))
        }
    }

    private static let pasteTerminator: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]

    private mutating func paste(_ input: RawInput, into events: inout [InputEvent]) {
        guard case .scalar(let scalar) = input else { return } // keys, idle: keep collecting
        if scalar == Self.pasteTerminator[terminatorMatched] {
            terminatorMatched += 1
            if terminatorMatched == Self.pasteTerminator.count {
                terminatorMatched = 0
                finishPaste(into: &events)
            }
            return
        }
        if terminatorMatched > 0 {
            pasted.append(contentsOf: Self.pasteTerminator[0..<terminatorMatched])
            terminatorMatched = 0
            if scalar == Self.pasteTerminator[0] {
                terminatorMatched = 1
                return
            }
        }
        pasted.append(scalar)
    }

    private mutating func finishPaste(into events: inout [InputEvent]) {
        pasted.append(contentsOf: Self.pasteTerminator[0..<terminatorMatched])
        var result = String.UnicodeScalarView()
        result.reserveCapacity(pasted.count)
        var previousWasReturn = false
        for scalar in pasted {
            if scalar == "\r" {
                result.append("\n")
                previousWasReturn = true
                continue
            }
            if scalar == "\n" && previousWasReturn {
                previousWasReturn = false
                continue
            }
            previousWasReturn = false
            result.append(scalar)
        }
        events.append(.paste(String(result)))
        pasted = String.UnicodeScalarView()
        terminatorMatched = 0
        state = .normal
    }

    private mutating func flushText(into events: inout [InputEvent]) {
        guard !text.isEmpty else { return }
        for character in String(text) {
            events.append(.key(.character(character)))
        }
        text = String.UnicodeScalarView()
    }
}
