import Foundation
import Jinja
import Testing

/// One shared chat template rendered over one message set from `Fixtures/templates/cases.json`.
struct TemplateCase: Sendable, CustomTestStringConvertible {
    let template: String
    let caseName: String
    var testDescription: String { "\(template)/\(caseName)" }
}

/// The message sets and the golden renders produced by `Scripts/reference/render_templates.py`.
enum GoldenCases {
    /// `cases.json`, parsed once per test process.
    static let parsedSpec: Result<Value, Error> = Result {
        try Value(jsonData: try Fixtures.data("templates/cases.json"))
    }

    static func spec() throws -> Value {
        try parsedSpec.get()
    }

    /// Compiled templates shared by the cases of one template (parsing is the slow part in debug builds).
    static let compiled = TemplateCache()

    static func template(_ name: String) throws -> ChatTemplate {
        if let cached = compiled.get(name) { return cached }
        let template = try ChatTemplate(source: try Fixtures.templateSource(name))
        compiled.set(name, template)
        return template
    }

    static func cases(in spec: Value) -> [OrderedObject] {
        guard case .object(let root) = spec, case .array(let cases)? = root["cases"] else { return [] }
        return cases.compactMap { if case .object(let o) = $0 { return o } else { return nil } }
    }

    /// Every template × case the oracle rendered (the `tools` case only where the source mentions tools).
    static func all() -> [TemplateCase] {
        guard let spec = try? spec() else { return [] }
        var result: [TemplateCase] = []
        for name in Fixtures.templateNames() {
            let source = (try? Fixtures.templateSource(name)) ?? ""
            for c in cases(in: spec) {
                guard case .string(let caseName)? = c["name"] else { continue }
                if c["tools_only"] == .bool(true) && !source.contains("tools") { continue }
                result.append(TemplateCase(template: name, caseName: caseName))
            }
        }
        return result
    }

    static func string(_ object: OrderedObject, _ key: String) -> String {
        if case .string(let s)? = object[key] { return s }
        return ""
    }
}

@Suite("Shared chat templates match Python jinja2")
struct TemplateGoldenTests {
    @Test("all 60 templates and their 414 renders are present")
    func inventory() throws {
        #expect(Fixtures.templateNames().count == 60)
        #expect(GoldenCases.all().count == 414)
    }

    @Test("template renders byte-identical to jinja2 (or fails like it)", arguments: GoldenCases.all())
    func matchesGolden(_ testCase: TemplateCase) throws {
        let spec = try GoldenCases.spec()
        guard case .object(let root) = spec else { throw JinjaError.type(message: "bad cases.json") }
        let caseSpec = try #require(
            GoldenCases.cases(in: spec).first { GoldenCases.string($0, "name") == testCase.caseName })
        let directory = Fixtures.root.appendingPathComponent("templates/\(testCase.template)")
        let goldenURL = directory.appendingPathComponent(testCase.caseName + ".txt")
        let errorURL = directory.appendingPathComponent(testCase.caseName + ".error.txt")

        var tools: [Value]?
        if case .array(let list)? = caseSpec["tools"] { tools = list }
        var messages: [Value] = []
        if case .array(let list)? = caseSpec["messages"] { messages = list }

        let result: Result<String, Error> = Result {
            let template = try GoldenCases.template(testCase.template)
            return try template.render(
                messages: messages, tools: tools, addGenerationPrompt: caseSpec["add_generation_prompt"] == .bool(true),
                bosToken: GoldenCases.string(root, "bos_token"), eosToken: GoldenCases.string(root, "eos_token"),
                now: fixedNow, extra: [:])
        }
        if FileManager.default.fileExists(atPath: goldenURL.path) {
            let expected = try Fixtures.text(goldenURL)
            let rendered = try result.get()
            if rendered != expected {
                Issue.record("render differs from jinja2:\n\(LineDiff.describe(expected: expected, actual: rendered))")
            }
        } else {
            let expected = try Fixtures.text(errorURL)
            switch result {
            case .success:
                Issue.record("jinja2 raised \(expected) but the render succeeded")
            case .failure(let error):
                let jinjaError = try #require(error as? JinjaError)
                #expect("\(jinjaError.pythonExceptionName): \(jinjaError.message)" == expected)
            }
        }
    }
}
