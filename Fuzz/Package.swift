// swift-tools-version: 6.0
import PackageDescription

/// libFuzzer harnesses, kept out of the main package so its manifest stays clean.
///
/// `Modules/*` are symlinks to `../Sources/*` (SwiftPM refuses target paths outside a package), so
/// the harnesses fuzz exactly the code the app ships. Build and run through `Scripts/fuzz.sh`,
/// which passes the sanitizer flags and links with lld (see the comments there).
#if arch(x86_64)
    let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
    /// As in the main manifest: the AVX-512 kernels, reached only after a CPUID check.
    let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "cascadelake"])]
#else
    let kernelFlags: [SwiftSetting] = []
    let avx512Flags: [SwiftSetting] = []
#endif

let package = Package(
    name: "ParleyFuzz",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "GGUF", path: "Modules/GGUF"),
        .target(name: "CPrefetch", path: "Modules/CPrefetch"),
        .target(name: "Tokenizer", dependencies: ["GGUF"], path: "Modules/Tokenizer"),
        .target(
            name: "Inference", dependencies: ["GGUF", "Tokenizer", "CPrefetch", "InferenceAVX512"],
            path: "Modules/Inference",
            swiftSettings: kernelFlags),
        .target(
            name: "InferenceAVX512", dependencies: ["CPrefetch"], path: "Modules/InferenceAVX512",
            swiftSettings: avx512Flags),
        .target(name: "Jinja", path: "Modules/Jinja"),
        // The conversation's values only: the engine-owning session lives in LocalChat (not fuzzed here).
        .target(name: "Chat", path: "Modules/Chat"),
        .target(name: "TerminalUI", path: "Modules/TerminalUI"),
        // One executable per target: libFuzzer supplies `main`, each calls LLVMFuzzerTestOneInput.
        .executableTarget(name: "fuzz-gguf", dependencies: ["GGUF", "Inference"], path: "Harnesses/gguf"),
        .executableTarget(name: "fuzz-jinja", dependencies: ["Jinja"], path: "Harnesses/jinja"),
        .executableTarget(name: "fuzz-transcript", dependencies: ["Chat"], path: "Harnesses/transcript"),
        // The tokenizer without the kernels, as the app links it.
        .executableTarget(name: "fuzz-tokenizer", dependencies: ["GGUF", "Tokenizer"], path: "Harnesses/tokenizer"),
        .executableTarget(name: "fuzz-input", dependencies: ["TerminalUI"], path: "Harnesses/input")
    ],
    swiftLanguageModes: [.v6]
)
