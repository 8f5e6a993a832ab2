import Foundation

/// A conversation as Markdown, for sharing (the chat's export key, `/export`, `parley export`).
///
/// Each message starts with an HTML comment naming its role (`<!-- parley:user -->`, invisible
/// in rendered Markdown) and a heading; the message text follows verbatim, attachments and
/// code fences included, so `messages(in:)` reads the messages back exactly. A message whose
/// own text holds a line that is exactly such a marker is the one thing that does not survive.
public enum TranscriptMarkdown {
    static func marker(_ role: Role) -> String { "<!-- parley:\(role.rawValue) -->" }

    static func heading(_ role: Role) -> String {
        switch role {
        case .system: return "## System prompt"
        case .user: return "## You"
        case .assistant: return "## Assistant"
        }
    }

    /// The Markdown text of `transcript`: title, a line about the model and date, the system
    /// prompt, then every message (for an answer with alternatives, the chosen one, with a
    /// note saying which of how many).
    public static func render(_ transcript: Transcript) -> String {
        var out = "# \(transcript.title)\n\n"
        var about: [String] = []
        if let model = transcript.model { about.append("Model: `\(model.file)`") }
        let formatter = ISO8601DateFormatter()
        about.append("Saved: \(formatter.string(from: transcript.updated))")
        about.append("Exported by Parley")
        out += about.joined(separator: " · ") + "\n"
        var messages = transcript.conversation.messages
        if let system = transcript.conversation.systemPrompt, !system.isEmpty {
            messages.insert(.system(system), at: 0)
        }
        for message in messages {
            out += "\n\(marker(message.role))\n\(heading(message.role))\n\n"
            if message.answers.count > 1 {
                let chosen = (message.answers.firstIndex { $0.content == message.content } ?? 0) + 1
                out += "*Answer \(chosen) of \(message.answers.count) alternatives.*\n\n"
            }
            out += message.content + "\n" // always one, so messages(in:) knows exactly what to take off
        }
        return out
    }

    /// The messages of a Markdown export, system prompt first when there is one, each with its
    /// role and exact text.
    public static func messages(in markdown: String) -> [ChatMessage] {
        var result: [ChatMessage] = []
        var current: (role: Role, lines: [String])?
        func finish() {
            guard let current else { return }
            let role = current.role
            var body = current.lines.dropFirst() // the heading
            if body.first?.isEmpty == true { body = body.dropFirst() }
            if role == .assistant, let first = body.first, first.hasPrefix("*Answer "),
                first.hasSuffix(" alternatives.*")
            {
                body = body.dropFirst(2)
            }
            var text = body.joined(separator: "\n")
            // render() ends each message's text with one newline of its own.
            if text.hasSuffix("\n") { text.removeLast() }
            result.append(ChatMessage(role: role, content: text))
        }
        // Split on U+000A scalars, not Characters: "\r\n" is one Character and would hide a break.
        let lines = markdown.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        for line in lines {
            if let role = Role.allCases.first(where: { line == marker($0) }) {
                finish()
                current = (role, [])
            } else {
                current?.lines.append(line)
            }
        }
        finish()
        return result
    }
}
