import Chat
import Foundation
import TerminalUI

/// Slash commands typed in the input, and Tab completion of their names and of `/file` paths.
extension ChatUI {
    /// Runs the command in the input, if the input holds one; nil when it is a plain message
    /// (or `//text`, which `send` turns into a message starting with one slash).
    static func runSlashCommand(_ text: String, _ state: inout AppState) -> [Effect]? {
        guard let parsed = SlashCommand.parse(text) else { return nil }
        let command: SlashCommand
        switch parsed {
        case .success(let parsedCommand): command = parsedCommand
        case .failure(let error):
            note(&state, error.message, isError: true)
            return []
        }
        if case .literal = command { return nil }
        var effects: [Effect] = []
        switch command {
        case .set(let name, let value):
            guard setParameter(name, value, &state) else { return [] }
        case .system(let text):
            state.conversation.systemPrompt = text.isEmpty ? nil : text
            state.isDirty = true
            note(&state, text.isEmpty ? "system prompt cleared" : "system prompt set, from the next answer")
            effects = [.countTokens(state.conversation)]
        case .clear:
            clearInput(&state) // before the undo step is taken, so undoing does not bring "/clear" back
            effects = newConversation(&state)
        case .save(let name):
            state.transcript.title = name
            state.isDirty = true
            guard !state.conversation.messages.isEmpty else {
                note(&state, "renamed to “\(name)”; it is saved with the first answer")
                clearInput(&state)
                return []
            }
            effects = saveIfNeeded(&state)
            note(&state, "renamed to “\(name)” and saved")
        case .file(let path):
            effects = [.readAttachment(path: path)]
            note(&state, "reading \(path)…")
        case .export:
            guard !state.conversation.messages.isEmpty else {
                note(&state, "nothing to export: the conversation is empty")
                clearInput(&state)
                return []
            }
            effects = [.export(state.transcriptSnapshot(), beside: state.transcript.url)]
        case .help:
            state.overlay = .help(scroll: 0)
        case .literal:
            return nil
        }
        clearInput(&state)
        return effects
    }

    private static func clearInput(_ state: inout AppState) {
        state.input.setText("")
        state.historyIndex = nil
    }

    /// `/set NAME VALUE` with the names of the F3 panel (`max_tokens`, `top_p`; `-` for `_` is
    /// fine), parsed and checked with exactly the panel's rules and messages.
    private static func setParameter(_ name: String, _ value: String, _ state: inout AppState) -> Bool {
        let wanted = name.lowercased().replacingOccurrences(of: "-", with: "_")
        guard let field = ParameterField.allCases.first(where: { $0.label == wanted }) else {
            let names = ParameterField.allCases.map(\.label).joined(separator: ", ")
            note(&state, "no parameter \(name); the names are \(names)", isError: true)
            return false
        }
        switch field.parse(value, into: state.conversation.parameters) {
        case .failure(let error):
            note(&state, error.message, isError: true)
            return false
        case .success(let parameters):
            do { try parameters.validate(contextLength: state.contextLength) } catch {
                note(&state, error.description, isError: true)
                return false
            }
            changeParameters(&state, parameters)
            note(&state, "\(field.label) \(field.format(parameters)) from the next answer")
            return true
        }
    }

    /// Tab in the chat input: completes a command name, or the path after `/file `.
    static func complete(_ state: inout AppState) -> [Effect] {
        let text = state.input.text
        guard text.hasPrefix("/"), !text.hasPrefix("//") else { return [] }
        if let space = text.firstIndex(of: " ") {
            let name = text[text.index(after: text.startIndex)..<space].lowercased()
            guard name == "file" else { return [] }
            let path = String(text[text.index(after: space)...].drop { $0 == " " })
            return [.completePath(path)]
        }
        let prefix = String(text.dropFirst())
        let names = SlashCommand.completions(of: prefix)
        switch names.count {
        case 0:
            note(&state, "no command starts with /\(prefix); /help lists them")
        case 1:
            state.input.setText("/\(names[0]) ")
        default:
            let common = commonPrefix(names)
            if common.count > prefix.count { state.input.setText("/" + common) }
            note(&state, names.map { "/" + $0 }.joined(separator: "  "))
        }
        return []
    }

    /// The runtime's answer to `.completePath`: applied only if the input still asks for it.
    static func applyPathCompletions(_ typed: String, _ candidates: [String], _ state: inout AppState) {
        let text = state.input.text
        guard text.hasPrefix("/file "), String(text.dropFirst(6).drop { $0 == " " }) == typed else { return }
        switch candidates.count {
        case 0:
            note(&state, "no file matches \(typed.isEmpty ? "here" : typed)")
        case 1:
            state.input.setText("/file " + candidates[0])
        default:
            let common = commonPrefix(candidates)
            if common.count > typed.count { state.input.setText("/file " + common) }
            let names = candidates.prefix(8).map { ($0 as NSString).lastPathComponent + ($0.hasSuffix("/") ? "/" : "") }
            note(&state, names.joined(separator: "  ") + (candidates.count > 8 ? "  … (\(candidates.count))" : ""))
        }
    }

    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
