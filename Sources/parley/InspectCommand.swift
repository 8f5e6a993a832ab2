import ArgumentParser
import Chat
import Foundation
import GGUF
import Inference

/// `parley inspect [MODEL]`: what a GGUF file holds, without loading its weights. The file is
/// found as every other command finds it (`-m/--model`, then `$PARLEY_MODEL`, then the models
/// folder); it may also be given bare, as the first argument.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Show a GGUF model's architecture, size, tensor types and tokenizer.")

    @Argument(help: "Path to a .gguf file (the same as -m).") var file: String?
    @Option(
        name: [.short, .customLong("model")], help: "GGUF model file (default: $PARLEY_MODEL, then the models folder).")
    var model: String?
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        if let file, let model, file != model {
            throw ValidationError("two models given (\(file) and --model \(model)): give one")
        }
    }

    func run() throws {
        let path: String
        do { path = try ModelLocator.resolve(explicit: file ?? model) } catch { throw RuntimeError(error.description) }
        let gguf: GGUFFile
        // A file that cannot be read or parsed is a runtime error (exit 1), as for `run`.
        do { gguf = try GGUFFile(path: path) } catch {
            throw RuntimeError("\(path): \(error)") // a file problem, not a usage one: exit 1, no usage text
        }
        var summary = ModelSummary(file: gguf)
        if json {
            summary.includeMetadata(gguf.metadata)
            summary.cpu = CPUSummary()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(summary.text)
        }
    }
}

/// The facts `inspect` reports, computed from the header alone.
struct ModelSummary: Codable {
    var file: String
    var fileSize: Int
    var ggufVersion: Int
    var architecture: String
    var name: String?
    var parameterCount: Int
    var contextLength: Int?
    var tensorTypes: [String: Int]
    var tokenizerModel: String?
    var tokenizerPre: String?
    var vocabularySize: Int?
    var hasChatTemplate: Bool
    var metadataKeyCount: Int
    /// Every key in file order (JSON only), each value cut short (`MetadataEntry`), at most
    /// `shownKeys` of them; `metadataKeysOmitted` counts the rest.
    var metadata: [MetadataEntry]?
    var metadataKeysOmitted: Int?
    /// The machine's CPU and the kernels this run would use (JSON only).
    var cpu: CPUSummary?

    /// Keys listed by `inspect --json`: real models have a few dozen.
    static let shownKeys = 1024

    mutating func includeMetadata(_ meta: GGUFMetadata) {
        metadata = meta.keys.prefix(Self.shownKeys).compactMap { key in
            meta[key].map { MetadataEntry(key: key, value: $0) }
        }
        if meta.count > Self.shownKeys { metadataKeysOmitted = meta.count - Self.shownKeys }
    }

    init(file: GGUFFile) {
        let meta = file.metadata
        let arch = file.architecture ?? "unknown"
        self.file = file.path ?? "-"
        fileSize = file.fileSize
        ggufVersion = Int(file.version)
        architecture = arch
        name = meta.string("general.name")
        parameterCount = file.tensors.reduce(0) { $0 + $1.elementCount }
        contextLength = meta.int("\(arch).context_length")
        tensorTypes = file.tensors.reduce(into: [:]) { $0[$1.type.description, default: 0] += 1 }
        tokenizerModel = meta.string("tokenizer.ggml.model")
        tokenizerPre = meta.string("tokenizer.ggml.pre")
        vocabularySize = meta["tokenizer.ggml.tokens"]?.array?.count
        hasChatTemplate = meta.string("tokenizer.chat_template") != nil
        metadataKeyCount = meta.count
    }

    var text: String {
        let histogram = tensorTypes.sorted { $0.value > $1.value }.map { "\($0.value) × \($0.key)" }
        var lines = [
            "file:            \(file) (\(fileSize) bytes, GGUF v\(ggufVersion))",
            "architecture:    \(architecture)",
            "name:            \(name ?? "-")",
            "parameters:      \(parameterCount) (\(String(format: "%.1f", Double(parameterCount) / 1e6))M)",
            "context length:  \(contextLength.map(String.init) ?? "-")",
            "tensor types:    \(histogram.joined(separator: ", "))",
            "tokenizer:       \(tokenizerModel ?? "-") / pre \(tokenizerPre ?? "-"), \(vocabularySize.map(String.init) ?? "?") tokens",
            "metadata:        \(metadataKeyCount) keys"
        ]
        lines.append("chat template:   \(hasChatTemplate ? "present" : "none (ChatML fallback)")")
        return lines.joined(separator: "\n")
    }
}

/// The CPU model, the kernel path (`KernelPath.active`) and the stream prefetch hint
/// (`StreamPrefetch.active`), as `inspect --json` and `bench` report them.
struct CPUSummary: Codable {
    var model = CPUInfo.current.model
    var vendor = CPUInfo.current.vendor
    var kernels = KernelPath.active.rawValue
    var prefetch = StreamPrefetch.active.rawValue
    var supportedKernels = KernelPath.supported.map(\.rawValue)
}
