import Chat
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The HTTP server: routes, middleware and the application, over any scheduler.
public enum ParleyServer {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// When set, every `/v1/` request needs `Authorization: Bearer KEY`.
        public var apiKey: String?
        public var maxBodyBytes: Int
        /// The id `/v1/models` lists and requests name (the model file's name without `.gguf`).
        public var modelID: String
        /// Other names a request may use for the same model (its file name).
        public var modelAliases: [String]
        public var contextLength: Int?
        /// The model's vocabulary: `logit_bias` ids at or beyond it are refused with a 400.
        public var vocabularySize: Int?
        /// The text of token ids, as a token-id prompt is echoed (the model's tokenizer); without
        /// it such a prompt cannot be echoed.
        public var promptText: (@Sendable ([Int32]) -> String)?

        public static let defaultMaxBodyBytes = 1 << 20

        public init(
            host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil,
            maxBodyBytes: Int = defaultMaxBodyBytes, modelID: String, modelAliases: [String] = [],
            contextLength: Int? = nil, vocabularySize: Int? = nil, promptText: (@Sendable ([Int32]) -> String)? = nil
        ) {
            self.host = host
            self.port = port
            self.apiKey = apiKey
            self.maxBodyBytes = maxBodyBytes
            self.modelID = modelID
            self.modelAliases = modelAliases
            self.contextLength = contextLength
            self.vocabularySize = vocabularySize
            self.promptText = promptText
        }

        var modelNames: Set<String> { Set([modelID] + modelAliases) }

        /// True for loopback addresses, where no key is needed to keep others out.
        public var isLoopback: Bool {
            host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
        }
    }

    /// The router with every endpoint.
    public static func router(
        configuration: Configuration, scheduler: any CompletionScheduler, metrics: ServerMetrics,
        logger: Logger
    ) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: APIMiddleware(apiKey: configuration.apiKey, metrics: metrics, logger: logger))
        let completions = CompletionEndpoint(scheduler: scheduler, metrics: metrics, configuration: configuration)
        router.post("/v1/chat/completions") { request, context in
            try await completions.chatCompletions(request, context: context)
        }
        router.post("/v1/completions") { request, context in
            try await completions.textCompletions(request, context: context)
        }
        // The model object carries vLLM's `max_model_len`, so clients (Parley's remote backend
        // among them) learn the context they may fill.
        var modelFields: [(String, JSONValue)] = [
            ("id", .string(configuration.modelID)), ("object", "model"), ("created", 0), ("owned_by", "parley")
        ]
        if let context = configuration.contextLength { modelFields.append(("max_model_len", .int(Int64(context)))) }
        let model = JSONValue.object(modelFields)
        router.get("/v1/models") { _, _ in
            json(.object([("object", "list"), ("data", .array([model]))]))
        }
        router.get("/v1/models/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard configuration.modelNames.contains(id) else { throw ServerError.modelNotFound(id) }
            return json(model)
        }
        router.get("/health") { _, _ in json(.object([("status", "ok")])) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render(load: scheduler.load))))
        }
        return router
    }

    /// Runs until SIGINT or SIGTERM: then stops accepting connections, cancels every answer (so
    /// streams end with their finish chunk and `[DONE]`) and returns once they have.
    public static func run(
        configuration: Configuration, scheduler: any CompletionScheduler, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let metrics = ServerMetrics()
        let router = router(configuration: configuration, scheduler: scheduler, metrics: metrics, logger: logger)
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "parley"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        // Services shut down in reverse order: the scheduler first (new requests get 503, every
        // answer is cancelled, so streams end at once), then the HTTP server, which waits for them.
        var group = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: SchedulerShutdown(scheduler: scheduler))],
            logger: logger)
        group.gracefulShutdownSignals = [.sigterm, .sigint]
        group.maximumGracefulShutdownDuration = .seconds(4)
        try await ServiceGroup(configuration: group).run()
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized + "\n")))
    }
}

/// Closes the scheduler when the service group begins to shut down.
struct SchedulerShutdown: Service {
    let scheduler: any CompletionScheduler

    func run() async throws {
        try? await gracefulShutdown()
        scheduler.shutdown()
    }
}
