import Foundation
import TestSupport
import Testing

/// `parley run` end to end on the real model: the reference answer, JSON output, transcripts,
/// KV reuse across processes, exit codes, and files that are never damaged.
@Suite(.serialized, .requires([ParleyBinary.requirement]))
struct RunCommandTests {
    @Test(.requires(.smolLM2Q4_1)) func greedyAnswerIsTheReferenceAnswer() throws {
        let result = try ParleyBinary.run(
            ["run", "-m", ParleyBinary.smolLM2, "--temperature", "0"], input: "What is 2+2?\n")
        #expect(result.status == 0)
        #expect(result.stdout == "The answer to this classic math problem is 4.\n")
    }

    @Test(.requires(.smolLM2Q4_1)) func jsonOutputIsAChatCompletion() throws {
        let result = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--temperature", "0", "--json", "-p", "What is 2+2?"
        ])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let choice = try #require((object["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        #expect(message["content"] as? String == "The answer to this classic math problem is 4.")
        #expect(choice["finish_reason"] as? String == "stop")
        let usage = try #require(object["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 37) // the reference prompt_tokens length
        #expect(object["object"] as? String == "chat.completion")
    }

    /// `--n 3 --logprobs --top-logprobs 2 --json`: three choices with OpenAI's logprobs shape and
    /// Parley's cross-entropy extension; usage counts every choice's tokens.
    @Test(.requires(.smolLM2Q4_1)) func alternativesWithLogprobsAsJSON() throws {
        let result = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--temperature", "1", "--seed", "4",
            "--max-tokens", "12", "--n", "3", "--logprobs", "--top-logprobs", "2",
            "--json", "-p", "Write a short poem about the sea."
        ])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let choices = try #require(object["choices"] as? [[String: Any]])
        #expect(choices.map { $0["index"] as? Int } == [0, 1, 2])
        var tokens = 0
        for choice in choices {
            let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
            tokens += content.count
            for token in content {
                #expect((token["logprob"] as? Double ?? 1) <= 0)
                #expect((token["top_logprobs"] as? [[String: Any]])?.count == 2)
                #expect(token["bytes"] is [Int])
            }
            let parley = try #require(choice["parley"] as? [String: Any])
            let crossEntropy = try #require(parley["cross_entropy"] as? Double)
            let mean = -content.reduce(0) { $0 + ($1["logprob"] as? Double ?? 0) } / Double(content.count)
            #expect(abs(crossEntropy - mean) < 1e-6)
            #expect(abs((parley["perplexity"] as? Double ?? 0) - Foundation.exp(crossEntropy)) < 1e-6)
        }
        let usage = try #require(object["usage"] as? [String: Any])
        #expect(usage["completion_tokens"] as? Int == tokens)
    }

    @Test(.requires(.smolLM2Q4_1)) func alternativesInTextModeComeUnderHeaders() throws {
        let result = try ParleyBinary.run([
            "run", "-m", ParleyBinary.smolLM2, "--temperature", "0", "--n", "2",
            "-p", "What is 2+2?"
        ])
        #expect(result.status == 0)
        let answer = "The answer to this classic math problem is 4."
        #expect(result.stdout == "--- answer 1 of 2 ---\n\(answer)\n--- answer 2 of 2 ---\n\(answer)\n")
        let bad = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2, "--n", "9", "-p", "hi"])
        #expect(bad.status != 0 && bad.stderr.contains("n"))
    }

    @Test(.requires(.smolLM2Q4_1)) func continueEvaluatesOnlyTheNewTurn() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json").path
        let first = try ParleyBinary.run(
            [
                "run", "-m", ParleyBinary.smolLM2, "--temperature", "0", "--max-tokens", "24",
                "--save", file, "--json", "-p", "What is 2+2?"
            ], home: home)
        #expect(first.status == 0)
        let firstObject = try #require(
            try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let firstUsage = try #require(firstObject["usage"] as? [String: Any])
        let firstTotal = try #require(firstUsage["total_tokens"] as? Int)
        let second = try ParleyBinary.run(
            [
                "run", "-m", ParleyBinary.smolLM2, "--continue", file, "--json",
                "-p", "And 3+3?"
            ], home: home)
        #expect(second.status == 0, "\(second.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        let usage = try #require(object["usage"] as? [String: Any])
        let prompt = try #require(usage["prompt_tokens"] as? Int)
        let cached = try #require((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int)
        // The first turn's prompt and answer come from the saved cache (all but the final token,
        // which was sampled but never evaluated); only the new turn is evaluated.
        #expect(cached >= firstTotal - 1)
        #expect(prompt - cached <= 18)
        let saved =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        #expect((saved?["messages"] as? [Any])?.count == 4)
    }

    @Test(.requires(.smolLM2Q4_1)) func usageErrorsExitWithTwo() throws {
        let bad = try ParleyBinary.run(["run", "-m", ParleyBinary.smolLM2, "--temperature", "3", "-p", "hi"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("temperature must be between 0 and 2, got 3"))
        let unknown = try ParleyBinary.run(["run", "--no-such-flag"])
        #expect(unknown.status == 2)
    }

    @Test func runtimeErrorsExitWithOne() throws {
        let missing = try ParleyBinary.run(["run", "-m", "/nonexistent/model.gguf", "-p", "hi"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("model file not found"))
        let notAModel = try ParleyBinary.run(["run", "-m", "/etc/hostname", "-p", "hi"])
        #expect(notAModel.status == 1)
        #expect(notAModel.stderr.contains("not a GGUF file"))
        let noModel = try ParleyBinary.run(["run", "-p", "hi"])
        #expect(noModel.status == 1)
        #expect(noModel.stderr.contains("Scripts/setup.sh"))
    }

    @Test(.requires(.smolLM2Q4_1)) func corruptTranscriptIsReportedAndLeftAlone() throws {
        let home = ParleyBinary.temporaryDirectory()
        let url = home.appendingPathComponent("broken.json")
        let bytes = Data("{\"version\": 1, \"messages\": [\n  {\"role\": \"user\"\n".utf8)
        try bytes.write(to: url)
        let result = try ParleyBinary.run(
            ["run", "-m", ParleyBinary.smolLM2, "--continue", url.path, "-p", "hi"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("line 3"))
        #expect(try Data(contentsOf: url) == bytes)
    }

    @Test(.requires(.smolLM2Q4_1)) func killDuringAnAnswerLeavesTheLastCompleteTranscript() throws {
        let home = ParleyBinary.temporaryDirectory()
        let file = home.appendingPathComponent("chat.json")
        let first = try ParleyBinary.run(
            [
                "run", "-m", ParleyBinary.smolLM2, "--max-tokens", "8", "--save", file.path,
                "-p", "Hello"
            ], home: home)
        #expect(first.status == 0)
        let before = try Data(contentsOf: file)
        let running = try ParleyBinary.start(
            [
                "run", "-m", ParleyBinary.smolLM2, "--max-tokens", "2000", "--continue",
                file.path, "-p", "Tell me a very long story."
            ], home: home)
        // Wait for the answer to start streaming, then kill without warning.
        let handle = running.stdout.fileHandleForReading
        _ = handle.availableData
        kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
        #expect(try Data(contentsOf: file) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasSuffix(".tmp") }
        #expect(names.isEmpty)
    }
}
