// swift-tools-version: 6.0
import PackageDescription

/// The kernels need AVX2/FMA/F16C code generation; without a target CPU, SIMD fused multiply-adds
/// become libm calls. x86-64-v3 is the x86 baseline and the binary checks the CPU at start-up.
#if arch(x86_64)
    let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
    /// The AVX-512 kernels (`InferenceAVX512`) are compiled for Cascade Lake: AVX-512 F/CD/BW/DQ/VL
    /// and VNNI, which Intel Ice Lake/Sapphire Rapids and AMD Zen 4/5 share. Only CPUID-gated calls
    /// reach them (`KernelPath`); `Scripts/check-evex.sh` checks that no EVEX code leaks elsewhere.
    let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "cascadelake"])]
#else
    let kernelFlags: [SwiftSetting] = []
    let avx512Flags: [SwiftSetting] = []
#endif

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0")
    ],
    targets: [
        // Untrusted model bytes: bounds-checked GGUF reader over mmap.
        .target(name: "GGUF"),
        // Text to token ids and back, from a GGUF's vocabulary: untrusted bytes, no kernels.
        .target(name: "Tokenizer", dependencies: ["GGUF"]),
        // Tensors, kernels, model, sampler, generator (re-exports Tokenizer).
        .target(
            name: "Inference", dependencies: ["GGUF", "Tokenizer", "CPrefetch", "InferenceAVX512"],
            swiftSettings: kernelFlags),
        // AVX-512 VNNI dot-product kernels, called only after a CPUID check.
        .target(name: "InferenceAVX512", dependencies: ["CPrefetch"], swiftSettings: avx512Flags),
        // C shims for what Swift cannot import (macros): prefetch, xgetbv, an AVX2 gather.
        .target(name: "CPrefetch"),
        // Sandboxed Jinja2 subset for chat templates.
        .target(name: "Jinja"),
        // The conversation's value types: messages, parameters, events, transcripts, the backend protocol.
        .target(name: "Chat"),
        // The local backend: `ChatSession` owns a GGUF model and its KV cache on its own queue.
        .target(
            name: "LocalChat",
            dependencies: [
                "Chat", "GGUF", "Inference", "Jinja", .product(name: "Crypto", package: "swift-crypto")
            ]),
        // The remote backend: any OpenAI-compatible Chat Completion server, streamed over SSE.
        .target(
            name: "RemoteChat",
            dependencies: [
                "Chat", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio")
            ]),
        // The terminal: pure grid/widgets core, and the only code that calls ncurses.
        .systemLibrary(name: "CNcurses"),
        .target(name: "TerminalUI"),
        .target(
            name: "NcursesTerminal",
            dependencies: ["CNcurses", "TerminalUI", .product(name: "DequeModule", package: "swift-collections")]),
        // The full-screen chat: state, update, view, key bindings, themes, runtime loop.
        .target(name: "ChatApp", dependencies: ["Chat", "TerminalUI"]),
        // `parley serve`: the OpenAI-compatible HTTP API over Chat, on Hummingbird.
        .target(
            name: "Server",
            dependencies: [
                "Chat", "LocalChat", "Inference",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle")
            ]),
        // `parley pull/models/rm`: Hugging Face downloads (resumable, verified) and the installed-model catalog.
        .target(
            name: "ModelHub",
            dependencies: [
                "GGUF",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        .executableTarget(
            name: "parley",
            dependencies: [
                "GGUF", "Inference", "Jinja", "Chat", "LocalChat", "RemoteChat", "ChatApp", "TerminalUI",
                "NcursesTerminal", "Server", "ModelHub",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]),
        .target(
            name: "TestSupport",
            dependencies: ["GGUF", "TerminalUI", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TestSupport"),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "InferenceTests", dependencies: ["Inference", "Tokenizer", "GGUF", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: kernelFlags),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"],
            exclude: ["Fixtures", "__Snapshots__"]),
        .testTarget(
            name: "ChatAppTests", dependencies: ["ChatApp", "Chat", "TerminalUI", "TestSupport"],
            exclude: ["__Snapshots__"]),
        // The real binary and model in tmux; skipped when .build/release/parley or tmux is missing.
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "GGUF"]),
        .testTarget(
            name: "ChatTests", dependencies: ["Chat", "LocalChat", "Inference", "GGUF", "TestSupport"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "RemoteChatTests", dependencies: ["RemoteChat", "Chat", "TestSupport"]),
        .testTarget(
            name: "ModelHubTests",
            dependencies: [
                "ModelHub", "GGUF", "Inference", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Chat", "LocalChat", "Inference", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird")
            ])
    ],
    swiftLanguageModes: [.v6]
)
