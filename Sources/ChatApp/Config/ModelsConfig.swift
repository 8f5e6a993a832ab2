import Chat
import Foundation

/// The model settings of `$XDG_CONFIG_HOME/parley/config.json`: named remote endpoints, the
/// default model, and default sampling parameters. Read only (the app never rewrites them),
/// and kept apart from `AppConfig`'s remembered keys so each reads only its own.
///
/// ```json
/// {
///   "endpoints": [{"name": "gpu", "url": "http://gpu-box:8000/v1", "key_env": "GPU_KEY"}],
///   "default_model": "gpu/meta-llama/Llama-3.3-70B-Instruct",
///   "default_parameters": {"temperature": 0.7, "max_tokens": 1024}
/// }
/// ```
public struct ModelsConfig: Equatable, Sendable {
    /// A remote server the picker lists and `--endpoint NAME` names.
    public struct Endpoint: Equatable, Sendable {
        public var name: String
        public var url: String
        /// The variable holding its key (nil: the defaults, `PARLEY_API_KEY` then `OPENAI_API_KEY`).
        public var keyVariable: String?

        public init(name: String, url: String, keyVariable: String? = nil) {
            self.name = name
            self.url = url
            self.keyVariable = keyVariable
        }
    }

    public var endpoints: [Endpoint] = []
    /// A GGUF path or file name in the models folder, or `ENDPOINT/MODEL_ID` for a remote one.
    public var defaultModel: String?
    /// The parameters a new conversation starts with (command-line flags still override them).
    public var defaultParameters: SamplingParameters?

    public init(endpoints: [Endpoint] = [], defaultModel: String? = nil, defaultParameters: SamplingParameters? = nil) {
        self.endpoints = endpoints
        self.defaultModel = defaultModel
        self.defaultParameters = defaultParameters
    }

    /// The most endpoints read: a config is written by hand, not generated.
    public static let maxEndpoints = 64

    /// Reads the file's model keys; a missing file is an empty config, a malformed key an error
    /// that names it.
    public static func load(from url: URL) throws(ChatAppError) -> ModelsConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return ModelsConfig() }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .configInvalid(path: url.path, reason: "cannot read it: \(error.localizedDescription)")
        }
        return try parse(data, path: url.path)
    }

    static func parse(_ data: Data, path: String) throws(ChatAppError) -> ModelsConfig {
        func bad(_ reason: String) -> ChatAppError { .configInvalid(path: path, reason: reason) }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw bad("not a JSON object")
        }
        var config = ModelsConfig()
        if let list = object["endpoints"] {
            guard let entries = list as? [[String: Any]], entries.count <= maxEndpoints else {
                throw bad("endpoints must be a list of at most \(maxEndpoints) objects with name and url")
            }
            for (index, entry) in entries.enumerated() {
                guard let name = entry["name"] as? String, !name.isEmpty, !name.contains("/"),
                    let url = entry["url"] as? String, !url.isEmpty
                else { throw bad("endpoints[\(index)] needs a name (without '/') and a url") }
                guard !config.endpoints.contains(where: { $0.name == name }) else {
                    throw bad("endpoints[\(index)]: the name '\(name)' is used twice")
                }
                let key = entry["key_env"]
                guard key == nil || key is String else { throw bad("endpoints[\(index)].key_env must be a string") }
                config.endpoints.append(Endpoint(name: name, url: url, keyVariable: key as? String))
            }
        }
        if let model = object["default_model"] {
            guard let text = model as? String, !text.isEmpty else { throw bad("default_model must be a string") }
            config.defaultModel = text
        }
        if let parameters = object["default_parameters"] {
            guard JSONSerialization.isValidJSONObject(parameters),
                let encoded = try? JSONSerialization.data(withJSONObject: parameters),
                let decoded = try? JSONDecoder().decode(SamplingParameters.self, from: encoded)
            else { throw bad("default_parameters must be an object of Chat Completion parameters") }
            do { try decoded.validate() } catch { throw bad("default_parameters: \(error.description)") }
            config.defaultParameters = decoded
        }
        return config
    }

    /// The endpoint called `name`, if configured.
    public func endpoint(named name: String) -> Endpoint? { endpoints.first { $0.name == name } }

    /// `default_model` split into a configured endpoint and a model id, when it names one
    /// (`gpu/meta-llama/Llama-3.3-70B-Instruct`: the first segment is the endpoint's name).
    public var defaultRemoteModel: (endpoint: Endpoint, model: String?)? {
        guard let text = defaultModel else { return nil }
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let endpoint = endpoint(named: parts[0]) else { return nil }
        return (endpoint, parts.count > 1 ? parts[1] : nil)
    }
}
