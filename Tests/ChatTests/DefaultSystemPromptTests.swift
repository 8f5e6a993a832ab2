import Foundation
import GGUF
import TestSupport
import Testing

@testable import Chat
@testable import LocalChat

/// A template's default system prompt, found by rendering, equals what the same procedure finds
/// with Python's jinja2 (`Scripts/reference/default_system_prompts.py` wrote the oracle file):
/// SmolLM2's from its GGUF, and every shared chat template, with and without a default.
struct DefaultSystemPromptTests {
    /// The instant the oracle rendered at (`hf_env.FIXED_NOW`), for templates that print the date.
    static let oracleNow = Date(timeIntervalSince1970: 1_768_473_000)
    static let oracleFile = TestPaths.referenceFile("default-system-prompts.json")

    /// Template name to its default (nil: none), as jinja2 found them.
    static func oracle() throws -> [String: String?] {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: oracleFile)) as? [String: Any])
        return object.mapValues { $0 as? String }
    }

    /// Why the shared templates cannot be checked, or nil when they are found.
    static let templatesMissing: String? = {
        guard let folder = TestPaths.searchPath(.templates).first,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path),
            names.contains(where: { $0.hasSuffix(".jinja") })
        else {
            return
                "no chat templates found (looked in \(TestPaths.lookedIn("", in: .templates).joined(separator: ", "))): "
                + "put ../shared beside the clone or set PARLEY_TEMPLATES_DIR"
        }
        return nil
    }()

    private func builder(_ source: String?) -> PromptBuilder {
        PromptBuilder(templateSource: source, bosToken: "<s>", eosToken: "</s>")
    }

    @Test(.requires([.vocabularies])) func smolLM2sDefaultComesFromItsGGUF() throws {
        let file = try GGUFFile(path: TestPaths.model("vocab/ggml-vocab-smollm2.gguf").path)
        let source = try #require(file.metadata.string("tokenizer.chat_template"))
        let found = builder(source).defaultSystemPrompt(now: Self.oracleNow)
        #expect(found == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        let expected = try #require(try Self.oracle()["SmolLM2-135M-Instruct"], "no oracle entry for SmolLM2")
        #expect(found == expected)
    }

    @Test(.enabled(if: templatesMissing == nil, Comment(rawValue: templatesMissing ?? "")))
    func everySharedTemplateMatchesJinja2() throws {
        let oracle = try Self.oracle()
        let folder = try #require(TestPaths.searchPath(.templates).first)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jinja") }
            .sorted()
        #expect(names.count == oracle.count - 1, "the oracle covers every template (and SmolLM2's)")
        var withDefault = 0
        var without = 0
        for name in names {
            let stem = String(name.dropLast(".jinja".count))
            let source = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let expected = try #require(oracle[stem], "no oracle entry for \(stem)")
            let found = builder(source).defaultSystemPrompt(now: Self.oracleNow)
            #expect(found == expected, "\(stem)")
            if expected == nil { without += 1 } else { withDefault += 1 }
        }
        // Both kinds are covered: Qwen 2.5's default, Llama 3.1's cutoff lines that are no default.
        #expect(withDefault >= 2 && without >= 2)
        #expect(
            oracle["Qwen-Qwen2.5-7B-Instruct"]
                == .some("You are Qwen, created by Alibaba Cloud. You are a helpful assistant."))
        #expect(oracle["meta-llama-Llama-3.1-8B-Instruct"] == .some(nil))
        #expect(oracle["google-gemma-4-31B-it"] == .some(nil))
    }

    @Test func noTemplateOrABrokenOneHasNoDefault() {
        #expect(builder(nil).defaultSystemPrompt() == nil)
        #expect(builder("{% for m in messages %}").defaultSystemPrompt() == nil)
        #expect(builder("{{ raise_exception('no') }}").defaultSystemPrompt() == nil)
        // The system message is dropped: nothing stands where it would, so no default.
        #expect(
            builder("{% for m in messages %}{% if m.role != 'system' %}{{ m.content }}{% endif %}{% endfor %}")
                .defaultSystemPrompt() == nil)
        // Whitespace alone is no default.
        #expect(
            builder(
                "{% if messages[0].role != 'system' %} {% endif %}{% for m in messages %}{{ m.content }}{% endfor %}"
            )
            .defaultSystemPrompt() == nil)
    }

    @Test(.requires(.smolLM2Q4_1)) func theSessionReportsTheModelsDefault() throws {
        let session = try ChatSession(
            options: SessionOptions(
                modelPath: TestModel.smolLM2Q4_1.path, contextLength: 256,
                threads: 1))
        #expect(session.defaultSystemPrompt() == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
    }
}
