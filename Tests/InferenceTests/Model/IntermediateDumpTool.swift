import Foundation
import GGUF
import TestSupport
import Testing

@testable import Inference

/// A developer tool rather than a check, run only when `PARLEY_DUMP_INTERMEDIATES` names an output
/// file: evaluates the token ids of `PARLEY_DUMP_TOKENS` (comma-separated) in one prompt batch on
/// `PARLEY_DUMP_MODEL` (default: Gemma 3 270M) and writes every intermediate of the last token,
/// one "name" line then one line of values, under llama.cpp's tensor names. Compare it with
/// `probe`'s dump of the same ids using `Scripts/reference/llama-cpp-oracle/compare_dumps.py`.
/// `PARLEY_DUMP_CACHE=f32` selects the F32 cache.
@Suite(.serialized) struct IntermediateDumpTool {
    static let environment = ProcessInfo.processInfo.environment

    @Test(
        .enabled(
            if: environment["PARLEY_DUMP_INTERMEDIATES"] != nil,
            "a developer tool, not a test: set PARLEY_DUMP_INTERMEDIATES=FILE to dump a forward pass"))
    func dumpIntermediates() throws {
        let env = Self.environment
        let output = try #require(env["PARLEY_DUMP_INTERMEDIATES"])
        let ids = try #require(env["PARLEY_DUMP_TOKENS"]).split(separator: ",").map { try #require(Int32($0)) }
        let path = env["PARLEY_DUMP_MODEL"] ?? TestPaths.model(TestModel.gemma3_270M.fileName).path
        let model = try LanguageModel(file: GGUFFile(path: path))
        let transformer = try Transformer(
            model: model, contextLength: max(256, ids.count + 1),
            cachePrecision: env["PARLEY_DUMP_CACHE"] == "f32" ? .f32 : .f16)
        var text = ""
        transformer.intermediateTap = { name, layer, values in
            text += layer < 0 ? "\(name)\n" : "\(name)-\(layer)\n"
            text += values.map { String($0) }.joined(separator: " ") + "\n"
        }
        let logits = try transformer.evaluate(ids, logits: .last)
        transformer.intermediateTap = nil
        try text.write(toFile: output, atomically: true, encoding: .utf8)
        let row = logits.last
        let top = (0..<row.count).sorted { row[$0] > row[$1] }.prefix(5)
        print("top5: " + top.map { "\($0):\(row[$0])" }.joined(separator: " "))
    }
}
