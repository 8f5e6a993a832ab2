import Foundation

/// The lookup order of `TestPaths` as a value over an explicit environment and explicit roots,
/// so the order itself is tested with temporary folders (no process-wide environment changes).
public struct TestDataLocator: Sendable {
    public var environment: [String: String]
    /// `../shared` beside the clone, or nil on a fresh clone.
    public var sharedRoot: URL?
    /// `Tests/Fixtures`.
    public var fixturesRoot: URL

    public init(environment: [String: String], sharedRoot: URL?, fixturesRoot: URL) {
        self.environment = environment
        self.sharedRoot = sharedRoot
        self.fixturesRoot = fixturesRoot
    }

    /// `$XDG_DATA_HOME/parley/models`, default `$HOME/.local/share/parley/models`: where
    /// `Scripts/setup.sh` (and `Scripts/test.sh`) install the default model. An empty variable
    /// counts as unset, as in the scripts' `${XDG_DATA_HOME:-...}`.
    public var installedModels: URL {
        let dataHome: URL
        if let value = environment["XDG_DATA_HOME"], !value.isEmpty {
            dataHome = URL(fileURLWithPath: value)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = URL(fileURLWithPath: home).appendingPathComponent(".local/share")
        }
        return dataHome.appendingPathComponent("parley/models")
    }

    /// The folders searched for files of `folder`, in order (only those that exist).
    public func searchPath(_ folder: TestPaths.Folder) -> [URL] {
        var candidates: [URL] = []
        if let value = environment[folder.environmentKey], !value.isEmpty {
            candidates.append(URL(fileURLWithPath: value))
        }
        if let sharedRoot { candidates.append(sharedRoot.appendingPathComponent(folder.rawValue)) }
        candidates.append(fixturesRoot.appendingPathComponent(folder.rawValue))
        return candidates.filter(TestPaths.isDirectory)
    }

    /// The first place holding `relativePath` (e.g. `vocab/ggml-vocab-qwen2.gguf`), or nil; the
    /// installed models folder is searched, last, for the files the scripts install
    /// (`TestPaths.isInstallable`).
    public func find(_ relativePath: String, in folder: TestPaths.Folder) -> URL? {
        var places = searchPath(folder)
        if folder == .models && TestPaths.isInstallable(relativePath) { places.append(installedModels) }
        return places.map { $0.appendingPathComponent(relativePath) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Every place `relativePath` is looked for, for messages saying where it is missing.
    public func lookedIn(_ relativePath: String, in folder: TestPaths.Folder) -> [String] {
        var places: [String] = []
        if let value = environment[folder.environmentKey], !value.isEmpty {
            places.append("$\(folder.environmentKey)")
        }
        places.append("../shared/\(folder.rawValue)")
        places.append("Tests/Fixtures/\(folder.rawValue)")
        if folder == .models && TestPaths.isInstallable(relativePath) {
            places.append(installedModels.path)
        }
        return places
    }
}
