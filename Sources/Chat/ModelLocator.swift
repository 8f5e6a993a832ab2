import Foundation

/// Decides which model file to use, the same way everywhere: `--model`, then `$PARLEY_MODEL`,
/// then the models folder (the default model first, else the first `.gguf` by name).
public enum ModelLocator {
    /// The model `Scripts/setup.sh` installs.
    public static let defaultModelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    public static func resolve(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ChatError) -> String {
        if let explicit, !explicit.isEmpty {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw .modelNotFound("model file not found: \(explicit)")
            }
            return explicit
        }
        if let variable = environment["PARLEY_MODEL"], !variable.isEmpty {
            guard FileManager.default.fileExists(atPath: variable) else {
                throw .modelNotFound("PARLEY_MODEL points to \(variable), which does not exist")
            }
            return variable
        }
        let folder = Paths.modelsDirectory(environment: environment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let models = names.filter { $0.hasSuffix(".gguf") }.sorted()
        if let name = models.contains(defaultModelFileName) ? defaultModelFileName : models.first {
            return folder.appendingPathComponent(name).path
        }
        throw .modelNotFound(
            """
            no model found: pass --model FILE.gguf, set PARLEY_MODEL, or run Scripts/setup.sh to install \
            the default model (\(defaultModelFileName)) into \(folder.path)
            """)
    }
}
