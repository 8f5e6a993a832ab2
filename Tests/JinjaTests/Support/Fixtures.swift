import Foundation
import Jinja
import TestSupport

/// Locates committed fixtures and the sixty real chat templates.
enum Fixtures {
    /// `<package>/Tests/JinjaTests/Fixtures`, found from this source file's path (not Bundle resources).
    static let root = TestPaths.repositoryFile("Tests/JinjaTests/Fixtures")

    /// `$PARLEY_TEMPLATES_DIR`, else `../shared/templates`, else the committed
    /// `Tests/Fixtures/templates` (see `TestPaths`).
    static var templatesDirectory: URL { TestPaths.templates }

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
