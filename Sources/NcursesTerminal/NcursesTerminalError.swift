/// Why the ncurses terminal could not start.
public enum NcursesTerminalError: Error, CustomStringConvertible, Equatable {
    /// Standard input or output is not a terminal (piped, redirected, or run from CI).
    case notATerminal
    /// ncurses could not set up the terminal, usually because `TERM` names no terminfo entry.
    case initializationFailed(term: String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "parley's chat screen needs a terminal: standard input and output must not be redirected"
        case .initializationFailed(let term):
            return "could not start the terminal screen for TERM=\(term.isEmpty ? "(unset)" : term); "
                + "try TERM=xterm-256color"
        }
    }
}
