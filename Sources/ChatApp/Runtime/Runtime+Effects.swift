import Chat
import Foundation
import TerminalUI

/// Performing effects. Quick ones run on the UI thread; listing, loading and token counting
/// run on a work queue and answer through the mailbox. Saves are synchronous, so a transcript
/// is on disk before the app quits.
extension Runtime {
    func perform(_ effect: Effect) {
        switch effect {
        case let .send(conversation, seed):
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
        case let .save(transcript, url):
            do {
                let written = try store.save(transcript, to: url)
                mailbox.post(.transcriptSaved(id: transcript.id, url: written))
                lastWritten = (transcript.id, written)
            } catch {
                mailbox.post(.saveFailed(error.description))
            }
        case .loadTranscript(let url):
            let store = self.store
            let mailbox = self.mailbox
            let backendBox = self.backendBox
            work.async {
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
            let store = self.store
            let mailbox = self.mailbox
            work.async {
                let (summaries, failures) = store.list()
                mailbox.post(.transcriptsListed(summaries, problems: failures.map(\.description)))
            }
        case .copyToClipboard(let text):
            terminal.setClipboard(text)
        case .persistConfig(let config):
            guard let configURL else { return }
            do { try config.save(to: configURL) } catch { mailbox.post(.configFailed(error.description)) }
        case .bell:
            terminal.bell()
        case .quit:
            // The loop ends when it sees `state.isQuitting`. On the way out the KV cache (23 KB a
            // token for SmolLM2) is saved beside the transcript, so reopening the conversation
            // in a later run skips re-evaluating it.
            let saved = lastWritten.flatMap { $0.id == state.transcript.id ? $0.url : nil }
            if let url = saved ?? state.transcript.url, let backend = backendBox.get() {
                backend.savePromptCache(to: PromptCache.url(for: url))
            }
        }
    }

    static func failure(_ message: String, seed: UInt64) -> Completion {
        Completion(
            text: "", reason: .error, usage: Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0), seed: seed, error: message)
    }
}
