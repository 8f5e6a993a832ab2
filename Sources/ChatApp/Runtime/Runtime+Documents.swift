import Chat
import Foundation
import TerminalUI

/// Effects for documents and finding conversations: reading an attachment, completing a
/// path, exporting Markdown and searching transcripts. Slow ones run off the UI thread.
extension Runtime {
    /// Reads the file and measures it in tokens, on the counting queue (which may wait for the
    /// session while an answer runs).
    func readAttachment(_ path: String) {
        let mailbox = self.mailbox
        guard let backend = backendBox.get() else {
            mailbox.post(.attachmentFailed("the model is still loading; attach the file when it is ready"))
            return
        }
        counting.async {
            do throws(ChatError) {
                let attachment = try Attachment.read(path: path)
                let tokens = Runtime.tokens(of: attachment, backend: backend)
                mailbox.post(.attachmentRead(attachment, tokens: tokens))
            } catch {
                // The status bar has room for the file's name and the reason, not a long path.
                if case .attachmentRefused(let refused, let reason) = error {
                    mailbox.post(
                        .attachmentFailed("cannot attach \((refused as NSString).lastPathComponent): \(reason)"))
                } else {
                    mailbox.post(.attachmentFailed(error.description))
                }
            }
        }
    }

    /// What the attachment adds to a message: the prompt of a message holding only it, less
    /// that of an empty message (the template's own tokens).
    static func tokens(of attachment: Attachment, backend: any ChatBackend) -> Int {
        let with = Conversation(messages: [.user(Attachment.compose(typed: "", attachments: [attachment]))])
        let without = Conversation(messages: [.user("")])
        return max(0, backend.promptTokenCount(with) - backend.promptTokenCount(without))
    }

    /// Writes the Markdown export beside the transcript (`NAME.md` for `NAME.json`).
    func export(_ transcript: Transcript, beside url: URL?) {
        let target = (url ?? store.url(for: transcript)).deletingPathExtension().appendingPathExtension("md")
        do {
            try AtomicFile.write(Data(TranscriptMarkdown.render(transcript).utf8), to: target)
            mailbox.post(.exported(target))
        } catch {
            mailbox.post(.exportFailed("cannot export: \(error.description)"))
        }
    }

    /// Searches on the work queue; a newer search makes an older one stop.
    func search(_ query: String, in urls: [URL]) {
        let mailbox = self.mailbox
        let latest = latestSearch
        latest.set(query)
        work.async {
            TranscriptSearch.run(query, in: urls, shouldStop: { latest.get() != query }) { hits, done in
                mailbox.post(.transcriptsSearched(query: query, hits: hits, done: done))
            }
        }
    }
}

/// Tab completion of file paths for `/file`.
enum PathCompletion {
    /// The paths that complete `typed`: entries of its folder whose names start with its last
    /// part (hidden ones only when that part starts with a dot), folders ending in `/`, sorted.
    /// `~` is kept as typed. At most 200 are returned.
    static func candidates(for typed: String) -> [String] {
        let slash = typed.lastIndex(of: "/")
        let folderPart = slash.map { String(typed[...$0]) } ?? ""
        let namePart = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
        let folder = folderPart.isEmpty ? "." : (folderPart as NSString).expandingTildeInPath
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }
            .sorted()
            .prefix(200)
            .map { name in
                var isDirectory: ObjCBool = false
                let full = (folder as NSString).appendingPathComponent(name)
                _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
                return folderPart + name + (isDirectory.boolValue ? "/" : "")
            }
    }
}
