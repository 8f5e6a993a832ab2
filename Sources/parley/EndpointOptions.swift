import ArgumentParser
import Chat
import ChatApp
import Foundation
import RemoteChat

/// `--endpoint` and its companions: chat with a model on an OpenAI-compatible server.
struct EndpointOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "An OpenAI-compatible server's base URL (vLLM, llama-server, ollama, parley serve), such as http://gpu-box:8000/v1; --model then names its model (default: the first it lists).",
            valueName: "URL"))
    var endpoint: String?

    @Option(
        name: .customLong("api-key-env"),
        help: ArgumentHelp(
            "Environment variable holding the endpoint's API key (default: PARLEY_API_KEY, then OPENAI_API_KEY).",
            valueName: "VAR"))
    var apiKeyEnv: String?

    @Option(
        name: .customLong("stall-timeout"),
        help: ArgumentHelp(
            "Seconds without data before a remote answer is given up (default: 60).", valueName: "SECONDS"))
    var stallTimeout: Double?

    @Flag(
        name: .customLong("no-extensions"),
        help: "Send only OpenAI's parameters (no top_k, min_p, repeat_penalty), for hosted APIs that refuse others.")
    var noExtensions = false

    func validate() throws {
        if endpoint == nil, apiKeyEnv != nil || stallTimeout != nil || noExtensions {
            throw ValidationError("--api-key-env, --stall-timeout and --no-extensions need --endpoint URL")
        }
        if let stallTimeout, !(stallTimeout > 0 && stallTimeout <= 86_400) {
            throw ValidationError("--stall-timeout must be more than 0 and at most 86400 seconds")
        }
    }

    /// The remote options when `--endpoint` is given (`model` is `--model`: a model id there),
    /// or when neither it nor `--model` is and config.json's default model is a remote one.
    func remoteOptions(model: String?, config: ModelsConfig) throws -> RemoteOptions? {
        var model = model
        let url: String
        let keyVariable: String?
        if let endpoint {
            (url, keyVariable) = try ConfiguredModels.endpoint(endpoint, keyVariable: apiKeyEnv, config: config)
        } else if model == nil, let configured = config.defaultRemoteModel {
            (url, keyVariable, model) = (configured.endpoint.url, configured.endpoint.keyVariable, configured.model)
        } else {
            return nil
        }
        let parsed: RemoteEndpoint
        do { parsed = try RemoteEndpoint(url: url, keyVariable: keyVariable) } catch {
            throw ValidationError(error.description)
        }
        if let keyVariable, parsed.apiKey == nil {
            let source = apiKeyEnv == nil ? "the endpoint's key_env in config.json" : "--api-key-env"
            throw ValidationError("$\(keyVariable) (from \(source)) is not set")
        }
        return RemoteOptions(
            endpoint: parsed, model: model,
            stallTimeout: .milliseconds(Int64((stallTimeout ?? 60) * 1000)),
            extensions: !noExtensions)
    }
}

extension RemoteSession {
    /// The context window assumed for a remote model whose server does not say (OpenAI, ollama):
    /// the server enforces its own, and its error says so.
    static let assumedContextLength = 32_768

    /// A loader for the app (run on a thread of its own): connects (asking `/models` for the
    /// model when none is named), then asks `/models` for a named model's context.
    static func loader(options: RemoteOptions) -> BackendLoader {
        {
            let session: RemoteSession
            do { session = try RemoteSession.connect(options) } catch {
                throw ChatError.modelLoadFailed(path: options.endpoint.baseURL, reason: String(describing: error))
            }
            return (
                session,
                ChatApp.ModelSummary(
                    fileName: session.model, contextLength: session.lookUpContextLength() ?? assumedContextLength,
                    location: session.endpoint.host, backend: session.backendReference)
            )
        }
    }
}
