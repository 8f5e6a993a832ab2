import Foundation
import Jinja
import Testing

/// Real chat templates stay far under the work budget: the limits stop hostile templates without
/// ever touching the 60 shared ones, even on a conversation of several megabytes. The time limit
/// is lifted here: these tests are about the deterministic budget, and 60 renders of 4 MB run in
/// parallel on a busy test machine can take longer than 2 s of wall-clock time.
@Suite("Shared chat templates fit the work budget")
struct TemplateBudgetTests {
    /// Renders like `ChatTemplate.render` but with `limits`.
    static func render(_ name: String, messages: [Value], tools: [Value]?, limits: Limits) throws -> String {
        let template = try Template(try Fixtures.templateSource(name), limits: limits)
        var context: [String: Value] = [
            "messages": .array(messages), "add_generation_prompt": .bool(true),
            "bos_token": .string("<s>"), "eos_token": .string("</s>")
        ]
        if let tools { context["tools"] = .array(tools) }
        return try template.render(context, now: fixedNow)
    }

    /// The standard limits without the wall-clock one.
    static let budgetOnly: Limits = {
        var limits = Limits.standard
        limits.maxRenderTime = .seconds(3600)
        return limits
    }()

    static func isLimit(_ error: Error) -> Bool {
        if case JinjaError.limit = error { return true }
        return false
    }

    @Test("every golden case renders with a hundredth of the work budget", arguments: Fixtures.templateNames())
    func goldenCasesUseUnderOnePercent(_ name: String) throws {
        let spec = try GoldenCases.spec()
        var tight = Self.budgetOnly
        tight.maxWork = Limits.standard.maxWork / 100
        for caseSpec in GoldenCases.cases(in: spec) {
            var tools: [Value]?
            if case .array(let list)? = caseSpec["tools"] { tools = list }
            var messages: [Value] = []
            if case .array(let list)? = caseSpec["messages"] { messages = list }
            do {
                _ = try Self.render(name, messages: messages, tools: tools, limits: tight)
            } catch {
                // Some cases fail in jinja2 too (raise_exception); only a limit is wrong here.
                #expect(!Self.isLimit(error), "\(name)/\(GoldenCases.string(caseSpec, "name")): \(error)")
            }
        }
    }

    @Test("a 4 MB conversation renders within the standard work budget", arguments: Fixtures.templateNames())
    func largeConversation(_ name: String) throws {
        let long = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 23_000) // ~1 MB
        let messages: [Value] = (0..<4).map { index in
            .object(
                OrderedObject([("role", .string(index % 2 == 0 ? "user" : "assistant")), ("content", .string(long))]))
        }
        do {
            let output = try Self.render(name, messages: messages, tools: nil, limits: Self.budgetOnly)
            #expect(output.utf8.count >= 4 * long.utf8.count)
        } catch {
            #expect(!Self.isLimit(error), "\(name): \(error)")
        }
    }
}
