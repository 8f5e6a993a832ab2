import Chat
import Foundation
import TerminalUI

/// A file waiting to go with the next message, with its size in tokens (shown above the input).
public struct PendingAttachment: Equatable, Sendable {
    public var attachment: Attachment
    /// Tokens the file adds to the message (its header and fences included).
    public var tokens: Int

    public init(attachment: Attachment, tokens: Int) {
        self.attachment = attachment
        self.tokens = tokens
    }
}

/// Attaching files (`/file PATH`, Alt+A) and exporting (`/export`, Alt+X).
extension ChatUI {
    /// A file was read and measured: keep it for the next message, unless it cannot fit the
    /// context window with what is already attached, which is refused by how much.
    static func attachmentRead(_ attachment: Attachment, tokens: Int, _ state: inout AppState) {
        let attached = state.attachments.reduce(0) { $0 + $1.tokens }
        let room = state.contextLength - attached
        guard tokens <= room else {
            let other = attached > 0 ? " beside the files already attached (\(attached) tokens)" : ""
            note(
                &state,
                "\(attachment.name) is \(tokens) tokens, \(tokens - room) more than the \(state.contextLength)-token context holds\(other); not attached",
                isError: true)
            return
        }
        state.attachments.append(PendingAttachment(attachment: attachment, tokens: tokens))
        let keys = state.keyHints
        note(
            &state,
            "attached \(attachment.name) (\(tokens) tokens); \(keys.key(.send, in: .chat)) sends it, "
                + "\(keys.key(.removeAttachment)) on the empty input removes it")
    }

    /// Backspace on an empty input: the last attachment goes.
    static func removeAttachment(_ state: inout AppState) -> [Effect] {
        guard let removed = state.attachments.popLast() else { return [] }
        note(&state, "removed \(removed.attachment.name)")
        return []
    }

    /// The attachment line above the input: `📎 README.md · 1,234 tokens`.
    static func attachmentLine(_ attachments: [PendingAttachment], keys: KeyHints) -> String? {
        guard !attachments.isEmpty else { return nil }
        let parts = attachments.map { "\($0.attachment.name) · \(groupedThousands($0.tokens)) tokens" }
        return "+ " + parts.joined(separator: "  + ") + "  (\(keys.key(.removeAttachment)) removes)"
    }

    static func groupedThousands(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 && character != "-" { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// Alt+X: the conversation as Markdown, written beside its transcript.
    static func export(_ state: inout AppState) -> [Effect] {
        guard !state.conversation.messages.isEmpty else {
            note(&state, "nothing to export: the conversation is empty")
            return []
        }
        return [.export(state.transcriptSnapshot(), beside: state.transcript.url)]
    }

    /// Alt+A: starts a `/file ` command in the input (Tab completes the path).
    static func startAttaching(_ state: inout AppState) -> [Effect] {
        guard state.input.isEmpty else {
            note(&state, "attach with /file PATH in an empty input (\(state.keyHints.key(.attachFile)) types it)")
            return []
        }
        state.input.setText("/file ")
        return []
    }
}
