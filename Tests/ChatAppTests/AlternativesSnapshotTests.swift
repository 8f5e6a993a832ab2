import Chat
import ChatApp
import Foundation
import TerminalUI
import TestSupport
import Testing

/// Text-grid snapshots of alternatives, the probability view and both inspectors
/// (`RECORD_SNAPSHOTS=1` re-records).
struct AlternativesSnapshotTests {
    static let answers = [
        "The capital of France is Paris. It has been the capital since 987.",
        "Paris is the capital of France, on the Seine.",
        "France's capital city is Paris."
    ]

    func state(probabilityView: Bool = false) -> AppState {
        var state = Fixture.state(messages: [
            .user("What is the capital of France?"), Fixture.alternatives(Self.answers)
        ])
        state.transcript.title = "What is the capital of France?"
        state.contextUsed = 80
        state.press(.alt("."))
        state.notice = nil
        if probabilityView {
            state.press(.alt("l"))
            state.notice = nil
        }
        return state
    }

    @Test func alternativesMarker() {
        assertSnapshot(state().screen, named: "alternatives-marker")
    }

    @Test func probabilityView() {
        assertSnapshot(state(probabilityView: true).screen, named: "probability-view")
    }

    /// Which band every cell of the pane is drawn in (1–4, from likely to unlikely; `.` for
    /// anything else), through a theme that gives each band a colour of its own.
    @Test func probabilityViewStyles() {
        let bands = Dictionary(
            uniqueKeysWithValues: ProbabilityBand.allCases.map {
                ($0.slot, Style(foreground: .palette(UInt8(200 + $0.rawValue))))
            })
        var styles: [ThemeSlot: Style] = [.background: .plain]
        styles.merge(bands) { $1 }
        var state = state(probabilityView: true)
        state.themes = [Theme(name: "probe", styles: styles)]
        state.themeIndex = 0
        let grid = state.screen
        var rows: [String] = []
        for row in 0..<(grid.height - 2) {
            rows.append(
                String(
                    grid.row(row).map { cell -> Character in
                        guard case .palette(let index) = cell.style.foreground, index >= 200 else {
                            return cell.isContinuation ? " " : "."
                        }
                        return Character(String(index - 199))
                    }))
        }
        assertSnapshot(text: rows.joined(separator: "\n"), named: "probability-view-styles")
        // Mono keeps the bands apart with attributes alone.
        let mono = ThemeCatalog().theme(named: "mono")
        let attributes = ProbabilityBand.allCases.map { mono?[$0.slot].attributes }
        #expect(Set(attributes.map { $0?.rawValue }).count == ProbabilityBand.allCases.count)
    }

    @Test func tokenInspector() {
        var state = state()
        state.press(.alt("i"))
        state.press(.right, .right, .right)
        assertSnapshot(state.screen, named: "token-inspector")
    }

    @Test func promptInspector() {
        var state = state()
        state.press(.alt("m"))
        guard case .promptInspector(let inspector) = state.overlay else {
            Issue.record("no prompt inspector")
            return
        }
        let preview = (try? SimulatedBackend().promptPreview(inspector.conversation))
        state.apply(.promptPreviewed(preview ?? PromptPreview(tokens: [], pieces: []), for: inspector.conversation))
        let grid = state.screen
        assertSnapshot(grid, named: "prompt-inspector")
        // Token boundaries show as alternating styles: "<|im_start|>" then "user" (the next token).
        let row = (0..<grid.height).first { grid.row($0).map(\.text).joined().contains("<|im_start|>user") } ?? 0
        let start =
            grid.row(row).map(\.text).joined().range(of: "<|im_start|>user").map {
                grid.row(row).map(\.text).joined().distance(
                    from: grid.row(row).map(\.text).joined().startIndex, to: $0.lowerBound)
            } ?? 0
        let theme = state.theme
        #expect(grid[row, start].style == theme[.tokenEven] && grid[row, start + 12].style == theme[.tokenOdd])
    }

    @Test func parameterPanelHasNAndLogprobs() {
        var state = Fixture.state()
        state.press(.function(3))
        let text = state.screen.text
        #expect(text.contains("n                  1") && text.contains("logprobs           off"))
        #expect(text.contains("top_logprobs       0"))
    }
}
