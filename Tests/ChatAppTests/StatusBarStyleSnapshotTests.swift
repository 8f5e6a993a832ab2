import Chat
import Foundation
import TerminalUI
import TestSupport
import Testing

@testable import ChatApp

/// Which theme slot colours every cell of the status bar and the input line, as text snapshots
/// beside the text itself (issue #12: text snapshots cannot see a status drawn in the wrong
/// colour). A probe theme gives each slot a palette colour of its own, so a cell's colour names
/// its slot; the legend letter is printed in its place (`RECORD_SNAPSHOTS=1` re-records).
struct StatusBarStyleSnapshotTests {
    /// The slots the bottom rows use, each with its letter; any other slot is `?`, the default `.`.
    static let legend: [(ThemeSlot, Character)] = [
        (.status, "s"), (.statusAccent, "a"), (.statusBusy, "b"), (.statusError, "e"), (.notice, "n"),
        (.hint, "h"), (.input, "i"), (.inputPrompt, "p"), (.inputPlaceholder, "l"), (.background, ".")
    ]

    /// A theme in which slot number k is drawn in palette colour 16 + k.
    static let probe: Theme = {
        var styles: [ThemeSlot: Style] = [:]
        for (index, slot) in ThemeSlot.allCases.enumerated() {
            styles[slot] = Style(foreground: .palette(UInt8(16 + index)))
        }
        return Theme(name: "probe", styles: styles)
    }()

    /// The last `rows` rows as text, then the same rows as legend letters.
    static func bottom(_ state: AppState, rows: Int = 2) -> String {
        var state = state
        state.themes = [Self.probe]
        state.themeIndex = 0
        let grid = state.screen
        let slots = Array(ThemeSlot.allCases)
        let range = (grid.height - rows)..<grid.height
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let text = range.map { $0 < lines.count ? lines[$0] : "" }
        let styles = range.map { row in
            String(
                grid.row(row).map { cell -> Character in
                    guard case .palette(let colour) = cell.style.foreground, colour >= 16,
                        Int(colour) - 16 < slots.count
                    else { return "." }
                    let slot = slots[Int(colour) - 16]
                    return Self.legend.first { $0.0 == slot }?.1 ?? "?"
                })
        }
        return (text + ["-- slots: " + Self.legend.map { "\($0.1)=\($0.0.rawValue)" }.joined(separator: " ")] + styles)
            .joined(separator: "\n")
    }

    @Test func idleWithSpeed() {
        var state = Fixture.state(messages: Array(ScreenSnapshotTests.conversation.prefix(2)))
        state.contextUsed = 120
        state.lastTokensPerSecond = 87.25
        assertSnapshot(text: Self.bottom(state), named: "status-styles-idle")
    }

    /// Where the model runs (issue #14): a wide bar says "@ local"; a narrow one drops just that
    /// (after the help hint) before anything else, and a remote model keeps its "@ host" even then.
    @Test func whereTheModelRunsFitsTheWidth() {
        func statusRow(_ state: AppState) -> String {
            String(state.screen.text.split(separator: "\n", omittingEmptySubsequences: false)[state.size.height - 2])
        }
        let wide = Fixture.state(width: 120)
        #expect(statusRow(wide).contains("SmolLM2-135M-Instruct @ local │ ctx –/2048"), "\(statusRow(wide))")
        let narrow = Fixture.state(width: 80)
        #expect(statusRow(narrow).contains("SmolLM2-135M-Instruct │ ctx –/2048"), "\(statusRow(narrow))")
        var model = Fixture.model
        model.location = "gpu-box:8000"
        let remote = Fixture.state(width: 80, model: model)
        #expect(statusRow(remote).contains("@ gpu-box:8000 │"), "\(statusRow(remote))")
    }

    @Test func generating() {
        var state = Fixture.state(messages: Array(ScreenSnapshotTests.conversation.prefix(2)))
        state.type("And in French?")
        state.press(.enter)
        state.apply(
            .session(.started(promptTokens: 60, cachedTokens: 50)), .session(.delta(AnswerDelta(text: "Je peux "))))
        state.type("next")
        assertSnapshot(text: Self.bottom(state), named: "status-styles-generating")
    }

    @Test func failedAnswer() {
        var state = Fixture.state()
        state.type("Hello")
        state.press(.enter)
        state.apply(.session(.finished(Fixture.completion("", .error, tokens: 0, error: "the message is too long"))))
        assertSnapshot(text: Self.bottom(state), named: "status-styles-error")
    }

    @Test func noticeAndErrorNotice() {
        var state = Fixture.state()
        state.notice = Notice(text: "saved transcripts/a.json", isError: false, expires: .seconds(5))
        let plain = Self.bottom(state)
        state.notice = Notice(text: "could not save: disk full", isError: true, expires: .seconds(5))
        assertSnapshot(text: plain + "\n\n" + Self.bottom(state), named: "status-styles-notices")
    }
}
