import ArgumentParser
import Chat
import ChatApp
import Foundation
import RemoteChat

/// The model settings of config.json (`ModelsConfig`) applied to a command line: `--endpoint`
/// may name a configured endpoint, and without `--model` or `--endpoint` the configured
/// default model is used; flags always win over the file.
enum ConfiguredModels {
    /// The file's model keys; a broken file is a usage error that names it.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ModelsConfig {
        let url = AppConfig.defaultURL(configHome: Paths.configHome(environment: environment))
        do { return try ModelsConfig.load(from: url) } catch { throw ValidationError(error.description) }
    }

    /// The base URL and key variable `--endpoint VALUE` stands for: a URL as given, else the
    /// configured endpoint of that name.
    static func endpoint(_ value: String, keyVariable: String?, config: ModelsConfig) throws
        -> (url: String, keyVariable: String?)
    {
        if value.contains("://") { return (value, keyVariable) }
        guard let named = config.endpoint(named: value) else {
            let known = config.endpoints.map(\.name)
            let list =
                known.isEmpty ? "none are configured in config.json" : "configured: \(known.joined(separator: ", "))"
            throw ValidationError("--endpoint '\(value)' is neither a URL nor a configured endpoint (\(list))")
        }
        return (named.url, keyVariable ?? named.keyVariable)
    }

    /// The local model to load when `--model` is not given: `default_model` when it is a file
    /// (a path, or a name in the models folder), else nil (the usual search).
    static func localDefault(
        _ config: ModelsConfig, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String?
    {
        guard config.defaultRemoteModel == nil, let name = config.defaultModel,
            (environment["PARLEY_MODEL"] ?? "").isEmpty
        else { return nil }
        if name.contains("/") { return name }
        return Paths.modelsDirectory(environment: environment).appendingPathComponent(name).path
    }
}
