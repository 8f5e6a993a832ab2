import Foundation

/// Where tests find the repository, the shared models and the oracle outputs.
///
/// Models are never committed: they live in `../shared/models` beside the clone, or wherever
/// `PARLEY_MODELS_DIR` points. Fixtures committed with the tests are found from this file's path,
/// so tests work from any working directory.
public enum TestPaths {
    /// The package root (the folder holding `Package.swift`).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the clone, falling back to `/work/shared` for helper checkouts.
    public static let sharedRoot: URL = {
        let beside = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: "/work/shared")
    }()

    public static var models: URL { directory(env: "PARLEY_MODELS_DIR", default: "models") }
    public static var reference: URL { directory(env: "PARLEY_REFERENCE_DIR", default: "reference") }
    public static var templates: URL { directory(env: "PARLEY_TEMPLATES_DIR", default: "templates") }

    /// A model file in the models folder, by file name.
    public static func model(_ name: String) -> URL { models.appendingPathComponent(name) }

    /// A file in the repository, by path relative to the root (e.g. `Tests/GGUFTests/Fixtures/x`).
    public static func repositoryFile(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    private static func directory(env: String, default name: String) -> URL {
        if let value = ProcessInfo.processInfo.environment[env], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        return sharedRoot.appendingPathComponent(name)
    }
}
