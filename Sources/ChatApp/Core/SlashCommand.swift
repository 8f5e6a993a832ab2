/// A command typed in the chat input (`/set temperature 0.5`), for people coming from ollama and
/// llama-cli. A message that starts with `//` is sent with one slash, as text.
public enum SlashCommand: Equatable, Sendable {
    case set(name: String, value: String)
    case system(String)
    case clear
    case save(String)
    case file(String)
    case export
    case help
    /// `//text`: a message that starts with a slash.
    case literal(String)

    /// Every command with its arguments and what it does: Tab completion and the F1 help.
    public static var all: [(name: String, arguments: String, summary: String)] {
        all(keys: KeyHints(table: KeyBindings.table))
    }

    /// `all`, the keys its summaries name as `keys` binds them (after `config.json` overrides).
    public static func all(keys: KeyHints) -> [(name: String, arguments: String, summary: String)] {
        [
            (
                "set", "NAME VALUE",
                "set a parameter, e.g. /set temperature 0.5 (names as in \(keys.key(.showParameters)))"
            ),
            ("system", "TEXT", "set the system prompt (/system alone clears it)"),
            ("clear", "", "start a new conversation (\(keys.key(.undo)) brings the old one back)"),
            ("save", "NAME", "rename the conversation and save it"),
            ("file", "PATH", "attach a text file to the next message (\(keys.key(.complete)) completes the path)"),
            ("export", "", "export the conversation as Markdown beside its transcript"),
            ("help", "", "the key bindings and these commands")
        ]
    }

    /// The command in `text`, nil when it is an ordinary message, or a message saying what is
    /// wrong (an unknown command, a missing argument).
    public static func parse(_ text: String) -> Result<SlashCommand, SlashCommandError>? {
        guard text.hasPrefix("/") else { return nil }
        if text.hasPrefix("//") { return .success(.literal(String(text.dropFirst()))) }
        let body = text.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let rest = body.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
        let argument = String(rest).trimmingTrailingWhitespace()
        func needs(_ what: String) -> Result<SlashCommand, SlashCommandError> {
            .failure(SlashCommandError(message: "/\(name) needs \(what)"))
        }
        switch name.lowercased() {
        case "set":
            let words = argument.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard words.count == 2 else { return needs("a parameter and a value, e.g. /set temperature 0.5") }
            return .success(.set(name: String(words[0]), value: String(words[1])))
        case "system": return .success(.system(argument))
        case "clear": return .success(.clear)
        case "save":
            return argument.isEmpty ? needs("a name, e.g. /save Trip to Lisbon") : .success(.save(argument))
        case "file": return argument.isEmpty ? needs("a path, e.g. /file notes.txt") : .success(.file(argument))
        case "export": return .success(.export)
        case "help", "?": return .success(.help)
        default:
            let known = all.map { "/" + $0.name }.joined(separator: " ")
            return .failure(
                SlashCommandError(
                    message: "unknown command /\(name) (\(known)); start with // to send a message beginning with /"))
        }
    }

    /// The command names that start with `prefix` (without the slash).
    static func completions(of prefix: String) -> [String] {
        all.map(\.name).filter { $0.hasPrefix(prefix.lowercased()) }
    }
}

/// A slash command that cannot run, with the message for the status bar.
public struct SlashCommandError: Error, Equatable, Sendable {
    public var message: String
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
