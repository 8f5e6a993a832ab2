import Foundation
import ModelHub
import TestSupport
import Testing

/// The release binary the CLI tests run.
let parleyBinary = TestPaths.repositoryFile(".build/release/parley")

/// `parley pull`, `parley models` and `parley rm` as a person runs them: the release binary,
/// `HF_ENDPOINT` pointing at the loopback hub, a private data folder.
@Suite(
    .serialized,
    .requires([
        .executable(parleyBinary, makeItWith: "Scripts/test.sh (it builds the release binary)"),
        .syntheticLlamaSPM
    ]))
struct PullCommandTests {
    static let binary = parleyBinary

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `parley arguments` with `environment` added; `home` holds the XDG folders.
    static func start(
        _ arguments: [String], home: URL, environment extra: [String: String],
        input: String = ""
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["HF_TOKEN", "HF_ENDPOINT", "PARLEY_MODEL", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"]
        {
            environment.removeValue(forKey: key)
        }
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_CACHE_HOME"] = home.appendingPathComponent("cache").path
        environment["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
        environment.merge(extra) { $1 }
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        return (process, stdout, stderr)
    }

    static func run(_ arguments: [String], home: URL, environment: [String: String] = [:], input: String = "") throws
        -> Run
    {
        let (process, stdout, stderr) = try start(arguments, home: home, environment: environment, input: input)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// `run` off the concurrency pool (`offPool`): waiting for the child blocks.
    static func runAsync(
        _ arguments: [String], home: URL, environment: [String: String] = [:],
        input: String = ""
    ) async throws -> Run {
        try await offPool { try run(arguments, home: home, environment: environment, input: input) }
    }

    static func modelsFolder(_ home: URL) -> URL { home.appendingPathComponent("data/parley/models") }

    @Test func pullThenModelsThenRm() async throws {
        let home = PullFixtures.temporaryFolder("home")
        let size = ByteFormat.string(Int64(try PullFixtures.model.count))
        try await FakeHub.with(PullTests.setUp) { hub in
            let pull = try await Self.runAsync(
                ["pull", "\(PullTests.repo):Q8_0", "--progress-interval", "0"], home: home,
                environment: ["HF_ENDPOINT": hub.base])
            #expect(pull.status == 0, "\(pull.stderr)")
            #expect(pull.stdout.contains("installed \(PullTests.fileName)"), "\(pull.stdout)")
            #expect(pull.stderr.contains("pull: \(PullTests.fileName) \(size) of \(size) (100%)"), "\(pull.stderr)")
            #expect(pull.stderr.contains("sha256 verified"))

            let json = try await Self.runAsync(["models", "--json"], home: home)
            #expect(json.status == 0)
            let listed = try JSONDecoder().decode([InstalledModel].self, from: Data(json.stdout.utf8))
            // A failed pull must fail the test, not crash the whole test process on `listed[0]`.
            try #require(listed.map(\.name) == ["tiny-llama-Q8_0"])
            #expect(listed.first?.architecture == "llama" && listed.first?.hasChatTemplate == false)
            let table = try await Self.runAsync(["models"], home: home)
            #expect(table.stdout.hasPrefix("NAME"), "\(table.stdout)")
            #expect(table.stdout.contains("tiny-llama-Q8_0  llama"), "\(table.stdout)")

            let answer = try await Self.runAsync(
                [
                    "run", "-m", listed[0].path, "-p", "Once upon a time", "--temperature", "0",
                    "--max-tokens", "8"
                ], home: home)
            #expect(answer.status == 0 && !answer.stdout.isEmpty, "\(answer.stderr)")

            let keep = try await Self.runAsync(["rm", "tiny-llama-Q8_0"], home: home, input: "n\n")
            #expect(keep.stdout.contains("kept") && PullFixtures.models(in: Self.modelsFolder(home)).count == 1)
            let remove = try await Self.runAsync(["rm", "tiny-llama-Q8_0", "--yes"], home: home)
            #expect(remove.status == 0 && remove.stdout.contains("removed tiny-llama-Q8_0"))
            #expect(PullFixtures.models(in: Self.modelsFolder(home)).isEmpty)
            let again = try await Self.runAsync(["rm", "tiny-llama-Q8_0", "--yes"], home: home)
            #expect(again.status == 1 && again.stderr.contains("no installed model named"))
        }
    }

    @Test func a401HintsAtHFTokenAndNeverPrintsIt() async throws {
        let home = PullFixtures.temporaryFolder("home")
        let bytes = try PullFixtures.model
        let setUp: (FakeHub) -> Void = {
            $0.add(repo: "org/gated", files: [.init(path: "m-Q4_K_M.gguf", bytes: bytes)], token: "hf_right")
        }
        try await FakeHub.with(setUp) { hub in
            let denied = try await Self.runAsync(
                ["pull", "org/gated"], home: home,
                environment: ["HF_ENDPOINT": hub.base, "HF_TOKEN": "hf_TOPSECRET_value"])
            #expect(denied.status == 1)
            #expect(
                denied.stderr.contains("HTTP 401") && denied.stderr.contains("HF_TOKEN is set but was refused"),
                "\(denied.stderr)")
            #expect(!(denied.stdout + denied.stderr).contains("TOPSECRET"))
            let anonymous = try await Self.runAsync(
                ["pull", "org/gated"], home: home, environment: ["HF_ENDPOINT": hub.base])
            #expect(anonymous.stderr.contains("set HF_TOKEN"), "\(anonymous.stderr)")
            let bad = try await Self.runAsync(
                ["pull", "org/gated/../x.gguf"], home: home, environment: ["HF_ENDPOINT": hub.base])
            #expect(bad.status == 2 && bad.stderr.contains("bad model reference"), "\(bad.stderr)")
        }
    }

    @Test func ctrlCKeepsThePartialFileAndTheNextPullResumes() async throws {
        let home = PullFixtures.temporaryFolder("home")
        let source = try PullFixtures.model
        try await FakeHub.with(PullTests.setUp) { hub in
            hub.faults.stallAfter = 300_000
            hub.faults.stallFor = .seconds(3)
            let (process, _, stderr) = try Self.start(
                ["pull", "\(PullTests.repo):Q8_0"], home: home,
                environment: ["HF_ENDPOINT": hub.base])
            let partial = Self.modelsFolder(home).appendingPathComponent(".partial/\(PullTests.fileName).part").path
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline,
                ((try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? NSNumber)?.intValue ?? 0)
                    < 300_000
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, SIGINT)
            let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130, "\(message)")
            #expect(
                message.contains("interrupted") && message.contains("run the same command again to resume"),
                "\(message)")
            #expect(PullFixtures.models(in: Self.modelsFolder(home)).isEmpty)
            hub.faults.stallAfter = nil
            hub.resetCounters()
            let resumed = try await Self.runAsync(
                ["pull", "\(PullTests.repo):Q8_0"], home: home, environment: ["HF_ENDPOINT": hub.base])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("resuming with 293.0 KiB already here"), "\(resumed.stderr)")
            #expect(hub.served(from: 300_000) == source.count - 300_000)
            #expect(hub.seen.filter { $0.path.hasPrefix("/cdn/") }.map(\.range) == ["bytes=300000-"])
            #expect(
                try PullFixtures.sha256(file: Self.modelsFolder(home).appendingPathComponent(PullTests.fileName).path)
                    == PullFixtures.sha256(source))
        }
    }
}
