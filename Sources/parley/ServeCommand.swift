import ArgumentParser
import Chat
import Foundation
import LocalChat
import Logging
import Server

/// `parley serve`: the engine behind an OpenAI-compatible HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the model over an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions).")

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "Address to listen on (default: loopback only).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(help: "Requests that generate together, in one forward pass per token (continuous batching).")
    var parallel = 4
    @Option(name: .customLong("prefill-chunk"), help: "Prompt tokens evaluated per step while other requests stream.")
    var prefillChunk = 32
    @Option(name: .customLong("queue"), help: "Requests that may wait for a slot; more get 503.") var queueCapacity = 16
    @Option(name: .customLong("api-key"), help: "Require 'Authorization: Bearer KEY' (default: $PARLEY_API_KEY).")
    var apiKey: String?
    @Option(name: .customLong("max-body"), help: "Largest request body in bytes.") var maxBody = ParleyServer
        .Configuration.defaultMaxBodyBytes

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be between 1 and 64") }
        guard (1...4096).contains(prefillChunk) else {
            throw ValidationError("--prefill-chunk must be between 1 and 4096")
        }
        guard (0...10_000).contains(queueCapacity) else { throw ValidationError("--queue must be between 0 and 10000") }
        guard maxBody >= 1024 else { throw ValidationError("--max-body must be at least 1024") }
        if let apiKey, apiKey.isEmpty { throw ValidationError("--api-key must not be empty") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "parley.serve")
        let key = apiKey ?? ProcessInfo.processInfo.environment["PARLEY_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let session: ChatSession
        var options = try modelOptions.sessionOptions()
        // One context of cells per slot, plus one for the prompts kept for reuse.
        options.cacheContexts = parallel + 1
        // Each slot's answer and its alternatives, plus the two prompts per slot the prefix
        // cache keeps (`BatchedGenerator`): windowed layers' rings must hold them all.
        options.liveSequences = parallel * (SamplingParameters.maxChoices + 1) + 2 * parallel
        do { session = try ChatSession(options: options) } catch let error as ChatError {
            throw RuntimeError(error.description)
        }
        let fileName = session.info.fileName
        let modelID = fileName.hasSuffix(".gguf") ? String(fileName.dropLast(5)) : fileName
        let configuration = ParleyServer.Configuration(
            host: host, port: port, apiKey: key, maxBodyBytes: maxBody, modelID: modelID, modelAliases: [fileName],
            contextLength: session.info.contextLength, vocabularySize: session.info.vocabularySize,
            promptText: { [session] tokens in session.promptText(ofTokens: tokens) })
        if !configuration.isLoopback && key == nil {
            logger.warning(
                "listening on \(host) without an API key: anyone who can reach it can use the model; set --api-key or PARLEY_API_KEY"
            )
        }
        let scheduler = BatchScheduler(
            answers: BatchedAnswers(session: session, slots: parallel, prefillChunk: prefillChunk),
            queueCapacity: queueCapacity)
        let (host, context) = (host, session.info.contextLength)
        try await ParleyServer.run(configuration: configuration, scheduler: scheduler, logger: logger) { port in
            logger.info(
                "listening on http://\(host):\(port) (model \(modelID), context \(context) tokens, \(parallel) slots)")
        }
    }
}
