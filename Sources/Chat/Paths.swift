import Foundation

/// The XDG base folders, with their documented defaults.
public enum Paths {
    public static func dataHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        xdg("XDG_DATA_HOME", default: ".local/share", environment)
    }

    public static func configHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        xdg("XDG_CONFIG_HOME", default: ".config", environment)
    }

    public static func cacheHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        xdg("XDG_CACHE_HOME", default: ".cache", environment)
    }

    /// `$XDG_DATA_HOME/parley/models`, where `Scripts/setup.sh` puts the default model.
    public static func modelsDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        dataHome(environment: environment).appendingPathComponent("parley/models", isDirectory: true)
    }

    private static func xdg(_ key: String, default relative: String, _ environment: [String: String]) -> URL {
        if let value = environment[key], value.hasPrefix("/") { return URL(fileURLWithPath: value, isDirectory: true) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(relative, isDirectory: true)
    }
}
