import Foundation
import Testing

@testable import TerminalUI

/// Widths checked against the wcwidth 0.7.0 golden file (Scripts/reference/display_width_golden.py).
struct DisplayWidthTests {
    struct GoldenCase {
        let kind: String
        let text: String
        let width: Int
        let clusters: Int
        let line: Int
    }

    static func loadGolden() throws -> [GoldenCase] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/display_width_golden.tsv")
        let content = try String(contentsOf: url, encoding: .utf8)
        var cases: [GoldenCase] = []
        for (number, line) in content.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 4, "bad golden line \(number + 1)")
            var scalars = String.UnicodeScalarView()
            for hex in fields[1].split(separator: " ") {
                let value = try #require(UInt32(hex, radix: 16))
                scalars.append(try #require(Unicode.Scalar(value)))
            }
            cases.append(
                GoldenCase(
                    kind: String(fields[0]), text: String(scalars), width: try #require(Int(fields[2])),
                    clusters: try #require(Int(fields[3])), line: number + 1))
        }
        return cases
    }

    @Test func goldenFileIsLarge() throws {
        let cases = try Self.loadGolden()
        #expect(cases.count > 6000)
        #expect(cases.filter { $0.kind == "seq" }.count > 150)
    }

    @Test func singleCodePointsMatchGolden() throws {
        var mismatches: [String] = []
        for golden in try Self.loadGolden() where golden.kind == "cp" {
            let measured = DisplayWidth.of(golden.text)
            if measured != golden.width {
                let hex = golden.text.unicodeScalars.map { String($0.value, radix: 16) }
                mismatches.append("line \(golden.line) U+\(hex): \(measured) != \(golden.width)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func sequencesMatchGoldenAsOneCluster() throws {
        var mismatches: [String] = []
        for golden in try Self.loadGolden() where golden.kind == "seq" {
            let hex = golden.text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " ")
            if golden.text.count != 1 {
                mismatches.append("line \(golden.line) [\(hex)]: \(golden.text.count) clusters in Swift")
            } else if let character = golden.text.first, DisplayWidth.of(character) != golden.width {
                mismatches.append("line \(golden.line) [\(hex)]: \(DisplayWidth.of(character)) != \(golden.width)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func textsMatchGolden() throws {
        for golden in try Self.loadGolden() where golden.kind == "text" {
            #expect(DisplayWidth.of(golden.text) == golden.width, "line \(golden.line): \(golden.text)")
            #expect(golden.text.count == golden.clusters, "line \(golden.line): cluster count")
        }
    }

    @Test func namedCases() {
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of("中" as Character) == 2)
        #expect(DisplayWidth.of("👍🏽" as Character) == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧" as Character) == 2)
        #expect(DisplayWidth.of("🇯🇵" as Character) == 2)
        #expect(DisplayWidth.of("1️⃣" as Character) == 2)
        #expect(DisplayWidth.of("❤" as Character) == 1)
        #expect(DisplayWidth.of("❤️" as Character) == 2)
        #expect(DisplayWidth.of("e\u{301}" as Character) == 1)
        #expect(DisplayWidth.of("\u{200D}" as Character) == 0)
        #expect(DisplayWidth.of("\u{7}" as Character) == 0)
        #expect(DisplayWidth.of("\r\n" as Character) == 0)
        #expect(DisplayWidth.of("Hello, 世界!") == 12)
    }

    @Test func prefixAndTruncateNeverSplitWideCharacters() {
        #expect(DisplayWidth.prefix("世界abc", fitting: 3) == "世")
        #expect(DisplayWidth.prefix("a👍🏽b", fitting: 3) == "a👍🏽")
        #expect(DisplayWidth.truncate("Hello 世界", to: 8) == "Hello …")
        #expect(DisplayWidth.truncate("short", to: 8) == "short")
        #expect(DisplayWidth.pad("中", to: 4) == "中  ")
    }

    @Test func tableSearchFindsRangeEdges() {
        let table: [UInt32] = [10, 20, 30, 30, 40, 50]
        for (value, expected) in [
            (9, false), (10, true), (20, true), (21, false), (30, true), (31, false), (50, true), (51, false)
        ] {
            #expect(DisplayWidth.contains(table, UInt32(value)) == expected, "\(value)")
        }
    }
}
