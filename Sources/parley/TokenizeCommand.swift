import ArgumentParser
import Foundation
import GGUF
import Inference

/// `parley tokenize`: the token ids (or pieces) a model's tokenizer gives a text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the token ids of a text as one JSON array.")

    @Option(name: [.short, .customLong("model")], help: "GGUF model (or vocab-only) file.") var model: String
    @Flag(name: .customLong("no-parse-special"), help: "Treat special-token text as plain text.") var noParseSpecial = false
    @Flag(name: .customLong("no-bos"), help: "Do not add the BOS token even if the model asks for it.") var noBOS = false
    @Flag(help: "Print id and piece per line instead of a JSON array.") var pieces = false
    @Option(name: [.short, .customLong("file")], help: "Read the text from FILE.") var file: String?
    @Flag(help: "Read the text from standard input.") var stdin = false
    @Argument(help: "The text.") var text: String?

    func validate() throws {
        let sources = [text != nil, file != nil, stdin].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of TEXT, -f FILE or --stdin") }
    }

    func run() throws {
        let input: String
        if let text {
            input = text
        } else if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw RuntimeError("cannot read \(file)") }
            input = String(decoding: data, as: UTF8.self)
        } else {
            input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        let gguf: GGUFFile
        do { gguf = try GGUFFile(path: model) } catch { throw RuntimeError("\(model): \(error)") }
        let tokenizer = try Tokenizer(gguf: gguf)
        for warning in tokenizer.warnings { FileHandle.standardError.write(Data("parley: \(warning)\n".utf8)) }
        let ids = tokenizer.encode(input, addSpecial: !noBOS, parseSpecial: !noParseSpecial)
        if pieces {
            for id in ids {
                let piece = String(decoding: tokenizer.piece(id), as: UTF8.self)
                print("\(id)\t\(String(reflecting: piece).dropFirst().dropLast())")
            }
        } else {
            print("[" + ids.map(String.init).joined(separator: ", ") + "]")
        }
    }
}
