import Foundation

/// The remembered settings in `$XDG_CONFIG_HOME/parley/config.json`.
///
/// Only the keys the app changes are touched; other keys (a default model, key overrides that a
/// later version may add) are kept as they are. Writes are atomic (temporary file, rename).
public struct AppConfig: Equatable, Sendable {
    public var theme: String?

    public init(theme: String? = nil) {
        self.theme = theme
    }

    /// `$XDG_CONFIG_HOME/parley/config.json`.
    public static func defaultURL(configHome: URL) -> URL {
        configHome.appendingPathComponent("parley/config.json")
    }

    /// Reads the file; a missing file is an empty config, an unreadable one is an error.
    public static func load(from url: URL) throws(ChatAppError) -> AppConfig {
        guard FileManager.default.fileExists(atPath: url.path) else { return AppConfig() }
        let object = try readObject(url)
        return AppConfig(theme: object["theme"] as? String)
    }

    /// Writes this config's keys into the file, keeping every other key.
    public func save(to url: URL) throws(ChatAppError) {
        var object: [String: Any] = [:]
        if FileManager.default.fileExists(atPath: url.path) {
            object = (try? Self.readObject(url)) ?? [:]
        }
        if let theme { object["theme"] = theme } else { object.removeValue(forKey: "theme") }
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try (data + Data("\n".utf8)).write(to: url, options: .atomic)
        } catch {
            throw .configIO(path: url.path, reason: error.localizedDescription)
        }
    }

    private static func readObject(_ url: URL) throws(ChatAppError) -> [String: Any] {
        do {
            let data = try Data(contentsOf: url)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ChatAppError.configIO(path: url.path, reason: "the top level must be an object")
            }
            return object
        } catch let error as ChatAppError {
            throw error
        } catch {
            throw .configIO(path: url.path, reason: "not valid JSON")
        }
    }
}
