import ArgumentParser
import Foundation
import GGUF
import Inference

/// `parley perplexity`: llama.cpp's perplexity protocol, so numbers compare with `llama-perplexity`.
struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of a text (llama-perplexity's protocol: fresh context per chunk, second half scored).")

    @Option(name: [.short, .customLong("model")], help: "GGUF model file.") var model: String
    @Option(name: [.short, .customLong("file")], help: "Text file to tokenize and score.") var file: String?
    @Option(help: "JSON array of token ids (skips the tokenizer).") var tokens: String?
    @Option(name: .customLong("ctx"), help: "Chunk size in tokens.") var context = 256
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var cacheTypeOptions: CacheTypeOptions

    func validate() throws {
        guard (file == nil) != (tokens == nil) else {
            throw ValidationError("give exactly one of -f TEXT or --tokens IDS.json")
        }
        guard context >= 4 else { throw ValidationError("--ctx must be at least 4") }
    }

    func run() throws {
        let gguf: GGUFFile
        do { gguf = try GGUFFile(path: model) } catch { throw RuntimeError("\(model): \(error)") }
        try ContextLimit.check(context, modelPath: model)
        let languageModel = try LanguageModel(file: gguf)
        let tokenizer = try Tokenizer(gguf: gguf)
        let ids: [Int32]
        if let tokens {
            guard let data = FileManager.default.contents(atPath: tokens),
                let parsed = try? JSONDecoder().decode([Int32].self, from: data)
            else {
                throw RuntimeError("\(tokens): expected a JSON array of token ids")
            }
            ids = parsed
        } else {
            // As llama-perplexity: the whole text once, with the special tokens the model adds (BOS if add_bos).
            ids = try tokenizer.encode(try InputText.read(file: file ?? ""), addSpecial: true, parseSpecial: false)
        }
        let start = ContinuousClock.now
        let result: (ppl: Double, perChunk: [Double])
        do {
            result = try perplexity(
                model: languageModel, tokens: ids, context: context, addBOS: tokenizer.addBOS,
                bos: tokenizer.bos, threads: threadOptions.threads ?? Transformer.defaultThreads,
                cachePrecision: cacheTypeOptions.cacheType)
        } catch {
            throw RuntimeError("\(model): \(error)")
        }
        let elapsed = ContinuousClock.now - start
        print("\(ids.count) tokens, \(result.perChunk.count) chunks of \(context), add BOS: \(tokenizer.addBOS)")
        print(
            result.perChunk.enumerated().map { "[\($0.offset + 1)]\(String(format: "%.4f", $0.element))" }
                .joined(separator: ","))
        print(
            String(
                format: "%.2f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
        print(String(format: "PPL = %.4f", result.ppl))
    }
}
