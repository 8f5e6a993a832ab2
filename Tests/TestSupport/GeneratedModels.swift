import Foundation

/// The tiny seeded-random models `Scripts/reference/make_synthetic_models.py` writes with PyPI
/// `gguf` (run by `Scripts/test.sh`), for tests that need *a* runnable model rather than the
/// numbers of a particular real one. They are generated, never committed (model weights stay out
/// of the repository); their NumPy reference logits are committed beside them.
public enum GeneratedModels {
    /// `Tests/InferenceTests/Fixtures/Model`, where the script writes them.
    public static let folder: URL = TestPaths.repositoryFile("Tests/InferenceTests/Fixtures/Model")

    /// The plain llama with a 512-token SentencePiece vocabulary (stories260K's shape and
    /// metadata, random weights, 1.1 MiB): what the CLI, model-hub, chat and GGUF tests run.
    public static let llamaSPMName = "synthetic-llama-spm.gguf"

    public static var llamaSPM: URL { folder.appendingPathComponent(llamaSPMName) }
}

extension TestRequirement {
    /// `GeneratedModels.llamaSPM`: a test needing it is skipped, saying how to make it, when the
    /// script could not run (no pip or numpy).
    public static let syntheticLlamaSPM = TestRequirement.generatedFiles(
        [GeneratedModels.llamaSPM],
        makeItWith: "Scripts/test.sh (it generates it with PyPI gguf; or Scripts/reference/make_synthetic_models.py)")
}
