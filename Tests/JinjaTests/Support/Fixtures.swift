import Foundation
import Jinja

/// Locates committed fixtures and the shared chat templates.
enum Fixtures {
    /// `<package>/Tests/JinjaTests/Fixtures`, found from this source file's path (not Bundle resources).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // JinjaTests
        .appendingPathComponent("Fixtures")

    static var packageRoot: URL {
        root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$PARLEY_TEMPLATES_DIR`, else `<package>/../shared/templates`, else `/work/shared/templates`.
    static var templatesDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["PARLEY_TEMPLATES_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let sibling = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/templates")
        if FileManager.default.fileExists(atPath: sibling.path) { return sibling }
        return URL(fileURLWithPath: "/work/shared/templates")
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relativePath))
    }

    static func text(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// Names (without `.jinja`) of the shared templates, sorted.
    static func templateNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: templatesDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".jinja") }.map { String($0.dropLast(6)) }.sorted()
    }

    static func templateSource(_ name: String) throws -> String {
        try text(templatesDirectory.appendingPathComponent(name + ".jinja"))
    }
}

/// The fixed `now` of every golden file: 2026-01-15 10:30:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_768_473_000)
