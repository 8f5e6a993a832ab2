import Chat
import Foundation
import TerminalUI

/// Performing effects. Quick ones run on the UI thread; listing, loading and token counting
/// run on a work queue and answer through the mailbox. Saves are synchronous and their result is
/// applied at once, so a transcript is on disk (or known unsaved) before the app can quit.
extension Runtime {
    func perform(_ effect: Effect) {
        switch effect {
        case .send(let conversation, let seed):
            guard let backend = backendBox.get() else {
                mailbox.post(.session(.finished(Self.failure("the model is not loaded", seed: seed))))
                return
            }
            let mailbox = self.mailbox
            backend.send(conversation, seed: seed) { event in mailbox.post(.session(event)) }
        case .cancel:
            backendBox.get()?.cancel()
        case .countTokens(let conversation):
            guard let backend = backendBox.get() else { return }
            let mailbox = self.mailbox
            counting.async {
                mailbox.post(.promptTokens(backend.promptTokenCount(conversation), for: conversation))
            }
        case .previewPrompt(let conversation):
            guard let backend = backendBox.get() else { return }
            let mailbox = self.mailbox
            counting.async {
                do throws(ChatError) {
                    mailbox.post(.promptPreviewed(try backend.promptPreview(conversation), for: conversation))
                } catch {
                    mailbox.post(.promptPreviewFailed(error.description, for: conversation))
                }
            }
        case .save(let transcript, let url):
            // The result goes straight back into `update`, not through the mailbox: a key read
            // before the mailbox is drained (Ctrl+Q right after an answer) must already see a
            // failed save as unsaved, or quitting would not know to ask.
            do {
                let written = try store.save(transcript, to: url)
                lastWritten = (transcript.id, written)
                apply(.transcriptSaved(id: transcript.id, url: written))
            } catch {
                apply(.saveFailed(error.description))
            }
        case .loadTranscript(let url):
            latestSearch.set("") // a search still running would hold up the load on the work queue
            do { pendingLock = try TranscriptLock.acquire(url) } catch {
                mailbox.post(.transcriptFailed(error.description))
                return
            }
            let store = self.store
            let mailbox = self.mailbox
            let backendBox = self.backendBox
            // The conversation being left keeps its KV cache, so going back to it is instant.
            let leaving = lastWritten.flatMap { $0.id == state.transcript.id ? $0.url : nil } ?? state.transcript.url
            work.async {
                if let leaving, leaving.standardizedFileURL != url.standardizedFileURL {
                    backendBox.get()?.savePromptCache(to: PromptCache.url(for: leaving))
                }
                do {
                    let transcript = try store.load(url)
                    backendBox.get()?.restorePromptCache(from: PromptCache.url(for: url))
                    mailbox.post(.transcriptOpened(transcript, url))
                } catch {
                    mailbox.post(.transcriptFailed(String(describing: error)))
                }
            }
        case .deleteTranscript(let url):
            do {
                try store.delete(url)
                try? FileManager.default.removeItem(at: PromptCache.url(for: url))
                mailbox.post(.transcriptDeleted(url))
            } catch {
                mailbox.post(.deleteFailed(error.description))
            }
        case .listTranscripts:
            latestSearch.set("")
            let store = self.store
            let mailbox = self.mailbox
            work.async {
                let (summaries, failures) = store.list()
                mailbox.post(.transcriptsListed(summaries, problems: failures.map(\.description)))
            }
        case .copyToClipboard(let text):
            // At once, like a save: the note says where the text went before anything is drawn.
            switch clipboard.copy(text, terminal: terminal) {
            case .success(let how): apply(.copied(how: how))
            case .failure(let error): apply(.copyFailed(error.reason))
            }
        case .persistConfig(let config):
            guard let configURL else { return }
            do { try config.save(to: configURL) } catch { mailbox.post(.configFailed(error.description)) }
        case .bell:
            terminal.bell()
        case .rescue(let transcript, let reason):
            report.append(reason)
            do {
                let url = try store.rescue(transcript, in: rescueDirectory)
                report.append("the conversation was written to \(url.path) instead")
            } catch {
                report.append("\(error.description); the conversation follows as JSON")
                unsavedJSON = TranscriptStore.encode(transcript)
            }
        case .readAttachment(let path):
            readAttachment(path)
        case .completePath(let typed):
            mailbox.post(.pathCompletions(typed: typed, candidates: PathCompletion.candidates(for: typed)))
        case .export(let transcript, let beside):
            export(transcript, beside: beside)
        case .searchTranscripts(let query, let urls):
            search(query, in: urls)
        case .models(let effect):
            performModelEffect(effect)
        case .quit:
            // The loop ends when it sees `state.isQuitting`. On the way out the KV cache (23 KB a
            // token for SmolLM2) is saved beside the transcript, so reopening the conversation
            // in a later run skips re-evaluating it. Shutting the backend down first stops an
            // answer or a template render in progress, which saving would otherwise wait for.
            backendBox.get()?.shutDown()
            pullTask?.cancel()
            let saved = lastWritten.flatMap { $0.id == state.transcript.id ? $0.url : nil }
            if let url = saved ?? state.transcript.url, let backend = backendBox.get() {
                backend.savePromptCache(to: PromptCache.url(for: url))
            }
        }
    }

    static func failure(_ message: String, seed: UInt64) -> Completion {
        Completion.empty(.error, seed: seed, error: message)
    }
}
