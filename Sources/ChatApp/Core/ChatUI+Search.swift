import Chat
import Foundation
import TerminalUI

/// The browser's full-text search: typing a filter searches every message of every saved
/// conversation (in the runtime, newest first), and matches show their matching line.
extension ChatUI {
    /// Starts a search when the browser's filter is not the query already searched; an
    /// emptied filter drops the previews at once.
    static func searchIfFilterChanged(_ state: inout AppState) -> [Effect] {
        guard case .browser(var browser) = state.overlay, !browser.isLoading else { return [] }
        let query = browser.list.filter.trimmingCharacters(in: .whitespaces)
        guard query != browser.searchedQuery else { return [] }
        browser.searchedQuery = query
        browser.searchHits = [:]
        browser.isSearching = !query.isEmpty
        if query.isEmpty { setRows(&browser, timeZone: state.timeZone) }
        state.overlay = .browser(browser)
        return query.isEmpty ? [] : [.searchTranscripts(query, in: browser.summaries.map(\.url))]
    }

    /// Search results for `query`: rows with a match show the matching line as their detail.
    static func showSearchHits(_ state: inout AppState, query: String, hits: [TranscriptSearch.Hit], done: Bool) {
        guard case .browser(var browser) = state.overlay, browser.searchedQuery == query else { return }
        browser.searchHits = Dictionary(hits.map { ($0.url, $0.preview) }, uniquingKeysWith: { first, _ in first })
        browser.isSearching = !done
        setRows(&browser, timeZone: state.timeZone)
        state.overlay = .browser(browser)
    }

    /// The list rows for the browser's summaries, with previews where the search found a match.
    static func setRows(_ browser: inout TranscriptBrowser, timeZone: TimeZone) {
        let hits = browser.searchHits
        browser.list.setItems(
            browser.summaries.map { summary in
                guard let preview = hits[summary.url] else { return listItem(summary, timeZone: timeZone) }
                return ListItem(summary.title, detail: "“\(preview)”")
            })
    }
}
