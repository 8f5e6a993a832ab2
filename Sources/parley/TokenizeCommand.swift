import ArgumentParser
import Foundation
import GGUF
import Inference

/// `parley tokenize`: the token ids (or pieces) a model's tokenizer gives a text.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the token ids of a text as one JSON array.")

    @Option(name: [.short, .customLong("model")], help: "GGUF model (or vocab-only) file.") var model: String
    @Flag(name: .customLong("no-parse-special"), help: "Treat special-token text as plain text.") var noParseSpecial =
        false
    @Flag(name: .customLong("no-bos"), help: "Do not add the BOS token even if the model asks for it.") var noBOS =
        false
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
            input = try InputText.read(file: file)
        } else {
            input = try InputText.readStandardInput()
        }
        let gguf: GGUFFile
        do { gguf = try GGUFFile(path: model) } catch { throw RuntimeError("\(model): \(error)") }
        let tokenizer = try Tokenizer(gguf: gguf)
        for warning in tokenizer.warnings { FileHandle.standardError.write(Data("parley: \(warning)\n".utf8)) }
        let ids = try tokenizer.encode(input, addSpecial: !noBOS, parseSpecial: !noParseSpecial)
        if pieces {
            for id in ids {
                print("\(id)\t\(Self.display(tokenizer.piece(id, special: true)))")
            }
        } else {
            print("[" + ids.map(String.init).joined(separator: ", ") + "]")
        }
    }

    /// A piece as readable text: valid UTF-8 with control characters escaped, otherwise the raw
    /// bytes as `\xNN` (a token may hold part of a multi-byte character).
    static func display(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return String(String(reflecting: text).dropFirst().dropLast())
        }
        return bytes.map { byte in
            (0x20..<0x7F).contains(byte) && byte != UInt8(ascii: "\\")
                ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }
}
