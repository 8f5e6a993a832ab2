import Chat
import Foundation

/// Performing the model picker's effects off the UI thread: listing (each endpoint on its own
/// thread, so a slow or dead one delays only its own rows), switching and pulling.
extension Runtime {
    func performModelEffect(_ effect: ModelEffect) {
        let mailbox = self.mailbox
        guard let directory = modelDirectory else {
            switch effect {
            case .list: mailbox.post(.models(.listed(local: [], endpoints: [])))
            case .switchTo: mailbox.post(.models(.switchFailed("this chat cannot switch models")))
            case .pull: mailbox.post(.models(.pullFailed("this chat cannot pull models")))
            case .cancelPull: break
            }
            return
        }
        switch effect {
        case .list:
            work.async {
                let local = directory.localModels()
                let endpoints = directory.endpoints
                mailbox.post(.models(.listed(local: local, endpoints: endpoints)))
                for endpoint in endpoints {
                    Thread.detachNewThread {
                        do throws(ChatAppError) {
                            let models = try directory.remoteModels(of: endpoint)
                            mailbox.post(.models(.endpointListed(endpoint, models: models)))
                        } catch {
                            mailbox.post(.models(.endpointFailed(endpoint, message: error.description)))
                        }
                    }
                }
            }
        case .switchTo(let choice):
            switchModel(to: choice, loader: directory.loader(for: choice))
        case .pull(let reference):
            pullTask?.cancel()
            pullTask = Task.detached {
                do throws(ChatAppError) {
                    let choice = try await directory.pull(reference) { mailbox.post(.models(.pullProgress($0))) }
                    mailbox.post(.models(.pulled(choice)))
                } catch {
                    mailbox.post(.models(.pullFailed(error.description)))
                }
            }
        case .cancelPull:
            pullTask?.cancel()
            pullTask = nil
        }
    }

    /// Loads the new backend on its own thread; only when it is ready does it replace the old
    /// one, which is then shut down. A failure leaves the old backend in place.
    ///
    /// The open conversation's KV cache moves with the switch: the old backend saves it beside
    /// the transcript, the new one restores it only if the file is its own model's (the cache
    /// names the model's fingerprint), so switching back to a local model skips re-reading the
    /// conversation and no model ever reads another's cache.
    private func switchModel(to choice: ModelChoice, loader: @escaping BackendLoader) {
        let mailbox = self.mailbox
        let box = backendBox
        let transcript = lastWritten.flatMap { $0.id == state.transcript.id ? $0.url : nil } ?? state.transcript.url
        let cache = transcript.map { PromptCache.url(for: $0) }
        Thread.detachNewThread {
            let loaded: (backend: any ChatBackend, model: ModelSummary)
            do { loaded = try loader() } catch {
                mailbox.post(.models(.switchFailed(String(describing: error))))
                return
            }
            let old = box.get()
            if let cache {
                old?.savePromptCache(to: cache)
                loaded.backend.restorePromptCache(from: cache)
            }
            box.set(loaded.backend)
            old?.shutDown()
            var model = loaded.model
            // The new template's default system prompt, for F2, as `startLoading` asks it.
            if model.defaultSystemPrompt == nil { model.defaultSystemPrompt = loaded.backend.defaultSystemPrompt() }
            mailbox.post(.models(.switched(model)))
        }
    }
}
