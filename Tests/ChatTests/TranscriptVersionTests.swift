import Foundation
import TestSupport
import Testing

@testable import Chat

/// Transcript version 2: alternatives and token log probabilities, and version 1 files that
/// open, continue and are saved as version 2.
struct TranscriptVersionTests {
    private func temporaryStore() throws -> TranscriptStore {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-v2-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return TranscriptStore(directory: folder)
    }

    private func copyExample(_ name: String, into store: TranscriptStore) throws -> URL {
        let target = store.directory.appendingPathComponent(name)
        try FileManager.default.copyItem(at: TestPaths.repositoryFile("transcripts/\(name)"), to: target)
        return target
    }

    private func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Two choices with seeded, plausible token probabilities (one split UTF-8 character).
    private func twoChoices() -> Completion {
        var random = SeededRandom(seed: 11)
        func tokens(_ pieces: [[UInt8]]) -> [TokenLogprob] {
            pieces.map { bytes in
                let logprob = -Double(random.next() % 30_000) / 10_000
                let text = String(decoding: bytes, as: UTF8.self)
                return TokenLogprob(
                    token: text, bytes: bytes, logprob: logprob,
                    topLogprobs: [
                        .init(token: text, bytes: bytes, logprob: logprob),
                        .init(token: " x", bytes: Array(" x".utf8), logprob: logprob - 1.23456)
                    ])
            }
        }
        let first = tokens([Array("Hi".utf8), Array(" 🙂".utf8.prefix(3)), Array("🙂".utf8.suffix(2))])
        let second = tokens([Array("Hello".utf8), Array("!".utf8)])
        func choice(_ index: Int, _ list: [TokenLogprob]) -> Completion.Choice {
            Completion.Choice(
                index: index, text: String(decoding: list.flatMap(\.bytes), as: UTF8.self), reason: .stop,
                completionTokens: list.count, logprobs: list,
                crossEntropy: -list.map(\.logprob).reduce(0, +) / Double(list.count))
        }
        return Completion(
            choices: [choice(0, first), choice(1, second)],
            usage: Usage(promptTokens: 20, completionTokens: 5, cachedTokens: 0),
            timings: Timings(prefillTokensPerSecond: 100, decodeTokensPerSecond: 50), seed: 3)
    }

    @Test func aVersion1FileOpensContinuesAndIsSavedAsVersion2() throws {
        let store = try temporaryStore()
        let url = try copyExample("example-arithmetic.json", into: store)
        let original = try Data(contentsOf: url)
        var transcript = try store.load(url)
        #expect(transcript.version == 1)
        let answer = try #require(transcript.conversation.messages.last)
        #expect(answer.alternatives.isEmpty && answer.answers.count == 1 && answer.record?.seed == 1)
        #expect(try Data(contentsOf: url) == original, "reading must not rewrite the file")

        var parameters = SamplingParameters.defaults
        parameters.n = 2
        parameters.logprobs = true
        parameters.topLogprobs = 2
        transcript.conversation.messages.append(.user("Say hi"))
        transcript.conversation.messages.append(twoChoices().answerMessage(parameters: parameters))
        try store.save(transcript, to: url)

        let saved = try json(url)
        #expect(saved["version"] as? Int == 2)
        let messages = try #require(saved["messages"] as? [[String: Any]])
        #expect(messages[1]["alternatives"] == nil, "a plain version 1 answer stays plain")
        let last = try #require(messages.last)
        #expect(last["chosen"] as? Int == 0 && last["content"] as? String == "Hi 🙂")
        let alternatives = try #require(last["alternatives"] as? [[String: Any]])
        #expect(alternatives.count == 2 && alternatives[1]["choice_index"] as? Int == 1)
        let logprobs = try #require(alternatives[0]["logprobs"] as? [String: Any])
        #expect((logprobs["tokens"] as? [String])?.first == "Hi")
        #expect((logprobs["bytes"] as? [String: [Int]])?.keys.sorted() == ["1", "2"])
        for value in try #require(logprobs["logprobs"] as? [Double]) {
            #expect(abs((value * 10_000).rounded() - value * 10_000) < 1e-6, "\(value) has more than 4 decimals")
        }

        let reread = try TranscriptStore(directory: store.directory).load(url)
        #expect(reread.version == 2)
        #expect(reread.conversation == transcript.conversation)
        #expect(reread.conversation.messages.last?.answers[0].logprobs?[1].bytes == Array(" 🙂".utf8.prefix(3)))
    }

    @Test func theVersion2ExampleReadsItsAlternatives() throws {
        let store = try temporaryStore()
        let transcript = try store.load(try copyExample("example-alternatives.json", into: store))
        let answer = transcript.conversation.messages[1]
        #expect(answer.alternatives.count == 2 && answer.chosen == 1)
        #expect(answer.content == "The answer is 4." && answer.chosenAnswer.choiceIndex == 1)
        let tokens = try #require(answer.chosenAnswer.logprobs)
        #expect(tokens.map(\.token).joined() == answer.content)
        #expect(tokens[1].topLogprobs.map(\.token) == [" sum", " answer"])
        // The stored cross-entropy is the mean negative logprob of the stored tokens.
        let mean = -tokens.map(\.logprob).reduce(0, +) / Double(tokens.count)
        #expect(abs((answer.chosenAnswer.crossEntropy ?? 0) - mean) < 1e-3)
    }

    @Test func choosingAndAddingKeepTheContentTheChosenOnes() {
        var message = twoChoices().answerMessage(parameters: .defaults)
        message.choose(1)
        #expect(message.content == "Hello!" && message.chosen == 1 && message.record?.usage.completionTokens == 2)
        message.add(
            Completion(
                text: "Hey", reason: .stop, usage: Usage(promptTokens: 20, completionTokens: 1, cachedTokens: 0),
                timings: Timings(prefillTokensPerSecond: 1, decodeTokensPerSecond: 1), seed: 4
            )
            .alternatives(parameters: .defaults))
        #expect(
            message.answers.count == 3 && message.chosen == 2 && message.content == "Hey" && message.record?.seed == 4)
        var plain = ChatMessage.assistant("One")
        plain.add([AnswerAlternative(content: "Two")])
        #expect(plain.answers.map(\.content) == ["One", "Two"] && plain.content == "Two")
    }

    /// Regenerating without end must not make a file this build refuses to read back.
    @Test func aTurnKeepsAtMostTheAlternativesAFileMayHold() throws {
        var message = ChatMessage.assistant("answer 0")
        for index in 1...70 { message.add([AnswerAlternative(content: "answer \(index)")]) }
        #expect(message.answers.count == ChatMessage.maxAlternatives)
        #expect(message.content == "answer 70" && message.chosenAnswer.content == "answer 70")
        #expect(message.answers.first?.content == "answer 7", "the oldest go first")
        let store = try temporaryStore()
        var transcript = Transcript(id: "many", created: Date(timeIntervalSince1970: 1_800_000_000))
        transcript.conversation.messages = [.user("Again"), message]
        let url = try store.save(transcript)
        #expect(try TranscriptStore(directory: store.directory).load(url).conversation == transcript.conversation)
    }

    @Test func editedContentWinsAndBadAlternativesAreNamed() throws {
        let store = try temporaryStore()
        let url = try copyExample("example-alternatives.json", into: store)
        var root = try json(url)
        var messages = try #require(root["messages"] as? [[String: Any]])
        messages[1]["content"] = "Edited by another tool."
        root["messages"] = messages
        try JSONSerialization.data(withJSONObject: root).write(to: url)
        let edited = try store.load(url)
        #expect(edited.conversation.messages[1].chosenAnswer.content == "Edited by another tool.")

        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("chosen", { $0["chosen"] = 5 }, "chosen is 5 but there are 2 alternatives"),
            ("empty", { $0["alternatives"] = [] as [Any] }, "alternatives must hold 1 to 64 answers, got 0"),
            (
                "lengths",
                { message in
                    var alternatives = message["alternatives"] as? [[String: Any]] ?? []
                    var logprobs = alternatives[0]["logprobs"] as? [String: Any] ?? [:]
                    logprobs["logprobs"] = [-0.5]
                    alternatives[0]["logprobs"] = logprobs
                    message["alternatives"] = alternatives
                }, "logprobs has 1 entries for 6 tokens"
            )
        ]
        for (name, mutate, detail) in cases {
            var root = try json(try copyExample("example-alternatives.json", into: try temporaryStore()))
            var messages = try #require(root["messages"] as? [[String: Any]])
            mutate(&messages[1])
            root["messages"] = messages
            let bad = store.directory.appendingPathComponent("\(name).json")
            let bytes = try JSONSerialization.data(withJSONObject: root)
            try bytes.write(to: bad)
            do {
                _ = try store.load(bad)
                Issue.record("\(name): loaded a broken file")
            } catch {
                #expect(error.description.contains(detail), "\(name): \(error.description)")
            }
            #expect(throws: ChatError.self) { try store.save(edited, to: bad) }
            #expect(try Data(contentsOf: bad) == bytes)
        }
    }

    @Test func versionsOutsideTheKnownRangeAreRefusedByName() throws {
        let store = try temporaryStore()
        let zero = store.directory.appendingPathComponent("zero.json")
        try Data(
            #"{"version": 0, "id": "z", "title": "t", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z", "messages": []}"#
                .utf8
        )
        .write(to: zero)
        #expect(
            throws: ChatError.transcriptMalformed(
                path: zero.path, detail: "\"version\" must be 1 or more, got 0")
        ) {
            try store.load(zero)
        }
        let future = store.directory.appendingPathComponent("future.json")
        try Data(#"{"version": 3}"#.utf8).write(to: future)
        #expect(throws: ChatError.transcriptTooNew(path: future.path, version: 3, supported: 2)) {
            try store.load(future)
        }
    }
}
