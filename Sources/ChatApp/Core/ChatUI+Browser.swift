import Chat
import Foundation
import TerminalUI

/// The transcript browser and its delete confirmation.
extension ChatUI {
    static func performBrowserAction(_ action: Action, _ state: inout AppState) -> [Effect]? {
        if case .confirmDelete(let browser, let summary) = state.overlay {
            switch action {
            case .confirmYes:
                var refreshed = browser
                refreshed.isLoading = true
                var effects: [Effect] = []
                if summary.url.standardizedFileURL == state.transcript.url?.standardizedFileURL {
                    effects = leaveDeletedConversation(&state)
                }
                state.overlay = .browser(refreshed)
                return effects + [.deleteTranscript(summary.url)]
            case .confirmNo:
                state.overlay = .browser(browser)
                return []
            default:
                return nil
            }
        }
        guard case .browser(var browser) = state.overlay else {
            return isBrowserAction(action) ? [] : nil
        }
        let page = max(1, browser.list.viewportHeight - 1)
        switch action {
        case .browserUp: browser.list.moveSelection(by: -1)
        case .browserDown: browser.list.moveSelection(by: 1)
        case .browserPageUp: browser.list.moveSelection(by: -page)
        case .browserPageDown: browser.list.moveSelection(by: page)
        case .browserFilterBackspace:
            if !browser.list.filter.isEmpty { browser.list.setFilter(String(browser.list.filter.dropLast())) }
        case .browserClearFilter: browser.list.setFilter("")
        case .browserClose:
            state.overlay = nil
            return []
        case .browserDelete:
            guard let summary = browser.selectedSummary else { return [.bell] }
            state.overlay = .confirmDelete(browser, summary)
            return []
        case .browserOpen:
            guard let summary = browser.selectedSummary else { return [.bell] }
            state.overlay = nil
            if summary.url.standardizedFileURL == state.transcript.url?.standardizedFileURL { return [] }
            var effects = abandonAnswer(&state)
            effects += saveIfNeeded(&state)
            return effects + [.loadTranscript(summary.url)]
        default:
            return nil
        }
        state.overlay = .browser(browser)
        return []
    }

    /// Deleting the open conversation starts a new chat in its place, without saving the
    /// deleted one: otherwise it stays on screen and the next message writes it back.
    private static func leaveDeletedConversation(_ state: inout AppState) -> [Effect] {
        var effects = abandonAnswer(&state)
        state.isDirty = false
        effects += newConversation(&state)
        state.undo = nil // it was deleted on purpose; putting it back would write it again
        note(&state, "deleted the open conversation: this is a new chat")
        return effects
    }

    private static func isBrowserAction(_ action: Action) -> Bool {
        switch action {
        case .browserUp, .browserDown, .browserPageUp, .browserPageDown, .browserOpen, .browserDelete,
            .browserClose, .browserFilterBackspace, .browserClearFilter, .confirmYes, .confirmNo:
            return true
        default:
            return false
        }
    }

    /// Fills the open browser with a fresh listing.
    static func showListing(_ state: inout AppState, _ summaries: [TranscriptSummary], problems: [String]) {
        guard case .browser(var browser) = state.overlay else { return }
        browser.summaries = summaries
        browser.problems = problems
        browser.isLoading = false
        browser.searchedQuery = "" // a fresh listing is searched again
        browser.searchHits = [:]
        setRows(&browser, timeZone: state.timeZone)
        state.overlay = .browser(browser)
    }

    /// A browser row: the title, then date, message count and model on the right.
    static func listItem(_ summary: TranscriptSummary, timeZone: TimeZone) -> ListItem {
        let count = summary.messageCount == 1 ? "1 msg" : "\(summary.messageCount) msgs"
        var detail = "\(formatDate(summary.updated, timeZone: timeZone)) · \(count)"
        if let model = summary.model { detail += " · " + displayModelName(model) }
        return ListItem(summary.title, detail: detail)
    }

    /// `2026-11-23 14:02` in `timeZone`.
    static func formatDate(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String {
            let v = value ?? 0
            return v < 10 ? "0\(v)" : String(v)
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// A model file name without `.gguf` and its quantization suffix (`.Q4_1`, `-Q4_K_M`, `.f16`),
    /// cut to 24 columns: the status bar's short name.
    static func displayModelName(_ file: String) -> String {
        var base = file.hasSuffix(".gguf") ? String(file.dropLast(5)) : file
        if let range = base.range(of: #"[.-](I?Q\d[A-Za-z0-9_]*|[Bb]?[Ff]16|[Ff]32)$"#, options: .regularExpression) {
            base.removeSubrange(range)
        }
        return DisplayWidth.truncate(base, to: 24)
    }
}
