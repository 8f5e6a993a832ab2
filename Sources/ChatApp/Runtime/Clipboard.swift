import Foundation
import TerminalUI

/// Where copied text goes, and whether it can get there.
///
/// A clipboard program wins when the session has a display for it (`wl-copy` under Wayland,
/// `xclip` or `xsel` under X11): it either works or says it failed. Otherwise the text goes
/// through the terminal (OSC 52), but only where that can work: tmux passes OSC 52 on only with
/// `set-clipboard on` (its default, `external`, keeps it), GNU screen never does, and the Linux
/// console and dumb terminals have no clipboard at all. Where it cannot, the person is told so
/// instead of "copied", with what would make it work.
public struct Clipboard: Sendable {
    /// The variables that decide the route (`PATH`, `DISPLAY`, `WAYLAND_DISPLAY`, `TMUX`, `STY`,
    /// `TERM`); also the environment the programs run with.
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// How a copy is made.
    public enum Route: Equatable, Sendable {
        /// A clipboard program at `path`, fed the text on standard input.
        case program(path: String, arguments: [String], name: String)
        /// OSC 52 through the terminal; `via` says through what ("the terminal", "tmux").
        case terminal(via: String)
        /// No clipboard can be reached; the reason says why and what would help.
        case unreachable(String)
    }

    /// The route for this environment; `tmuxSetClipboard` asks the running tmux for its option.
    public func route(tmuxSetClipboard: () -> String? = { nil }) -> Route {
        let has = { (name: String) in !(environment[name] ?? "").isEmpty }
        if has("WAYLAND_DISPLAY"), let path = program("wl-copy") {
            return .program(path: path, arguments: [], name: "wl-copy")
        }
        if has("DISPLAY") {
            if let path = program("xclip") {
                return .program(path: path, arguments: ["-selection", "clipboard"], name: "xclip")
            }
            if let path = program("xsel") {
                return .program(path: path, arguments: ["--clipboard", "--input"], name: "xsel")
            }
        }
        let tools = "no wl-copy, xclip or xsel with a display"
        if has("TMUX") {
            let option = tmuxSetClipboard()
            if option == "on" { return .terminal(via: "tmux (set-clipboard on)") }
            return .unreachable(
                "tmux's set-clipboard is \(option ?? "unknown") (`tmux set -s set-clipboard on` lets "
                    + "the terminal's clipboard through), and \(tools)")
        }
        if has("STY") {
            return .unreachable("GNU screen keeps the terminal's clipboard (OSC 52) from it, and \(tools)")
        }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "linux" {
            return .unreachable("TERM=\(term.isEmpty ? "(unset)" : term) has no clipboard, and \(tools)")
        }
        return .terminal(via: "the terminal (OSC 52)")
    }

    /// Copies `text` by the route this environment allows: where it went, or why it did not.
    public func copy(_ text: String, terminal: any Terminal) -> Result<String, ClipboardError> {
        switch route(tmuxSetClipboard: { tmuxSetClipboard() }) {
        case .program(let path, let arguments, let name):
            guard let result = Self.run(path, arguments, input: Data(text.utf8), environment: environment),
                result.status == 0
            else { return .failure(ClipboardError(reason: "\(name) failed")) }
            return .success("to the clipboard (\(name))")
        case .terminal(let via):
            guard terminal.writeClipboard(text) else {
                return .failure(ClipboardError(reason: "writing the clipboard sequence to the terminal failed"))
            }
            return .success("through \(via)")
        case .unreachable(let reason):
            return .failure(ClipboardError(reason: reason))
        }
    }

    /// tmux's `set-clipboard` (`on`, `external`, `off`), asked from the server this session is in.
    func tmuxSetClipboard() -> String? {
        guard let tmux = program("tmux"),
            let result = Self.run(
                tmux, ["show-options", "-sv", "set-clipboard"], input: nil, environment: environment,
                capture: true),
            result.status == 0
        else { return nil }
        let value = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// The executable `name` on this environment's `PATH`, if any.
    func program(_ name: String) -> String? {
        for folder in (environment["PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a program with `input` on its standard input, waiting at most 2 s (a clipboard
    /// program that hangs must not hang the chat); its output is read only when `capture`.
    static func run(
        _ path: String, _ arguments: [String], input: Data?, environment: [String: String],
        capture: Bool = false
    ) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        // xclip and wl-copy stay behind to serve the selection: they must not hold our pipes.
        process.standardOutput = capture ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        if let input {
            // From an unlinked private file, not a pipe: a program that exits without reading
            // cannot raise SIGPIPE in the chat, and one that never reads cannot block it.
            guard let file = privateFile(holding: input) else { return nil }
            process.standardInput = file
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { return nil }
        guard exited.wait(timeout: .now() + 2) == .success else {
            process.terminate()
            return nil
        }
        let text = capture ? String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) : ""
        return (process.terminationStatus, text)
    }

    /// `data` in a new `0600` file that is already unlinked, open for reading from the start.
    private static func privateFile(holding data: Data) -> FileHandle? {
        let name = "parley-copy-\(UUID().uuidString)"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { return nil }
        unlink(path)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.seek(toOffset: 0)
        } catch {
            return nil
        }
        return handle
    }
}

/// Why copied text reached no clipboard.
public struct ClipboardError: Error, Equatable, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
