import Foundation
import Testing

/// The CLI suites refuse a `parley` binary older than the sources it should have been built from.
struct StaleBinaryTests {
    /// A folder with a "binary" and a `Sources/` tree, with chosen modification times.
    func layout(binaryAge: TimeInterval, sourceAges: [String: TimeInterval]) throws -> (binary: URL, sources: URL) {
        let root = ParleyBinary.temporaryDirectory()
        let now = Date()
        let binary = root.appendingPathComponent("parley")
        try Data("binary".utf8).write(to: binary)
        try FileManager.default.setAttributes([.modificationDate: now - binaryAge], ofItemAtPath: binary.path)
        let sources = root.appendingPathComponent("Sources")
        for (path, age) in sourceAges {
            let file = sources.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("// source".utf8).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: now - age], ofItemAtPath: file.path)
        }
        return (binary, sources)
    }

    @Test func aBinaryNewerThanEverySourceIsUsed() throws {
        let (binary, sources) = try layout(binaryAge: 10, sourceAges: ["A/a.swift": 100, "B/b.swift": 50])
        #expect(ParleyBinary.staleness(of: binary, sources: sources) == nil)
    }

    @Test func aSourceChangedAfterTheBuildIsNamed() throws {
        let (binary, sources) = try layout(
            binaryAge: 100,
            sourceAges: [
                "A/a.swift": 200, "B/deep/b.swift": 50,
                "C/c.swift": 80
            ])
        let message = try #require(ParleyBinary.staleness(of: binary, sources: sources))
        #expect(message.contains("B/deep/b.swift") && message.contains("swift build -c release"), "\(message)")
    }
}
