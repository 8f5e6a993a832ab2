import ArgumentParser
import Chat
import GGUF
import LocalChat

/// `--ctx` checked against the model before anything heavy happens.
///
/// A context beyond the model's training context used to be capped silently, and then a long
/// message was told to "raise --ctx", which could not help. Asking for more than the model
/// supports is a usage error (exit 2) that states the largest value; the session checks again.
enum ContextLimit {
    /// Throws a `ValidationError` when `requested` exceeds the training context of the model at
    /// `path`. A model that cannot be read is left for the loader to report (exit 1).
    static func check(_ requested: Int?, modelPath: String) throws {
        guard let requested, let training = trainingContext(modelPath: modelPath) else { return }
        if requested > training {
            throw ValidationError(ChatError.contextTooLarge(requested: requested, maximum: training).description)
        }
    }

    /// `<architecture>.context_length` from the GGUF header, if the file has one.
    static func trainingContext(modelPath: String) -> Int? {
        guard let file = try? GGUFFile(path: modelPath), let architecture = file.architecture else { return nil }
        return file.metadata.int("\(architecture).context_length")
    }
}
