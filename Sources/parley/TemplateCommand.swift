import ArgumentParser
import Foundation
import GGUF
import Inference
import Jinja

/// `parley template`: the exact prompt a chat template renders for a list of messages.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Render a chat template for OpenAI-shaped messages, byte for byte.")

    @Option(name: [.short, .customLong("model")], help: "Take the template (and bos/eos) from this GGUF model.")
    var model: String?
    @Option(help: "A Jinja template file instead of a model's.") var template: String?
    @Option(help: "JSON file: [{\"role\": ..., \"content\": ...}, ...].") var messages: String
    @Option(help: "JSON file with a list of tools.") var tools: String?
    @Flag(name: .customLong("no-generation-prompt"), help: "Do not open an assistant turn at the end.")
    var noGenerationPrompt = false
    @Option(help: "bos_token text (default: the model's BOS token).") var bos: String?
    @Option(help: "eos_token text (default: the model's EOS token).") var eos: String?
    @Option(help: "The time strftime_now sees, ISO 8601 (e.g. 2026-01-15T10:30:00Z).") var now: String?

    func validate() throws {
        guard (model == nil) != (template == nil) else {
            throw ValidationError("give exactly one of -m MODEL or --template FILE")
        }
        if let now, ISO8601DateFormatter().date(from: now) == nil {
            throw ValidationError("--now must be an ISO 8601 time such as 2026-01-15T10:30:00Z")
        }
    }

    func run() throws {
        var source: String
        var bosToken = bos ?? ""
        var eosToken = eos ?? ""
        if let model {
            let file: GGUFFile
            do { file = try GGUFFile(path: model) } catch { throw RuntimeError("\(model): \(error)") }
            guard let text = file.metadata.string("tokenizer.chat_template") else {
                throw RuntimeError("\(model) has no chat template (tokenizer.chat_template)")
            }
            source = text
            let tokenizer = try Tokenizer(gguf: file)
            if bos == nil, let id = tokenizer.bos { bosToken = tokenizer.tokenText(id) }
            if eos == nil, let id = tokenizer.eos { eosToken = tokenizer.tokenText(id) }
        } else {
            source = try readText(template ?? "")
        }
        let messageValues = try readArray(messages, what: "--messages")
        let toolValues = try tools.map { try readArray($0, what: "--tools") }
        let date = now.flatMap { ISO8601DateFormatter().date(from: $0) }
        do {
            let chatTemplate = try ChatTemplate(source: source)
            let output = try chatTemplate.render(
                messages: messageValues, tools: toolValues,
                addGenerationPrompt: !noGenerationPrompt, bosToken: bosToken,
                eosToken: eosToken, now: date, extra: [:])
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch { // a JinjaError: parsing and rendering throw only that
            // A template's own raise_exception message is shown exactly as the template wrote it.
            FileHandle.standardError.write(Data("\(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw RuntimeError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    private func readArray(_ path: String, what: String) throws -> [Value] {
        let value: Value
        do { value = try Value(json: try readText(path)) } catch { throw RuntimeError("\(what) \(path): \(error)") }
        guard case .array(let elements) = value else { throw RuntimeError("\(what) \(path): expected a JSON array") }
        return elements
    }
}
