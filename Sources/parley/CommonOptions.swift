import ArgumentParser
import Chat
import Foundation
import Inference
import LocalChat

/// `-t/--threads`: one definition and one range check for every command that runs a model, so
/// no command can ask the worker pool for more threads than it accepts.
struct ThreadOptions: ParsableArguments {
    @Option(
        name: [.short, .customLong("threads")],
        help: "Worker threads, 1 to \(WorkerPool.maxThreads) (default: one per core).")
    var threads: Int?

    func validate() throws {
        if let threads { try Self.check(threads, option: "--threads") }
    }

    /// Throws a usage error unless `count` is a thread count the worker pool accepts.
    static func check(_ count: Int, option: String) throws {
        guard (1...WorkerPool.maxThreads).contains(count) else {
            throw ValidationError("\(option) must be between 1 and \(WorkerPool.maxThreads), got \(count)")
        }
    }
}

/// `--cache-type f16|q8_0` (llama.cpp's `-ctk`/`-ctv` pair): how the KV cache stores keys and
/// values, for every command that runs a model.
struct CacheTypeOptions: ParsableArguments {
    @Option(
        name: .customLong("cache-type"),
        help: "KV cache storage: f16 (default) or q8_0 (about half the memory, slightly higher perplexity).")
    var cacheTypeName = KVCachePrecision.f16.rawValue

    static let choices: [KVCachePrecision] = [.f16, .q8_0]

    var cacheType: KVCachePrecision { KVCachePrecision(rawValue: cacheTypeName) ?? .f16 }

    func validate() throws {
        guard let type = KVCachePrecision(rawValue: cacheTypeName), Self.choices.contains(type) else {
            throw ValidationError(
                "--cache-type must be one of \(Self.choices.map(\.rawValue).joined(separator: ", ")), got \(cacheTypeName)"
            )
        }
    }
}

/// Which model to load and how: shared by every command that runs one.
struct ModelOptions: ParsableArguments {
    @Option(
        name: [.short, .customLong("model")], help: "GGUF model file (default: $PARLEY_MODEL, then the models folder).")
    var model: String?

    @Option(name: .customLong("ctx"), help: "Context window in tokens (default: the model's, capped at 4096).")
    var contextLength: Int?

    @OptionGroup var threadOptions: ThreadOptions
    var threads: Int? { threadOptions.threads }

    @OptionGroup var cacheTypeOptions: CacheTypeOptions
    var cacheType: KVCachePrecision { cacheTypeOptions.cacheType }

    @Flag(
        name: .customLong("no-speculate"),
        help:
            "Decode one token per pass: no drafts from the prompt (same answers, usually slower; serve's batched slots never draft)."
    )
    var noSpeculate = false

    func validate() throws {
        if let contextLength, contextLength < 16 { throw ValidationError("--ctx must be at least 16") }
    }

    /// Resolves the model path and builds session options (a missing model is a runtime error).
    /// `fallback` (config.json's default model) comes after `--model` and before the search.
    func sessionOptions(fallback: String? = nil) throws -> SessionOptions {
        var options = SessionOptions(
            modelPath: try ModelLocator.resolve(explicit: model ?? fallback), contextLength: contextLength,
            threads: threads)
        options.speculate = !noSpeculate
        options.cacheType = cacheType
        return options
    }
}

/// The Chat Completion parameters as flags; only the flags given override a conversation's values.
struct SamplingOptions: ParsableArguments {
    @Option(help: "0 = greedy; 0 to 2.") var temperature: Double?
    @Option(name: .customLong("top-p"), help: "Nucleus sampling mass, 0 to 1.") var topP: Double?
    @Option(name: .customLong("max-tokens"), help: "Most tokens in the answer.") var maxTokens: Int?
    @Option(help: "A string that ends the answer (repeat for up to 4).") var stop: [String] = []
    @Option(name: .customLong("presence-penalty"), help: "-2 to 2.") var presencePenalty: Double?
    @Option(name: .customLong("frequency-penalty"), help: "-2 to 2.") var frequencyPenalty: Double?
    @Option(help: "Random seed, for reproducible answers.") var seed: UInt64?
    @Option(name: .customLong("logit-bias"), help: "TOKEN_ID=BIAS, -100 to 100 (repeatable).") var logitBias: [String] =
        []
    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0 = off).") var topK: Int?
    @Option(name: .customLong("min-p"), help: "Drop tokens below min-p times the best one's probability.") var minP:
        Double?
    @Option(name: .customLong("repeat-penalty"), help: "llama.cpp repetition penalty (1 = off).") var repeatPenalty:
        Double?
    @Option(name: .customLong("repeat-last-n"), help: "Tokens the repetition penalty looks back over.") var repeatLastN:
        Int?

    /// `base` with every given flag applied, validated.
    func apply(to base: SamplingParameters) throws -> SamplingParameters {
        var p = base
        if let temperature { p.temperature = temperature }
        if let topP { p.topP = topP }
        if let maxTokens { p.maxTokens = maxTokens }
        if !stop.isEmpty { p.stop = stop }
        if let presencePenalty { p.presencePenalty = presencePenalty }
        if let frequencyPenalty { p.frequencyPenalty = frequencyPenalty }
        if let seed { p.seed = seed }
        for entry in logitBias {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let bias = Double(parts[1]) else {
                throw ValidationError("--logit-bias takes TOKEN_ID=BIAS, got '\(entry)'")
            }
            p.logitBias[parts[0]] = bias
        }
        if let topK { p.topK = topK }
        if let minP { p.minP = minP }
        if let repeatPenalty { p.repeatPenalty = repeatPenalty }
        if let repeatLastN { p.repeatLastN = repeatLastN }
        do { try p.validate() } catch { throw ValidationError(error.description) }
        return p
    }
}
