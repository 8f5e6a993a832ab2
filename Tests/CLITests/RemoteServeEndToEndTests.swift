import Foundation
import TestSupport
import Testing

/// The remote path end to end: `parley run --endpoint` against a real `parley serve` started
/// here on loopback gives the local engine's greedy answer, and `--continue` on the remote
/// transcript goes on exactly as a local continuation of the same file does.
@Suite(.requires([ParleyBinary.requirement]), .requires(.smolLM2Q4_1), .serialized)
struct RemoteServeEndToEndTests {
    static let keyVariable = "PARLEY_E2E_KEY_14"

    /// Starts `parley serve` on a free port; returns it with its base URL.
    static func startServer(home: URL) throws -> (ParleyBinary.Running, String) {
        let serve = try ParleyBinary.start(
            [
                "serve", "-m", ParleyBinary.smolLM2, "--port", "0", "--api-key", "sk-e2e-14",
                "-t", "1"
            ], home: home)
        var seen = ""
        let handle = serve.stderr.fileHandleForReading
        while !seen.contains("listening on http://127.0.0.1:") || !seen.hasSuffix("\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        let tail = try #require(seen.components(separatedBy: "listening on http://127.0.0.1:").last)
        let port = try #require(Int(tail.prefix { $0.isNumber }), "\(seen)")
        return (serve, "http://127.0.0.1:\(port)/v1")
    }

    /// A fresh home, the key in the environment, and `parley serve` running in it.
    static func servedHome() throws -> (ParleyBinary.Running, String, URL) {
        setenv(keyVariable, "sk-e2e-14", 1)
        let home = ParleyBinary.temporaryDirectory()
        let (serve, url) = try startServer(home: home)
        return (serve, url, home)
    }

    static func stop(_ serve: ParleyBinary.Running) {
        if serve.process.isRunning { serve.process.terminate() }
        serve.process.waitUntilExit()
    }

    @Test func runThroughServeEqualsTheLocalGreedyAnswerAndContinues() throws {
        let (serve, url, home) = try Self.servedHome()
        defer { Self.stop(serve) }
        let greedy = ["--temperature", "0", "--max-tokens", "24", "-t", "1"]
        let remoteFlags = ["--endpoint", url, "--api-key-env", Self.keyVariable]
        let remoteFile = home.appendingPathComponent("remote.json")
        let localFile = home.appendingPathComponent("local.json")
        let question = "What is the capital of France?"

        let local = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2, "-p", question] + greedy, home: home)
        let remote = try ParleyBinary.run(
            ["run", "-p", question, "--save", remoteFile.path] + remoteFlags + greedy.dropLast(2),
            home: home)
        #expect(local.status == 0 && remote.status == 0, "\(local.stderr) \(remote.stderr)")
        #expect(!local.stdout.isEmpty && remote.stdout == local.stdout)

        // The same remote transcript continued remotely and locally: the same second answer.
        try FileManager.default.copyItem(at: remoteFile, to: localFile)
        let follow = "And of Germany?"
        let remote2 = try ParleyBinary.run(
            ["run", "--continue", remoteFile.path, "-p", follow] + remoteFlags
                + greedy.dropLast(2), home: home)
        let local2 = try ParleyBinary.run(
            ["run", "-m", ParleyBinary.smolLM2, "--continue", localFile.path, "-p", follow]
                + greedy, home: home)
        #expect(remote2.status == 0 && local2.status == 0, "\(remote2.stderr) \(local2.stderr)")
        #expect(!remote2.stdout.isEmpty && remote2.stdout == local2.stdout)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: remoteFile)) as? [String: Any])
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant"])
        let backend = try #require(messages[3]["backend"] as? [String: String])
        #expect(backend["type"] == "remote" && backend["model"] == "SmolLM2-135M-Instruct.Q4_1")
        #expect(!String(decoding: try Data(contentsOf: remoteFile), as: UTF8.self).contains("sk-e2e-14"))
    }

    /// `run --raw --endpoint` continues the text on the server (`POST /v1/completions`): the
    /// same greedy text, and the same alternatives for a seed, as `run --raw` on this machine.
    @Test func rawRunThroughServeEqualsTheLocalContinuation() throws {
        let (serve, url, home) = try Self.servedHome()
        defer { Self.stop(serve) }
        let remoteFlags = ["--endpoint", url, "--api-key-env", Self.keyVariable]
        for flags in [["--temperature", "0", "--max-tokens", "24"], ["--n", "2", "--seed", "5", "--max-tokens", "12"]] {
            let text = ["run", "--raw", "-p", "Once upon a time, in a small village,"] + flags
            let local = try ParleyBinary.run(text + ["-m", ParleyBinary.smolLM2, "-t", "1"], home: home)
            let remote = try ParleyBinary.run(text + remoteFlags, home: home)
            #expect(local.status == 0 && remote.status == 0, "\(local.stderr) \(remote.stderr)")
            #expect(local.stdout.count > 40 && remote.stdout == local.stdout, "\(flags)")
        }
        // The server answered both (the flag was ignored once, and the local model answered).
        Self.stop(serve)
        let log = String(decoding: serve.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.components(separatedBy: "POST /v1/completions 200").count == 3, "\(log)")
    }
}
