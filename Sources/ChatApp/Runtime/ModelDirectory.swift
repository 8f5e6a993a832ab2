import Chat

/// The models the picker (Ctrl+P) offers and how to load or fetch each, handed to the app by
/// the executable. The app never learns where a list comes from (the models folder, config.json's
/// endpoints, Hugging Face), so `ChatApp` links neither the engine, nor HTTP, nor the hub.
///
/// Every method may block or wait on the network: the runtime calls them off the UI thread.
public protocol ModelDirectory: Sendable {
    /// The configured remote endpoints, in config order (known without asking them).
    var endpoints: [ModelEndpoint] { get }
    /// The GGUF models installed in the models folder (reads each file's header).
    func localModels() -> [ModelChoice]
    /// The models `endpoint` serves (`GET /models`); a failure names the endpoint and why.
    func remoteModels(of endpoint: ModelEndpoint) throws(ChatAppError) -> [ModelChoice]
    /// What loads `choice` as the chat's backend.
    func loader(for choice: ModelChoice) -> BackendLoader
    /// Downloads `reference` (`owner/repo[:QUANT]`) into the models folder, reporting progress
    /// (throttled to a few reports a second); cancelling the task stops it and keeps the bytes.
    func pull(_ reference: String, report: @escaping @Sendable (ModelPullStatus) -> Void) async throws(ChatAppError)
        -> ModelChoice
}

/// A configured remote server, as the picker names it.
public struct ModelEndpoint: Hashable, Sendable {
    /// Its name in config.json.
    public var name: String
    /// `host:port`, shown beside its models.
    public var host: String

    public init(name: String, host: String) {
        self.name = name
        self.host = host
    }
}

/// One model the picker lists.
public struct ModelChoice: Hashable, Sendable {
    /// Where it runs.
    public enum Place: Hashable, Sendable {
        /// A GGUF file loaded in this process.
        case local(path: String)
        /// A model id on a configured endpoint.
        case remote(endpoint: String, host: String, model: String)
    }

    public var place: Place
    /// The name shown: the GGUF's name, or the server's model id.
    public var name: String
    /// The rest of its row: parameters, quant and size, or the endpoint and host.
    public var detail: String
    /// Why it cannot be loaded (a local file that does not parse); listed so it can be seen.
    public var problem: String?

    public init(place: Place, name: String, detail: String, problem: String? = nil) {
        self.place = place
        self.name = name
        self.detail = detail
        self.problem = problem
    }

    /// Whether `model` (what the status bar shows) is this choice: a local file by its name, a
    /// remote model by host and id.
    public func matches(_ model: ModelSummary?) -> Bool {
        guard let model else { return false }
        switch place {
        case .local(let path):
            return model.location == nil && path.split(separator: "/").last.map(String.init) == model.fileName
        case .remote(_, let host, let id):
            return model.location == host && model.fileName == id
        }
    }

    /// "local" or the host, for messages.
    public var location: String {
        switch place {
        case .local: return "local"
        case .remote(_, let host, _): return host
        }
    }
}

/// A pull's progress as the picker shows it: a line (the executable formats it, with a bar)
/// and how far along it is.
public struct ModelPullStatus: Hashable, Sendable {
    public var text: String
    public var fraction: Double?

    public init(text: String, fraction: Double? = nil) {
        self.text = text
        self.fraction = fraction
    }
}

/// What the runtime reports about models: listings, a switch's end, a pull's progress and end.
public enum ModelEvent: Equatable, Sendable {
    /// The models folder was read; the endpoints are being asked.
    case listed(local: [ModelChoice], endpoints: [ModelEndpoint])
    case endpointListed(ModelEndpoint, models: [ModelChoice])
    case endpointFailed(ModelEndpoint, message: String)
    /// The new backend is loaded and answers from now on.
    case switched(ModelSummary)
    /// Loading the new backend failed: the old one stays.
    case switchFailed(String)
    case pullProgress(ModelPullStatus)
    case pulled(ModelChoice)
    /// The pull failed or was cancelled (the bytes received are kept for the next one).
    case pullFailed(String)
}

/// What `update` asks the runtime to do about models.
public enum ModelEffect: Equatable, Sendable {
    /// Read the models folder and ask every endpoint (answered with `.listed`, then one
    /// `.endpointListed`/`.endpointFailed` per endpoint).
    case list
    /// Load `choice` off the UI thread and make it the backend (answered with `.switched` or
    /// `.switchFailed`).
    case switchTo(ModelChoice)
    case pull(String)
    case cancelPull
}

/// A switch in progress: what is loading and the model to go back to if it fails.
public struct ModelSwitch: Equatable, Sendable {
    public var target: ModelChoice
    public var previous: ModelSummary?
}
