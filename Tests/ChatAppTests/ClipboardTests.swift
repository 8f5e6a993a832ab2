import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Copying says where the text went, or that no clipboard could be reached (issue #17,
/// "Sharing"): inside tmux without `set-clipboard on`, in GNU screen, on the Linux console, or
/// when the write to the terminal fails. Clipboard programs are stand-in scripts on a private
/// `PATH`, run for real.
struct ClipboardTests {
    /// A folder of executable shell scripts, name to body, as a private `PATH`.
    private func programs(_ scripts: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-clip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, body) in scripts {
            let url = folder.appendingPathComponent(name)
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return folder
    }

    /// A terminal whose writes fail (its tty is gone).
    final class BrokenTerminal: Terminal {
        var size = TerminalSize(width: 80, height: 24)
        func draw(_ grid: ScreenGrid) {}
        func setCursor(_ position: GridPosition?) {}
        func nextEvent(timeout: Duration?) -> InputEvent? { nil }
        func setClipboard(_ text: String) {}
        func writeClipboard(_ text: String) -> Bool { false }
        func bell() {}
        func shutdown() {}
    }

    @Test func routesFollowTheEnvironment() throws {
        let empty = try programs([:])
        defer { try? FileManager.default.removeItem(at: empty) }
        func route(_ environment: [String: String], tmux: String? = nil) -> Clipboard.Route {
            Clipboard(environment: environment.merging(["PATH": empty.path]) { $1 }).route { tmux }
        }
        #expect(route(["TERM": "xterm-256color"]) == .terminal(via: "the terminal (OSC 52)"))
        #expect(
            route(["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"], tmux: "on")
                == .terminal(via: "tmux (set-clipboard on)"))
        for (environment, tmux, expected) in [
            (
                ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"], "external",
                "tmux's set-clipboard is external"
            ),
            (["TERM": "screen", "TMUX": "/tmp/tmux-0/default,1,0"], nil, "tmux's set-clipboard is unknown"),
            (["TERM": "screen", "STY": "1234.pts-0.host"], nil, "GNU screen"),
            (["TERM": "linux"], nil, "TERM=linux has no clipboard"),
            ([:], nil, "TERM=(unset) has no clipboard")
        ] as [([String: String], String?, String)] {
            guard case .unreachable(let reason) = route(environment, tmux: tmux) else {
                Issue.record("\(environment) should reach no clipboard")
                continue
            }
            #expect(reason.hasPrefix(expected) && reason.contains("no wl-copy, xclip or xsel"), "\(reason)")
        }
        // A display without a clipboard program changes nothing.
        #expect(route(["TERM": "linux", "DISPLAY": ":0"]) != .terminal(via: "the terminal (OSC 52)"))
    }

    @Test func aClipboardProgramWithADisplayIsUsedAndFed() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-clip-out-\(UUID().uuidString)")
        let folder = try programs([
            "xclip": "[ \"$1 $2\" = '-selection clipboard' ] || exit 3\n/bin/cat > \"$CLIP_OUT\""
        ])
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: output)
        }
        let clipboard = Clipboard(environment: [
            "PATH": folder.path, "DISPLAY": ":0", "TERM": "linux", "CLIP_OUT": output.path
        ])
        let terminal = FakeTerminal()
        let text = "ls -la\n# «quoted» 🙂\n"
        #expect(try clipboard.copy(text, terminal: terminal).get() == "to the clipboard (xclip)")
        #expect(try String(contentsOf: output, encoding: .utf8) == text)
        #expect(terminal.clipboard.isEmpty, "no OSC 52 when a program took the text")
    }

    @Test func aFailingProgramOrTerminalIsReportedNotClaimed() throws {
        let folder = try programs(["wl-copy": "/bin/cat > /dev/null; exit 1"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let failing = Clipboard(environment: ["PATH": folder.path, "WAYLAND_DISPLAY": "wayland-0", "TERM": "xterm"])
        #expect(failing.copy("x", terminal: FakeTerminal()) == .failure(ClipboardError(reason: "wl-copy failed")))
        let broken = Clipboard(environment: ["PATH": "", "TERM": "xterm-256color"])
        #expect(
            broken.copy("x", terminal: BrokenTerminal())
                == .failure(ClipboardError(reason: "writing the clipboard sequence to the terminal failed")))
    }

    /// The whole path in the app: inside tmux whose `set-clipboard` is `external` (asked from
    /// a stand-in `tmux`), Alt+C says nothing was copied, and nothing is sent to the terminal.
    @Test func tmuxWithoutSetClipboardSaysSoInTheStatusBar() throws {
        let folder = try programs(["tmux": "[ \"$*\" = 'show-options -sv set-clipboard' ] && echo external"])
        let transcripts = FileManager.default.temporaryDirectory.appendingPathComponent(
            "parley-clip-t-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: transcripts)
        }
        let terminal = ScriptedTerminal(steps: [
            .when("idle", .paste("Hello there")), .key(.enter),
            .key(.alt("c"), when: "You said: Hello there"),
            .key(.ctrl("q"), when: "not copied")
        ])
        let state = AppState(
            size: terminal.size, transcriptID: "clipboard-test", created: Fixture.created, randomSeed: 9)
        let runtime = Runtime(
            terminal: terminal, state: state, loader: SimulatedBackend.loader(SimulatedBackend()),
            store: TranscriptStore(directory: transcripts), configURL: nil)
        runtime.clipboard = Clipboard(environment: [
            "PATH": folder.path, "TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"
        ])
        _ = runtime.run()
        #expect(terminal.timedOutWaitingFor == nil, "\(terminal.screenText)")
        let screens = terminal.drawn.map(\.text)
        #expect(
            screens.contains { $0.contains("not copied: tmux's set-clipboard is external") }, "\(terminal.screenText)")
        #expect(!screens.contains { $0.contains("copied the last answer") }, "success was claimed")
        #expect(terminal.clipboard.isEmpty)
    }

    /// Where OSC 52 works, the note says the text went through the terminal.
    @Test func aCopyThroughTheTerminalSaysHow() {
        var state = Fixture.state(messages: Fixture.pairs(1))
        #expect(state.press(.alt("c")) == [.copyToClipboard("Answer 0 is a short reply that fits on one line.")])
        state.apply(.copied(how: "through the terminal (OSC 52)"))
        #expect(state.notice?.text == "copied the last answer through the terminal (OSC 52)")
        state.press(.alt("c"))
        state.apply(.copyFailed("TERM=linux has no clipboard"))
        #expect(state.notice?.text == "not copied: TERM=linux has no clipboard")
        #expect(state.notice?.isError == true)
    }
}
