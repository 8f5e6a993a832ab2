// swift-tools-version: 6.0
import PackageDescription

/// The kernels need AVX2/FMA/F16C code generation; without a target CPU, SIMD fused multiply-adds
/// become libm calls. x86-64-v3 is the x86 baseline and the binary checks the CPU at start-up.
#if arch(x86_64)
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let kernelFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "GGUF"),
        .target(name: "TestSupport", dependencies: ["GGUF"], path: "Tests/TestSupport"),
        .executableTarget(
            name: "parley",
            dependencies: [
                "GGUF",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
