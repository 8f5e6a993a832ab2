import Foundation
import TestSupport
import Testing

/// `parley inspect`, `perplexity` and `bench` as a person types them (the engine issue's command
/// lines). Expected values come from outside this code: tensor counts and metadata as PyPI
/// `gguf` reads them (`shared/models/README.md`), perplexity from llama.cpp (`shared/reference`).
/// `bench` needs only a runnable model: the generated tiny llama.
@Suite(.requires([ParleyBinary.requirement]))
struct EngineCommandTests {
    static let q4KM = TestModel.smolLM2Q4_K_M.path
    static let stories = TestModel.stories260K.path
    static let tiny = GeneratedModels.llamaSPM.path

    @Test(.requires(.smolLM2Q4_K_M)) func inspectJSONReportsTheFileAsPyPIGGUFReadsIt() throws {
        let result = try ParleyBinary.run(["inspect", Self.q4KM, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "llama")
        #expect(object["contextLength"] as? Int == 8192)
        #expect(object["fileSize"] as? Int == 105_454_144)
        #expect(object["hasChatTemplate"] as? Bool == true)
        #expect(object["tokenizerModel"] as? String == "gpt2")
        #expect(object["vocabularySize"] as? Int == 49152)
        let types = try #require(object["tensorTypes"] as? [String: Int])
        #expect(types == ["Q5_0": 166, "Q4_K": 16, "Q6_K": 14, "Q8_0": 15, "F32": 61])
    }

    /// `inspect` finds its model as every other command does: `-m`/`--model` as well as the bare
    /// path, else the models folder; two different models are a usage error.
    @Test(.requires([.syntheticLlamaSPM])) func inspectTakesTheModelAsTheOtherCommandsDo() throws {
        let bare = try ParleyBinary.run(["inspect", Self.tiny, "--json"])
        #expect(bare.status == 0, "\(bare.stderr)")
        for arguments in [["inspect", "-m", Self.tiny, "--json"], ["inspect", "--model", Self.tiny, "--json"]] {
            let result = try ParleyBinary.run(arguments)
            #expect(result.status == 0 && result.stdout == bare.stdout, "\(arguments): \(result.stderr)")
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("parley-inspect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let folder = home.appendingPathComponent("data/parley/models")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: Self.tiny).lastPathComponent
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent(name), withDestinationURL: URL(fileURLWithPath: Self.tiny))
        let found = try ParleyBinary.run(["inspect"], home: home)
        #expect(found.status == 0 && found.stdout.contains(name), "\(found.stdout) \(found.stderr)")
        let two = try ParleyBinary.run(["inspect", Self.tiny, "-m", Self.q4KM])
        #expect(two.status == 2 && two.stderr.contains("two models given"), "\(two.status) \(two.stderr)")
    }

    @Test func inspectOfAMissingFileFailsWithItsPath() throws {
        let result = try ParleyBinary.run(["inspect", "/nonexistent/model.gguf"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/model.gguf"))
    }

    @Test(.requires(.stories260K)) func perplexityEndsWithThePPLLineWithinOnePercentOfLlamaCpp() throws {
        let tokens = TestPaths.referenceFile("ppl-text.stories260K.tokens.json").path
        let result = try ParleyBinary.run(["perplexity", "-m", Self.stories, "--tokens", tokens, "--ctx", "256"])
        #expect(result.status == 0, "\(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        #expect(last.hasPrefix("PPL = "))
        let value = try #require(Double(last.dropFirst("PPL = ".count)))
        #expect(abs(value - 77.1352) / 77.1352 < 0.01, "PPL \(value)")
    }

    @Test(.requires([.syntheticLlamaSPM])) func benchTakesLlamaBenchOptionsAndReportsEveryTest() throws {
        let result = try ParleyBinary.run([
            "bench", "-m", Self.tiny, "-p", "16", "-n", "8", "-t", "1,2",
            "-r", "2", "--json"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let tests = rows.map { "\($0["test"] ?? "")@\($0["threads"] ?? "")" }
        #expect(tests == ["pp16@1", "tg8@1", "pp16@2", "tg8@2"])
        for row in rows {
            let test = try #require(row["test"] as? String)
            // The tokens each run processed, as llama-bench's n_prompt/n_gen report them.
            let counts = (row["n_prompt"] as? Int, row["n_gen"] as? Int)
            #expect(test.hasPrefix("pp") ? counts == (16, 0) : counts == (0, 8), "\(test): \(counts)")
            // The mean and deviation are those of the two timed runs (recomputed here).
            let samples = try #require(row["samples"] as? [Double])
            #expect(samples.count == 2 && samples.allSatisfy { $0.isFinite && $0 > 0 }, "\(samples)")
            let mean = samples.reduce(0, +) / Double(samples.count)
            let deviation = (samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count - 1))
                .squareRoot()
            let speed = try #require(row["tokens_per_second"] as? Double)
            let stddev = try #require(row["stddev"] as? Double)
            #expect(
                abs(speed - mean) <= 1e-9 * mean && abs(stddev - deviation) <= 1e-9 * mean + 1e-12,
                "\(test): \(speed) ± \(stddev) vs samples \(samples)")
        }
    }

    /// `--verify-pass` times the pp test as speculation's verification pass, after `-d` cached
    /// tokens, and names it so a table cannot be mistaken for prefill's.
    @Test(.requires([.syntheticLlamaSPM])) func benchVerifyPassNamesItsTest() throws {
        let result = try ParleyBinary.run([
            "bench", "-m", Self.tiny, "-p", "4", "-n", "0", "-t", "1", "-d", "0,8", "-r", "2", "--verify-pass", "--json"
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["test"] as? String } == ["verify4", "verify4 @ d8"])
        #expect(rows.allSatisfy { $0["n_prompt"] as? Int == 4 && ($0["samples"] as? [Double])?.count == 2 })
    }

    @Test(.requires([.syntheticLlamaSPM])) func benchTablePrintsMeanAndDeviation() throws {
        let result = try ParleyBinary.run(["bench", "-m", Self.tiny, "-p", "0", "-n", "4", "-t", "1", "-r", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "| model | size | threads | test | t/s |")
        #expect(lines.count == 3)
        // 1,185,728 bytes, as make_synthetic_models.py writes it (PyPI gguf 0.19.0).
        #expect(
            lines.last?.contains("| \(GeneratedModels.llamaSPMName) | 1.13 MiB | 1 | tg4 | ") == true,
            "\(result.stdout)")
        #expect(lines.last?.contains(" ± ") == true)
    }
}
