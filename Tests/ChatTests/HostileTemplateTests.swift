import Dispatch
import Foundation
import GGUF
import TestSupport
import Testing

@testable import Chat
@testable import Inference
@testable import LocalChat

/// A chat template that would run for hours, shipped inside a GGUF (issue #10, finding 1): the
/// session reports it quickly and goes on with ChatML, and cancelling or quitting stops a render
/// in progress instead of waiting for it.
@Suite(.serialized, .timeLimit(.minutes(1)), .requires([.syntheticLlamaSPM]))
struct HostileTemplateTests {
    /// A macro that calls itself twice per level: 2^40 calls without the work budget.
    static let exponential =
        "{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}"

    /// The generated tiny llama with `template` as its `tokenizer.chat_template`.
    static func model(template: String) throws -> URL {
        let file = try GGUFFile(path: GeneratedModels.llamaSPM.path)
        var writer = GGUFWriter(version: file.version)
        for key in file.metadata.keys where key != "tokenizer.chat_template" {
            if let value = file.metadata[key] { writer.add(key, value) }
        }
        writer.add("tokenizer.chat_template", .string(template))
        for info in file.tensors {
            _ = writer.addTensor(
                name: info.name, type: info.type, dimensions: info.dimensions,
                data: Array(file.data(for: info)))
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-hostile-template-\(UUID().uuidString).gguf")
        try Data(writer.bytes()).write(to: url)
        return url
    }

    static func session(template: String) throws -> (ChatSession, URL) {
        let url = try model(template: template)
        return (try ChatSession(options: SessionOptions(modelPath: url.path, threads: 1)), url)
    }

    static func conversation() -> Conversation {
        var parameters = SamplingParameters.defaults
        parameters.temperature = 0
        parameters.maxTokens = 4
        return Conversation(messages: [.user("Once upon a time")], parameters: parameters)
    }

    @Test("a runaway template in the GGUF is reported within its time limit and ChatML is used")
    func runawayTemplateIsReported() throws {
        let (chat, url) = try Self.session(template: Self.exponential)
        defer { try? FileManager.default.removeItem(at: url) }
        var notices: [String] = []
        let clock = ContinuousClock()
        let start = clock.now
        let completion = chat.respond(to: Self.conversation()) { event in
            if case .notice(let text) = event { notices.append(text) }
        }
        let elapsed = clock.now - start
        #expect(completion.reason != .error)
        #expect(notices.count == 1)
        #expect(notices.first?.contains("template limit exceeded") == true)
        #expect(notices.first?.hasSuffix("using ChatML") == true)
        // The 2 s render limit is the upper bound (the work budget usually ends it far sooner);
        // the generous margin only guards against a hang, not a benchmark.
        #expect(elapsed < .seconds(20))
    }

    @Test("cancel() ends an answer whose template is still rendering, as cancelled")
    func cancelStopsTheRender() throws {
        let (chat, url) = try Self.session(template: Self.exponential)
        defer { try? FileManager.default.removeItem(at: url) }
        // Hold the session's queue so the cancel lands before the render starts, deterministically.
        let gate = DispatchSemaphore(value: 0)
        chat.queue.async { gate.wait() }
        let finished = DispatchSemaphore(value: 0)
        let outcome = Box()
        chat.send(Self.conversation()) { event in
            if case .finished(let completion) = event {
                outcome.set(completion)
                finished.signal()
            }
        }
        chat.cancel()
        gate.signal()
        #expect(finished.wait(timeout: .now() + 20) == .success)
        #expect(outcome.get()?.reason == .cancelled)
        #expect(outcome.get()?.text == "")
    }

    @Test("shutDown() stops a token count rendering the template, so quitting does not wait for it")
    func shutDownStopsCounting() throws {
        let (chat, url) = try Self.session(template: Self.exponential)
        defer { try? FileManager.default.removeItem(at: url) }
        let gate = DispatchSemaphore(value: 0)
        chat.queue.async { gate.wait() }
        let counted = DispatchSemaphore(value: 0)
        let count = Box()
        Thread.detachNewThread {
            count.set(
                Completion(
                    text: "\(chat.promptTokenCount(Self.conversation()))", reason: .stop,
                    usage: Usage(promptTokens: 0, completionTokens: 0, cachedTokens: 0),
                    timings: Timings(prefillTokensPerSecond: 0, decodeTokensPerSecond: 0), seed: 0))
            counted.signal()
        }
        Thread.sleep(forTimeInterval: 0.05) // the counting thread now waits for the queue
        chat.shutDown()
        gate.signal()
        #expect(counted.wait(timeout: .now() + 20) == .success)
        #expect(count.get()?.text == "0")
        // Later renders stop too: an answer after shutting down ends at once as cancelled.
        #expect(chat.respond(to: Self.conversation()) { _ in }.reason == .cancelled)
    }
}

/// A completion handed from the session's thread to the test.
private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Completion?
    func set(_ completion: Completion) { lock.withLock { value = completion } }
    func get() -> Completion? { lock.withLock { value } }
}
