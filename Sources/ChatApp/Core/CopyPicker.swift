import Chat
import Foundation
import TerminalUI

/// The copy picker (Alt+K): every message and every fenced code block of the conversation,
/// newest first, to copy one to the clipboard; typing filters the list.
public struct CopyPicker: Equatable, Sendable {
    public var list: ListView
    /// The text each row copies, by item index.
    public var texts: [String]

    public init(conversation: Conversation, viewportHeight: Int) {
        var items: [ListItem] = []
        var texts: [String] = []
        let messages = conversation.messages
        for (index, message) in messages.enumerated().reversed() {
            let number = index + 1
            if message.role == .assistant {
                for (blockIndex, block) in CodeBlocks.extract(message.content).enumerated().reversed() {
                    items.append(
                        ListItem(
                            Self.firstLine(block.code),
                            detail: "\(block.language ?? "code") block \(blockIndex + 1) · answer \(number)"))
                    texts.append(block.code)
                }
            }
            let (files, typed) =
                message.role == .user
                ? Attachment.split(message.content) : (names: [String](), typed: message.content)
            let label = message.role == .user ? "you" : "answer"
            let attached = files.isEmpty ? "" : " + " + files.joined(separator: ", ")
            items.append(
                ListItem(
                    Self.firstLine(typed.isEmpty ? message.content : typed),
                    detail: "\(label) \(number)\(attached)"))
            texts.append(message.content)
        }
        self.list = ListView(items: items, viewportHeight: viewportHeight)
        self.texts = texts
    }

    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return line.trimmingCharacters(in: .whitespaces).isEmpty ? "(empty)" : line.trimmingCharacters(in: .whitespaces)
    }

    /// The text of the selected row.
    public var selectedText: String? {
        list.selectedIndex.flatMap { texts.indices.contains($0) ? texts[$0] : nil }
    }
}

/// Fenced code blocks in Markdown text, as `MarkdownLite` draws them: ``` or ~~~ (three or
/// more) open a block, the same character at least as many times closes it; an unclosed block
/// runs to the end.
enum CodeBlocks {
    struct Block: Equatable {
        var language: String?
        var code: String
    }

    static func extract(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var open: (marker: Character, length: Int, language: String?, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if var current = open {
                let run = trimmed.prefix { $0 == current.marker }
                if run.count >= current.length && trimmed.dropFirst(run.count).allSatisfy({ $0 == " " }) {
                    blocks.append(Block(language: current.language, code: current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    current.lines.append(line)
                    open = current
                }
                continue
            }
            guard let first = trimmed.first, first == "`" || first == "~" else { continue }
            let run = trimmed.prefix { $0 == first }
            let info = trimmed.dropFirst(run.count)
            guard run.count >= 3, !(first == "`" && info.contains("`")) else { continue }
            let language = info.split(whereSeparator: { " \t{},".contains($0) }).first.map {
                String($0.drop { $0 == "." })
            }
            open = (first, run.count, language?.isEmpty == false ? language : nil, [])
        }
        if let current = open {
            blocks.append(Block(language: current.language, code: current.lines.joined(separator: "\n")))
        }
        return blocks
    }
}
