import AsyncHTTPClient
import Chat
import Foundation
import NIOCore

/// A model on an OpenAI-compatible server (vLLM, llama-server, ollama, `parley serve`, a
/// hosted API), behind the same `ChatBackend` as the local engine.
///
/// Each answer is one streamed `POST /chat/completions` (`/completions` for a text to continue); `cancel()` cancels its task, which
/// closes the request, so the server stops generating. Every failure ends the answer as a
/// value (`.finished` with reason `.error`, or `.connectionLost` when text had arrived) with
/// the `RemoteError`'s message; the text received so far is always kept.
public final class RemoteSession: ChatBackend, @unchecked Sendable {
    // @unchecked: `current` and `closed` are only touched under `lock`; the rest is immutable.
    public let endpoint: RemoteEndpoint
    /// The model id every request asks for.
    public let model: String
    /// The context the server serves `model` with, when `/models` says (vLLM, llama-server,
    /// `parley serve`); nil when it does not.
    public let contextLength: Int?
    let options: RemoteOptions
    let client: HTTPClient
    private let lock = NSLock()
    // Guarded by `lock`.
    private var current: Task<Void, Never>?
    private var closed = false

    /// Connects to `options.endpoint`: when no model is given, asks `/models` for the first one
    /// (which also checks the server answers and accepts the key) and the context it serves it
    /// with, when the server says. Blocks; call it off the UI.
    ///
    /// A named model is not looked up: the wait blocks a thread while the request needs one of
    /// the concurrency pool's, and doing that on every connect starved the pool (seen: a 1 s
    /// stall test taking 10.5 s beside the other suites). Its context stays unknown until the
    /// caller asks `lookUpContextLength`, from a thread of its own.
    public static func connect(_ options: RemoteOptions) throws(RemoteError) -> RemoteSession {
        let client = makeClient(options)
        guard let model = options.model else {
            let result = waitFor { () async throws(RemoteError) -> [RemoteModel] in
                try await ModelList.fetch(options.endpoint, client: client)
            }
            switch result {
            case .success(let models):
                guard let first = models.first else {
                    try? client.syncShutdown()
                    throw .noModels(host: options.endpoint.host, reason: "/models is empty")
                }
                return RemoteSession(
                    options: options, model: first.id, contextLength: first.contextLength, client: client)
            case .failure(let error):
                try? client.syncShutdown()
                throw error
            }
        }
        return RemoteSession(options: options, model: model, client: client)
    }

    /// The context the server serves this session's model with: `contextLength` when connect
    /// learnt it, else what `/models` says for the model by name; nil when the server does not
    /// list it, does not say, fails or takes longer than `timeout` (it is only for the status
    /// bar and the history trimming; the server enforces its own). Blocks: call it from a
    /// thread outside the concurrency pool (the app's loader thread).
    public func lookUpContextLength(timeout: Duration = .seconds(5)) -> Int? {
        if let contextLength { return contextLength }
        let result = Self.waitFor { [endpoint, client] () async throws(RemoteError) -> [RemoteModel] in
            try await ModelList.fetch(endpoint, client: client, timeout: .nanoseconds(timeout.nanoseconds))
        }
        guard case .success(let models) = result else { return nil }
        return models.first { $0.id == model }?.contextLength
    }

    init(options: RemoteOptions, model: String, contextLength: Int? = nil, client: HTTPClient) {
        self.options = options
        endpoint = options.endpoint
        self.model = model
        self.contextLength = contextLength
        self.client = client
    }

    deinit {
        if !closed { client.shutdown { _ in } }
    }

    static func makeClient(_ options: RemoteOptions) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .nanoseconds(Int64(options.connectTimeout.nanoseconds)),
            read: .nanoseconds(Int64(options.stallTimeout.nanoseconds)))
        // Fail at once with the real reason (refused, unknown host) instead of retrying until
        // the connect timeout and reporting only the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// This model as an answer's record names it.
    public var backendReference: BackendReference { .remote(host: endpoint.host, model: model) }

    public func send(_ conversation: Conversation, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        send(.conversation(conversation), seed: seed, onEvent: onEvent)
    }

    /// A conversation streams from `POST /chat/completions`, a text to continue from the legacy
    /// `POST /completions` (which vLLM, llama-server, ollama and `parley serve` all answer).
    public func send(_ prompt: CompletionPrompt, seed: UInt64?, onEvent: @escaping @Sendable (ChatEvent) -> Void) {
        let seed = seed ?? prompt.parameters.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        lock.lock()
        defer { lock.unlock() }
        current?.cancel()
        guard !closed else {
            onEvent(
                .finished(RemoteStream.failed(seed: seed, reason: .cancelled, error: nil, backend: backendReference)))
            return
        }
        let stream = RemoteStream(session: self, prompt: prompt, seed: seed)
        current = Task { onEvent(.finished(await stream.run(onEvent))) }
    }

    public func cancel() {
        lock.withLock { current?.cancel() }
    }

    public func shutDown() {
        let task: Task<Void, Never>? = lock.withLock {
            closed = true
            current?.cancel()
            return current
        }
        // Let the cancelled answer report before the client goes away.
        let client = self.client
        Task {
            await task?.value
            try? await client.shutdown()
        }
    }

    /// A remote server's prompt is not tokenized here: the count is unknown (0).
    public func promptTokenCount(_ conversation: Conversation) -> Int { 0 }

    public func promptPreview(_ conversation: Conversation) throws(ChatError) -> PromptPreview {
        throw .invalidParameter("the prompt inspector needs a local model: \(model) runs on \(endpoint.host)")
    }

    public func restorePromptCache(from url: URL) -> Int { 0 }
    public func savePromptCache(to url: URL) {}

    /// Runs `work` on the concurrency pool and waits for it (for the synchronous CLI and loaders).
    static func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws(RemoteError) -> T) -> Result<
        T, RemoteError
    > {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            do throws(RemoteError) { box.value = .success(try await work()) } catch { box.value = .failure(error) }
            done.signal()
        }
        done.wait()
        return box.value ?? .failure(.unreachable(host: "?", reason: "no result"))
    }
}

/// Hands one result from a task to the thread waiting on it (the semaphore orders the accesses).
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: Result<T, RemoteError>?
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
