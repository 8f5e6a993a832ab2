import Chat
import Foundation
import TerminalUI

/// The status bar: model, context gauge, temperature, max tokens, speed, transcript and state,
/// with a notice (or the help hint) on the right. Narrow screens drop the least useful parts.
enum StatusBar {
    static let spinner: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    private struct Segment {
        var text: String
        var slot: ThemeSlot
        /// Higher survives longer on a narrow screen.
        var priority: Int
        /// A shorter text, used as soon as the bar does not fit.
        var compact: String? = nil
    }

    static func draw(_ state: AppState, rect: Rect, into grid: inout ScreenGrid) {
        let theme = state.theme
        grid.fill(rect, style: theme[.status])
        var left = segments(state)
        var right: Segment? = rightSegment(state)
        func width() -> Int {
            let leftWidth = left.reduce(0) { $0 + DisplayWidth.of($1.text) + 3 } - 2
            return leftWidth + (right.map { DisplayWidth.of($0.text) + 2 } ?? 0)
        }
        // Drop the least useful part until the rest fits; state, temperature and max tokens stay,
        // and so does a notice, cut to the room left (a long one, with a path, was dropped whole).
        while width() > rect.width {
            // The help hint goes first (the input line names F1 too), then a shorter form.
            if let candidate = right, candidate.priority <= 1 {
                right = nil
                continue
            }
            if let long = left.firstIndex(where: { $0.compact != nil }), let compact = left[long].compact {
                left[long].text = compact
                left[long].compact = nil
                continue
            }
            let lowest = left.indices.filter { left[$0].priority < 10 }.min { left[$0].priority < left[$1].priority }
            if let candidate = right,
                candidate.priority <= (lowest.map { left[$0].priority } ?? (candidate.priority >= 9 ? -1 : Int.max))
            {
                right = nil
            } else if let lowest {
                left.remove(at: lowest)
            } else {
                break
            }
        }
        var col = rect.col + 1
        for (index, segment) in left.enumerated() {
            if index > 0 { col = grid.write(" │ ", row: rect.row, col: col, style: theme[.status], clip: rect) }
            col = grid.write(segment.text, row: rect.row, col: col, style: theme[segment.slot], clip: rect)
        }
        guard let right else { return }
        let room = rect.right - col - 2
        guard room > 0 else { return }
        let fitted = DisplayWidth.truncate(right.text, to: room)
        grid.write(
            fitted, row: rect.row, col: rect.right - 1 - DisplayWidth.of(fitted), style: theme[right.slot], clip: rect)
    }

    private static func segments(_ state: AppState) -> [Segment] {
        let p = state.conversation.parameters
        let context = state.model.map { String($0.contextLength) } ?? "–"
        // The last token sampled is never fed back, so prompt + answer can be one past the window.
        let used = state.contextUsed.map { String(min($0, state.contextLength)) } ?? "–"
        var list = [
            // Where a remote model runs matters more than the gauges (it is what a switch changed).
            Segment(
                text: modelName(state), slot: .statusAccent, priority: state.model?.location == nil ? 4 : 7,
                compact: state.model.flatMap {
                    $0.location == nil ? ChatUI.displayModelName($0.fileName) + baseModelTag($0) : nil
                }),
            Segment(text: "ctx \(used)/\(context)", slot: .status, priority: 6),
            Segment(text: "temp \(ParameterField.number(p.temperature))", slot: .status, priority: 10),
            Segment(text: "max \(p.maxTokens)", slot: .status, priority: 10)
        ]
        if let rate = tokensPerSecond(state) {
            list.append(Segment(text: String(format: "%.1f tok/s", rate), slot: .status, priority: 5))
        }
        if let drafts = state.lastDrafts, drafts.drafted > 0 {
            // Speculative decoding: the share of drafted tokens the model accepted.
            let percent = Int((Double(drafts.accepted) / Double(drafts.drafted) * 100).rounded())
            list.append(
                Segment(
                    text: "spec \(percent)% (\(drafts.accepted)/\(drafts.drafted))", slot: .status, priority: 3))
        }
        if p.n > 1 { list.append(Segment(text: "n \(p.n)", slot: .status, priority: 7)) }
        if let perplexity = ChatUI.shownPerplexity(state) {
            list.append(Segment(text: String(format: "ppl %.2f", perplexity), slot: .status, priority: 5))
        }
        list.append(Segment(text: DisplayWidth.truncate(state.transcript.title, to: 24), slot: .status, priority: 2))
        list.append(stateSegment(state))
        return list
    }

    private static func modelName(_ state: AppState) -> String {
        guard let model = state.model else {
            return state.modelSwitch.map { "→ " + DisplayWidth.truncate($0.target.name, to: 24) } ?? "no model yet"
        }
        // Both say where they run, so a switch between this CPU and a server is plain to see; a
        // bar without room drops " @ local" first (no "@ host" says local too).
        guard let host = model.location else {
            return ChatUI.displayModelName(model.fileName) + baseModelTag(model) + " @ local"
        }
        return DisplayWidth.truncate(model.fileName, to: 24) + baseModelTag(model) + " @ " + host
    }

    /// Stays beside the name for as long as the model answers: the start-up notice about a
    /// base model is gone after a few seconds, and its odd answers go on.
    private static func baseModelTag(_ model: ModelSummary) -> String { model.isBaseModel ? " (base)" : "" }

    /// The live rate while an answer streams, else the last answer's.
    private static func tokensPerSecond(_ state: AppState) -> Double? {
        if let answer = state.answer, let first = answer.firstTokenAt, answer.tokens > 1 {
            let elapsed = Double((state.now.value - first) / .milliseconds(1)) / 1000
            if elapsed > 0.05 { return Double(answer.tokens - 1) / elapsed }
        }
        return state.lastTokensPerSecond
    }

    private static func stateSegment(_ state: AppState) -> Segment {
        let spin = String(spinner[state.spinnerFrame % spinner.count])
        switch state.activity {
        case .loadingModel: return Segment(text: "loading model \(spin)", slot: .statusBusy, priority: 10)
        case .thinking:
            // A prompt that takes more than half a second shows how far it has been read.
            if let answer = state.answer, let progress = answer.promptProgress,
                state.now.value - answer.sentAt >= .milliseconds(500)
            {
                return Segment(
                    text:
                        "reading prompt \(progress.evaluated)/\(progress.total) \(spin) (\(state.keyHints.key(.stop, in: .chat)) stops)",
                    slot: .statusBusy, priority: 10)
            }
            return Segment(text: "thinking \(spin)", slot: .statusBusy, priority: 10)
        case .generating:
            let count = state.answer?.tokens ?? 0
            return Segment(text: "generating \(spin) \(count) tok", slot: .statusBusy, priority: 10)
        case .stopping: return Segment(text: "stopping…", slot: .statusBusy, priority: 10)
        case .idle:
            if let error = state.lastError {
                return Segment(text: "error: " + DisplayWidth.truncate(error, to: 60), slot: .statusError, priority: 10)
            }
            return Segment(text: "idle", slot: .statusAccent, priority: 10)
        }
    }

    /// A notice (kept unless nothing else fits) or the help hint (dropped first).
    private static func rightSegment(_ state: AppState) -> Segment {
        if let notice = state.notice {
            return Segment(text: notice.text, slot: notice.isError ? .statusError : .notice, priority: 9)
        }
        return Segment(text: "\(state.keyHints.key(.showHelp, in: .chat)) help", slot: .status, priority: 1)
    }
}
