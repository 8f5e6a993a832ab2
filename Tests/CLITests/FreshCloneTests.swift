import Foundation
import TestSupport
import Testing

/// A fresh clone (no `../shared`, an empty home) finds every committed test file, knows where
/// the default model gets installed, and says why the models it cannot have are missing; the
/// repository names no folder of one particular machine (issue #10).
@Suite struct FreshCloneTests {
    /// A temporary folder, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-fresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func touch(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("GGUF".utf8).write(to: url)
    }

    @Test func aFreshCloneFindsEveryCommittedFileInTestsFixtures() throws {
        let home = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let fresh = TestDataLocator(
            environment: ["HOME": home.path, "XDG_DATA_HOME": ""], sharedRoot: nil,
            fixturesRoot: TestPaths.fixturesRoot)
        let fixtures = TestPaths.fixturesRoot.standardizedFileURL.path
        var models: [String] = []
        for vocab in TestPaths.vocabularyNames {
            models += ["gguf.inp", "gguf.out"].map { "vocab/ggml-vocab-\(vocab).\($0)" }
        }
        for name in models {
            let found = try #require(fresh.find(name, in: .models), "\(name)")
            #expect(found.standardizedFileURL.path == "\(fixtures)/models/\(name)")
        }
        let references = [
            "SmolLM2-135M-Instruct.Q4_1.greedy.json", "SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1.greedy.json",
            "stories260K.greedy.json", "ppl-text.txt", "ppl-text.SmolLM2-135M-Instruct.Q4_1.tokens.json",
            "ppl-text.stories260K.tokens.json", "vectors-smollm2.json", "vectors-stories260K.json"
        ]
        for name in references {
            let found = try #require(fresh.find(name, in: .reference), "\(name)")
            #expect(found.standardizedFileURL.path == "\(fixtures)/reference/\(name)")
        }
        let templates = try #require(fresh.searchPath(.templates).first)
        #expect(templates.standardizedFileURL.path == "\(fixtures)/templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: templates.path)
        #expect(names.filter { $0.hasSuffix(".jinja") }.count == 60)
    }

    @Test func modelsThatAreNotCommittedAreMissingWithTheReason() throws {
        let home = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let fresh = TestDataLocator(
            environment: ["HOME": home.path], sharedRoot: nil,
            fixturesRoot: TestPaths.fixturesRoot)
        // stories260K is weights: only ../shared or PARLEY_MODELS_DIR can provide it.
        let stories = try #require(TestModel.stories260K.missingReason(in: fresh))
        #expect(
            stories.contains("no registry serves") && stories.contains("../shared")
                && stories.contains("PARLEY_MODELS_DIR"))
        let installed = home.appendingPathComponent(".local/share/parley/models")
        let q4_1 = try #require(TestModel.smolLM2Q4_1.missingReason(in: fresh))
        #expect(q4_1.contains(installed.path) && q4_1.contains("pip"))
        let q4KM = try #require(TestModel.smolLM2Q4_K_M.missingReason(in: fresh))
        #expect(q4KM.contains("no registry serves") && !q4KM.contains(installed.path))

        // Once installed where Scripts/setup.sh puts it, the default model is found there;
        // the requant is not looked for in that folder (no script installs it).
        try Self.touch(installed.appendingPathComponent(TestModel.smolLM2Q4_1.fileName))
        try Self.touch(installed.appendingPathComponent(TestModel.smolLM2Q4_K_M.fileName))
        #expect(
            fresh.find(TestModel.smolLM2Q4_1.fileName, in: .models)?.path
                == installed.appendingPathComponent(TestModel.smolLM2Q4_1.fileName).path)
        #expect(TestModel.smolLM2Q4_1.missingReason(in: fresh) == nil)
        #expect(TestModel.smolLM2Q4_K_M.missingReason(in: fresh) != nil)
    }

    /// "Never commit model weights", nor vocabulary-only GGUFs (the tests install those): no GGUF
    /// file is under Tests/Fixtures.
    @Test func noGGUFFileIsCommittedInTestsFixtures() throws {
        let root = TestPaths.fixturesRoot
        let walker = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var found: [String] = []
        for case let url as URL in walker where url.pathExtension == "gguf" {
            found.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        #expect(found.isEmpty, "GGUF files in Tests/Fixtures (Scripts/test.sh installs the vocabularies): \(found)")
    }

    /// The vocabularies Scripts/test.sh installs are found in the installed folder, last, and a
    /// file of that folder that no script installs is not.
    @Test func installedVocabulariesAreFoundInTheInstalledFolder() throws {
        let home = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: home) }
        let fresh = TestDataLocator(
            environment: ["HOME": home.path], sharedRoot: nil, fixturesRoot: TestPaths.fixturesRoot)
        let installed = fresh.installedModels.appendingPathComponent("vocab")
        #expect(fresh.find("vocab/ggml-vocab-qwen2.gguf", in: .models) == nil)
        #expect(fresh.lookedIn("vocab/ggml-vocab-qwen2.gguf", in: .models).contains(fresh.installedModels.path))
        try Self.touch(installed.appendingPathComponent("ggml-vocab-qwen2.gguf"))
        try Self.touch(installed.appendingPathComponent("ggml-vocab-unknown.gguf"))
        #expect(
            fresh.find("vocab/ggml-vocab-qwen2.gguf", in: .models)?.path
                == installed.appendingPathComponent("ggml-vocab-qwen2.gguf").path)
        #expect(fresh.find("vocab/ggml-vocab-unknown.gguf", in: .models) == nil)
    }

    @Test func xdgDataHomeDecidesTheInstalledFolderAndEmptyMeansUnset() {
        let withXDG = TestDataLocator(
            environment: ["HOME": "/home/a", "XDG_DATA_HOME": "/data"], sharedRoot: nil,
            fixturesRoot: TestPaths.fixturesRoot)
        #expect(withXDG.installedModels.path == "/data/parley/models")
        let empty = TestDataLocator(
            environment: ["HOME": "/home/a", "XDG_DATA_HOME": ""], sharedRoot: nil,
            fixturesRoot: TestPaths.fixturesRoot)
        #expect(empty.installedModels.path == "/home/a/.local/share/parley/models")
    }

    @Test func environmentThenSharedThenFixtures() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let environmentModels = root.appendingPathComponent("env-models")
        let shared = root.appendingPathComponent("shared")
        let fixtures = root.appendingPathComponent("Fixtures")
        for folder in [
            environmentModels, shared.appendingPathComponent("models"), fixtures.appendingPathComponent("models")
        ] {
            try Self.touch(folder.appendingPathComponent("stories260K.gguf"))
        }
        try Self.touch(fixtures.appendingPathComponent("models/vocab/ggml-vocab-gpt-2.gguf"))
        let all = TestDataLocator(
            environment: ["PARLEY_MODELS_DIR": environmentModels.path, "HOME": root.path],
            sharedRoot: shared, fixturesRoot: fixtures)
        #expect(
            all.find("stories260K.gguf", in: .models)?.path
                == environmentModels.appendingPathComponent("stories260K.gguf").path)
        // A file the overriding folder lacks is still found further down the order.
        #expect(
            all.find("vocab/ggml-vocab-gpt-2.gguf", in: .models)?.path
                == fixtures.appendingPathComponent("models/vocab/ggml-vocab-gpt-2.gguf").path)
        var noEnvironment = all
        noEnvironment.environment = ["HOME": root.path]
        #expect(
            noEnvironment.find("stories260K.gguf", in: .models)?.path
                == shared.appendingPathComponent("models/stories260K.gguf").path)
        noEnvironment.sharedRoot = nil
        #expect(
            noEnvironment.find("stories260K.gguf", in: .models)?.path
                == fixtures.appendingPathComponent("models/stories260K.gguf").path)
    }

    /// The code, scripts and tests name no absolute folder of one machine (the old fallback to
    /// the helpers' shared folder, an oracle build folder under /tmp).
    @Test func noPathOfOneParticularMachineInTheRepository() throws {
        let forbidden = ["/" + "work/", "/tmp/" + "lcpp"]
        let root = TestPaths.repositoryRoot
        var offenders: [String] = []
        for folder in ["Sources", "Tests", "Scripts"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where ["swift", "sh", "py", "c", "h"].contains(url.pathExtension) {
                let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
                for needle in forbidden where text.contains(needle) {
                    offenders.append("\(url.path.dropFirst(root.path.count + 1)): \(needle)")
                }
            }
        }
        for file in ["Package.swift"] {
            let text = String(decoding: try Data(contentsOf: root.appendingPathComponent(file)), as: UTF8.self)
            offenders += forbidden.filter(text.contains).map { "\(file): \($0)" }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }
}
